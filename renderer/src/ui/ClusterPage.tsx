/**
 * The Machines section of a cluster Nodeless builds: a summary, its hosts with the Add/Edit host form and the import
 * from ~/.ssh/config, then the "Add machines" flow (connection test and capacity map). Opened by
 * "Add a machine" (pods waiting for room), it starts with the Add host form open and says how
 * the flow ends — the machine joins, the waiting pods start — with a link back to them.
 */
import { useEffect, useState } from 'react';
import type { ClusterView, HostRole, HostView } from '@nodeless/backend/api';
import { plural } from './ClusterItem.tsx';
import { HostForm } from './HostForm.tsx';
import { HostTable } from './HostTable.tsx';
import { AddMachines } from '../onboarding/AddMachines.tsx';
import { SshImportDialog } from '../onboarding/SshImportDialog.tsx';
import { InstallSection } from '../install/InstallSection.tsx';
import { clearAddHostRequest, peekAddHostRequest } from '../workloads/add-machine-intent.ts';
import {
  useBootstrapStream,
  useClusterBootstrap,
  useInstallInfo,
  useInstallStreamError,
  useRunLogs,
} from '../install/use-install.ts';

type Editing = { mode: 'add' } | { mode: 'import' } | { mode: 'edit'; host: HostView } | null;

export function ClusterPage({ cluster }: { cluster: ClusterView }) {
  // "Add a machine" asked for this page: it opens on the Add host form.
  const [request] = useState(() => peekAddHostRequest(cluster.id));
  useEffect(() => {
    if (request) clearAddHostRequest(request);
  }, [request]);
  const [editing, setEditing] = useState<Editing>(request ? { mode: 'add' } : null);
  /** Where "Add a machine" was pressed, while this page serves that request. */
  const [waiting, setWaiting] = useState<string | null>(request?.from ?? null);
  const [installing, setInstalling] = useState(false);
  const { run } = useClusterBootstrap(cluster.id);
  // Re-read what is installed whenever the latest run changes state.
  const info = useInstallInfo(cluster.id, `${run?.meta.id ?? ''}:${run?.meta.state ?? ''}`);
  const installed = info.cluster?.installed === true;
  useBootstrapStream(
    cluster.id,
    installing || installed || info.runs.length > 0 || run !== undefined,
  );
  useRunLogs(cluster.id, run?.meta.id);
  const streamError = useInstallStreamError(cluster.id);
  const running = run?.meta.state === 'running';
  const servers = cluster.hosts.filter((h) => h.role === 'server').length;
  const agents = cluster.hosts.length - servers;
  // The first host of a cluster has to run the control plane; later ones usually run pods.
  const defaultRole: HostRole = servers === 0 ? 'server' : 'agent';
  // If the edited host disappears (removed in another window), close its form.
  const editedHost =
    editing?.mode === 'edit' ? cluster.hosts.find((h) => h.id === editing.host.id) : undefined;

  return (
    <section className="cluster-page" aria-labelledby="machines-title">
      <header className="page-header">
        <div>
          <h2 id="machines-title" className="section-title">
            Machines
          </h2>
          <p className="muted">
            {cluster.hosts.length === 0
              ? 'No hosts yet'
              : `${plural(servers, 'server')} · ${plural(agents, 'agent')}`}
          </p>
        </div>
        <div className="inline-actions">
          <button type="button" onClick={() => setEditing({ mode: 'import' })}>
            Import from ~/.ssh/config
          </button>
          <button type="button" className="primary" onClick={() => setEditing({ mode: 'add' })}>
            Add host
          </button>
        </div>
      </header>
      {waiting !== null ? (
        <div className="notice add-machine-note" role="status">
          <p>
            Pods are waiting for room. Add the machine, test its connection, then{' '}
            <strong>Add to cluster</strong>: once it has joined, the waiting pods start by
            themselves.
          </p>
          <div className="inline-actions">
            <a href={waiting}>Back to the waiting pods</a>
            <button type="button" className="link-button" onClick={() => setWaiting(null)}>
              Dismiss
            </button>
          </div>
        </div>
      ) : null}
      {cluster.hosts.length === 0 ? (
        <div className="empty">
          <h2>Add the machines this cluster runs on</h2>
          <p className="muted">
            Start with one server (it runs the control plane). Agents add capacity for pods.
            Nodeless connects over SSH; nothing is installed until you ask.
          </p>
        </div>
      ) : (
        <HostTable hosts={cluster.hosts} onEdit={(host) => setEditing({ mode: 'edit', host })} />
      )}
      {editing?.mode === 'add' || editedHost ? (
        <HostForm
          key={editedHost?.id ?? 'new'}
          clusterId={cluster.id}
          clusterName={cluster.name}
          host={editedHost}
          defaultRole={defaultRole}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {editing?.mode === 'import' ? (
        <SshImportDialog cluster={cluster} onClose={() => setEditing(null)} />
      ) : null}
      <AddMachines
        key={cluster.id}
        cluster={cluster}
        onInstall={installed || running ? undefined : () => setInstalling(true)}
      />
      <InstallSection
        key={`install-${cluster.id}`}
        cluster={cluster}
        run={run}
        info={info}
        streamError={streamError}
        panelOpen={installing}
        onOpenPanel={() => setInstalling(true)}
        onClosePanel={() => setInstalling(false)}
      />
    </section>
  );
}
