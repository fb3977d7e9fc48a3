/**
 * Machines of a cluster Nodeless did not install (imported, demo): read-only, from the live
 * nodes feed. Called machines, as everywhere in the product.
 */
import { useMemo } from 'react';
import { quantityMilliValue, quantityValue } from '@nodeless/common';
import type { NodeRow } from '../api/workspace-api.ts';
import { formatCpu, formatMemory } from './format.ts';
import { isStale, StatusBanner } from './StatusBanner.tsx';
import { useFeed, useFeedState } from './use-workspace.ts';

function amount(q: string | undefined, read: (q: string) => number, format: (n: number) => string) {
  if (q === undefined) return '—';
  try {
    return format(read(q));
  } catch {
    return q;
  }
}

export function MachinesList({ clusterId }: { clusterId: string }) {
  const feed = useFeed(clusterId, 'nodes');
  const version = useFeedState(feed, (s) => s.version);
  const loaded = useFeedState(feed, (s) => s.loaded);
  const status = useFeedState(feed, (s) => s.status);
  const streamError = useFeedState(feed, (s) => s.streamError);
  const machines = useMemo(
    () => [...feed.store.getState().rows.values()].sort((a, b) => a.name.localeCompare(b.name)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the Map is updated in place; version says when
    [feed, version],
  );
  return (
    <section aria-label="Machines">
      <StatusBanner status={status} streamError={streamError} />
      <h2 className="section-title">Machines</h2>
      {!loaded && machines.length === 0 ? <p className="muted">Loading machines…</p> : null}
      {loaded && machines.length === 0 ? (
        <p className="muted">This cluster has no machines.</p>
      ) : null}
      {machines.length > 0 ? (
        <table className={isStale(status) ? 'hosts stale' : 'hosts'} aria-label="Machines">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Roles</th>
              <th scope="col">Address</th>
              <th scope="col">vCPU</th>
              <th scope="col">Memory</th>
              <th scope="col">Kubelet</th>
            </tr>
          </thead>
          <tbody>
            {machines.map((m: NodeRow) => (
              <tr key={m.uid}>
                <th scope="row">{m.name}</th>
                <td className={m.ready ? 'st-ok' : 'st-bad'}>{m.status}</td>
                <td>{m.roles.join(', ') || '—'}</td>
                <td className="mono">{m.internalIP ?? '—'}</td>
                <td>{amount(m.allocatable.cpu, quantityMilliValue, formatCpu)}</td>
                <td>{amount(m.allocatable.memory, quantityValue, formatMemory)}</td>
                <td className="muted">{m.kubeletVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
