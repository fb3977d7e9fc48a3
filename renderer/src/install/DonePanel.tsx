/**
 * "Cluster ready": where the API server is, how many nodes, which sandbox and k3s version,
 * with Open cluster (for now a summary from `bootstrap.cluster`; the workloads view comes
 * with its own issue) and Export kubeconfig.
 */
import { useState } from 'react';
import type { ClusterInstallView } from '@nodeless/backend/api';
import { OkIcon } from '../onboarding/status-icons.tsx';
import { ExportDialog } from './ExportDialog.tsx';

export interface DonePanelProps {
  clusterId: string;
  clusterName: string;
  info: ClusterInstallView;
  /** Addresses of the machines in the cluster. */
  members: readonly string[];
}

export function DonePanel({ clusterId, clusterName, info, members }: DonePanelProps) {
  const [exporting, setExporting] = useState(false);
  const [open, setOpen] = useState(false);
  return (
    <section className="done-panel" aria-labelledby="done-title">
      <div className="callout callout-ok">
        <OkIcon label="Ready" />
        <div>
          <h2 id="done-title">Cluster ready</h2>
          <dl className="facts">
            <dt>Server</dt>
            <dd className="mono">{info.serverUrl ?? 'unknown'}</dd>
            <dt>Nodes</dt>
            <dd>{info.nodes ?? members.length}</dd>
            <dt>Sandbox</dt>
            <dd>{info.sandbox ?? 'unknown'}</dd>
            <dt>k3s</dt>
            <dd className="mono">{info.k3sVersion ?? 'unknown'}</dd>
          </dl>
        </div>
        <div className="inline-actions">
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Close cluster' : 'Open cluster'}
          </button>
          <button
            type="button"
            className="primary"
            disabled={!info.kubeconfigStored}
            title={info.kubeconfigStored ? undefined : 'No kubeconfig was stored by the install'}
            onClick={() => setExporting(true)}
          >
            Export kubeconfig
          </button>
        </div>
      </div>
      {open ? (
        <section className="cluster-summary" aria-label="Cluster summary">
          <h3>{clusterName}</h3>
          <p className="muted small">
            Workloads, pods and costs get their own view in a later release; for now this is the
            cluster as installed.
          </p>
          <ul>
            <li>
              API server <span className="mono">{info.serverUrl ?? 'unknown'}</span>
            </li>
            <li>
              {info.nodes ?? members.length} nodes:{' '}
              <span className="mono">{members.join(', ')}</span>
            </li>
            <li>Every pod runs in the {info.sandbox ?? 'chosen'} sandbox</li>
            <li>
              kubeconfig{' '}
              {info.kubeconfigStored ? 'stored encrypted on this computer' : 'not stored'}
            </li>
          </ul>
        </section>
      ) : null}
      {exporting ? (
        <ExportDialog
          clusterId={clusterId}
          clusterName={clusterName}
          onClose={() => setExporting(false)}
        />
      ) : null}
    </section>
  );
}
