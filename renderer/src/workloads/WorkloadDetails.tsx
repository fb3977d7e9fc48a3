/**
 * A workload's details pane: what it is (kind, namespace, ready/desired, size, sandbox,
 * images, age, status in words and its progress while it rolls out), the pool-full sentence
 * with "Add a machine" when its pods wait for room, its pods (each with its size and sandbox,
 * a link to the pod in the Pods section) and its operations (scale, HPA, rollout, YAML,
 * delete). Everything is live from the feeds: a `kubectl scale` shows here at once.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { WorkloadRow } from '@nodeless/backend/api';
import type { PodRow } from '../api/workspace-api.ts';
import { ObjectEvents } from '../events/ObjectEvents.tsx';
import { WorkloadLogs } from '../logs/WorkloadLogs.tsx';
import { usePodsLogsApi } from '../ui/app-context.tsx';
import { routeHash } from '../ui/route-model.ts';
import { formatAge } from '../workspace/format.ts';
import { useFeed } from '../workspace/use-workspace.ts';
import { AddMachineButton, type MachineTarget } from './AddMachineButton.tsx';
import { isScalable } from './operate/operate-model.ts';
import { WorkloadOperations } from './operate/WorkloadOperations.tsx';
import type { YamlObjectRef } from './yaml/YamlDialog.tsx';
import { createWorkloadPods } from './workload-pods.ts';
import { useNow } from './WorkloadsGrid.tsx';
import type { WorkloadRef } from './workload-ref.ts';
import { readyText, sizeWords, stateClass, statusText } from './workloads-model.ts';

const EMPTY = createStore<{ pods: readonly PodRow[] }>(() => ({ pods: [] }));

export interface WorkloadDetailsProps {
  cluster: MachineTarget;
  workload: WorkloadRef;
  row: WorkloadRow | undefined;
  loaded: boolean;
  onClose(): void;
  onEditYaml(ref: YamlObjectRef): void;
}

export function WorkloadDetails(props: WorkloadDetailsProps) {
  const { cluster, workload, row, loaded, onClose, onEditYaml } = props;
  const title = `${workload.kind} ${workload.name}`;
  const logsApi = usePodsLogsApi();
  return (
    <aside className="details wl-details" aria-label={`Details of ${title}`}>
      <header className="details-header">
        <div>
          <p className="muted small">
            {workload.kind} · {workload.namespace}
          </p>
          <h2 className="details-title">{workload.name}</h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      {row ? (
        <>
          <Summary row={row} />
          {row.poolFull ? (
            <div className="pool-full-note" role="status">
              <p>{row.poolFull.message}.</p>
              <AddMachineButton cluster={cluster} />
            </div>
          ) : null}
          <WorkloadPods
            key={`pods:${workload.kind}/${workload.namespace}/${workload.name}`}
            clusterId={cluster.id}
            workload={workload}
          />
          <WorkloadOperations
            key={`ops:${workload.kind}/${workload.namespace}/${workload.name}`}
            clusterId={cluster.id}
            workload={workload}
            row={row}
            onDeleted={onClose}
            onEditYaml={onEditYaml}
          />
          {workload.kind === 'Pod' ? null : (
            <section className="wl-logs" aria-label={`Logs of ${title}`}>
              <h3>Logs</h3>
              <div className="wl-logs-box">
                <WorkloadLogs
                  key={`logs:${workload.kind}/${workload.namespace}/${workload.name}`}
                  clusterId={cluster.id}
                  namespace={workload.namespace}
                  kind={workload.kind}
                  name={workload.name}
                  api={logsApi}
                />
              </div>
            </section>
          )}
          <ObjectEvents clusterId={cluster.id} uid={row.uid} />
        </>
      ) : (
        <p className="muted">
          {loaded
            ? `${title} is not in namespace ${workload.namespace} (deleted, or never there).`
            : 'Loading…'}
        </p>
      )}
    </aside>
  );
}

function Summary({ row }: { row: WorkloadRow }) {
  const size = sizeWords(row.size);
  const now = useNow(1000);
  return (
    <dl className="facts wl-facts">
      <dt>Status</dt>
      <dd className={stateClass(row)}>{statusText(row)}</dd>
      {/* A rollout's progress shows in the operations beside the actions; a Job's here. */}
      {row.progress && !row.progress.done && !isScalable(row.kind) ? (
        <>
          <dt>Progress</dt>
          <dd>
            <progress
              max={Math.max(1, row.progress.max)}
              value={row.progress.current}
              aria-label={row.progress.description}
            />{' '}
            <span className="muted small">{row.progress.description}</span>
          </dd>
        </>
      ) : null}
      <dt>Ready</dt>
      <dd>{readyText(row)}</dd>
      <dt>Pod size</dt>
      <dd>{size ?? <span className="muted">not sized</span>}</dd>
      <dt>Sandbox</dt>
      <dd className="mono">{row.sandbox ?? <span className="muted">none</span>}</dd>
      <dt>{row.images.length === 1 ? 'Image' : 'Images'}</dt>
      <dd className="mono small">
        {row.images.length === 0 ? '—' : row.images.map((i) => <div key={i}>{i}</div>)}
      </dd>
      <dt>Age</dt>
      <dd>{row.createdAt === undefined ? '—' : formatAge(now - row.createdAt)}</dd>
      {row.lastScheduleAt !== undefined ? (
        <>
          <dt>Last schedule</dt>
          <dd>{formatAge(now - row.lastScheduleAt)} ago</dd>
        </>
      ) : null}
    </dl>
  );
}

function WorkloadPods({ clusterId, workload }: { clusterId: string; workload: WorkloadRef }) {
  const feed = useFeed(clusterId, 'pods');
  // The parent keys this pane by workload, so one view per workload and feed.
  const [view] = useState(() => ({ feed, pods: createWorkloadPods(feed.store, workload) }));
  const current = view.feed === feed ? view.pods : undefined;
  useEffect(() => current?.start(), [current]);
  const pods = useStore(current?.store ?? EMPTY, (s) => s.pods);
  return (
    <section className="wl-pods" aria-label="Pods of this workload">
      <h3>Pods ({pods.length})</h3>
      {pods.length === 0 ? (
        <p className="muted small">No pods now.</p>
      ) : (
        <table className="wl-pods-table">
          <thead>
            <tr>
              <th scope="col">Pod</th>
              <th scope="col">Status</th>
              <th scope="col">Size</th>
              <th scope="col">Sandbox</th>
            </tr>
          </thead>
          <tbody>
            {pods.map((p) => (
              <tr key={p.uid}>
                <th scope="row">
                  <a
                    href={routeHash({
                      kind: 'cluster',
                      clusterId,
                      section: 'pods',
                      pod: { namespace: p.namespace, name: p.name },
                    })}
                  >
                    {p.name}
                  </a>
                </th>
                <td className={p.phase === 'Pending' ? 'warn-text' : undefined}>{p.status}</td>
                <td>{sizeWords(p.size) ?? <span className="muted">not sized</span>}</td>
                <td className="mono small">
                  {p.runtimeClass ?? <span className="muted">none</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
