/**
 * Which inventory hosts are part of the installed cluster, replayed from the cluster's
 * succeeded runs (oldest first): an install sets the members, adding hosts adds, removing a
 * host removes it, a reset empties the cluster. Day-2 buttons are offered from this.
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
