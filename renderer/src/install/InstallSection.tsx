/**
 * Everything about installing one cluster, under its capacity map: the install panel (when
 * opened), the latest run as a grid (live from `bootstrap.events`, so a reload or a second
 * window shows it), and once installed "Cluster ready" with the day-2 actions.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterView } from '@nodeless/backend/api';
import { useBootstrapApi } from '../ui/app-context.tsx';
import { endpoint } from '../ui/HostTable.tsx';
import { Day2 } from './Day2.tsx';
import { DonePanel } from './DonePanel.tsx';
import { InstallPanel } from './InstallPanel.tsx';
import { RunGrid } from './RunGrid.tsx';
import type { InstallInfo } from './use-install.ts';
import type { RunSnapshot } from './run-model.ts';

export interface InstallSectionProps {
  cluster: ClusterView;
  run: RunSnapshot | null;
  info: InstallInfo;
  streamError: string | undefined;
  panelOpen: boolean;
  onOpenPanel(): void;
  onClosePanel(): void;
}

export function InstallSection(props: InstallSectionProps) {
  const { cluster, run, info, streamError, panelOpen, onOpenPanel, onClosePanel } = props;
  const api = useBootstrapApi();
  const ref = useRef<HTMLDivElement>(null);
  const [upgradeReason, setUpgradeReason] = useState('Upgrades are not implemented yet');
  const labels = useMemo(
    () => new Map(cluster.hosts.map((h) => [h.id, endpoint(h)] as const)),
    [cluster.hosts],
  );
  // Who is in the cluster is the backend's record (kept after every install, add, remove).
  const recorded = info.cluster?.members;
  const servers = useMemo(() => new Set(recorded?.servers ?? []), [recorded]);
  const members = useMemo(
    () => new Set([...(recorded?.servers ?? []), ...(recorded?.agents ?? [])]),
    [recorded],
  );
  const installed = info.cluster?.installed === true;
  const running = run?.meta.state === 'running';

  useEffect(() => {
    if (panelOpen) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [panelOpen]);
  useEffect(() => {
    if (!installed) return;
    let open = true;
    api.defaults({ clusterId: cluster.id }).then(
      (d) => open && setUpgradeReason(d.upgrade.reason),
      () => undefined,
    );
    return () => {
      open = false;
    };
  }, [api, cluster.id, installed]);

  return (
    <div ref={ref} className="install-section">
      {streamError ? (
        <p className="form-error" role="alert">
          Live install progress is unavailable: {streamError}
        </p>
      ) : null}
      {installed && !running && info.cluster ? (
        <>
          <DonePanel
            clusterId={cluster.id}
            clusterName={cluster.name}
            info={info.cluster}
            members={cluster.hosts.filter((h) => members.has(h.id)).map(endpoint)}
          />
          <Day2
            cluster={cluster}
            members={members}
            servers={servers}
            busy={running}
            upgradeReason={upgradeReason}
          />
        </>
      ) : null}
      {panelOpen && !running ? (
        <InstallPanel cluster={cluster} onClose={onClosePanel} onStarted={onClosePanel} />
      ) : run ? (
        <>
          {!installed && !running ? (
            <div className="inline-actions end">
              <button type="button" onClick={onOpenPanel}>
                Change install options…
              </button>
            </div>
          ) : null}
          <RunGrid run={run} labels={labels} />
        </>
      ) : null}
    </div>
  );
}
