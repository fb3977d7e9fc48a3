/**
 * Which inventory hosts are part of the installed cluster, replayed from the cluster's
 * succeeded runs (oldest first): an install sets the members, adding hosts adds, removing a
 * host removes it, a reset empties the cluster. Day-2 buttons are offered from this.
 * Which members are servers comes from the same runs (the k3s server steps they ran), not from
 * the inventory role, which the install options may have overridden.
 */
import type { RunView } from '@nodeless/backend/api';

/** Host ids of a run's steps, in plan order. */
export function runHosts(run: Pick<RunView, 'steps'>): string[] {
  const out = new Set<string>();
  for (const s of run.steps) if (s.hostId !== null) out.add(s.hostId);
  return [...out];
}

/** Members after the given runs (`runs` newest first, as `bootstrap.runs` returns them). */
export function clusterMembers(runs: readonly RunView[]): Set<string> {
  let members = new Set<string>();
  for (const run of [...runs].reverse()) {
    if (run.state !== 'succeeded') continue;
    const hosts = runHosts(run);
    switch (run.kind) {
      case 'install':
        members = new Set(hosts);
        break;
      case 'add-hosts':
        for (const h of hosts) members.add(h);
        break;
      case 'remove-host':
        for (const h of hosts) members.delete(h);
        break;
      case 'reset':
        members = new Set();
        break;
    }
  }
  return members;
}

/** Phases only a k3s server runs (cluster-init on the first, join on the others). */
const SERVER_PHASES: ReadonlySet<string> = new Set(['k3s-server-init', 'k3s-server-join']);

/** The members (see {@link clusterMembers}) that run the control plane. */
export function clusterServers(runs: readonly RunView[]): Set<string> {
  const members = clusterMembers(runs);
  const servers = new Set<string>();
  for (const run of runs) {
    if (run.state !== 'succeeded' || (run.kind !== 'install' && run.kind !== 'add-hosts')) continue;
    for (const s of run.steps) {
      if (s.hostId !== null && SERVER_PHASES.has(s.phase) && members.has(s.hostId)) {
        servers.add(s.hostId);
      }
    }
  }
  return servers;
}
