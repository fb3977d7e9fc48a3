/**
 * Where an event's object lives in the window: a pod opens in the Pods section's details, a
 * Deployment, StatefulSet, Job or CronJob in the Workloads section's; other kinds (nodes,
 * ReplicaSets, …) have no page of their own yet, so their events link nowhere.
 */
import type { EventRow } from './event-groups.ts';
import { routeHash } from '../ui/route-model.ts';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'] as const;
type LinkedWorkloadKind = (typeof WORKLOAD_KINDS)[number];
const isWorkloadKind = (k: string): k is LinkedWorkloadKind =>
  (WORKLOAD_KINDS as readonly string[]).includes(k);

export function objectHref(clusterId: string, e: EventRow): string | undefined {
  const { kind, name } = e.regarding;
  const namespace = e.regarding.namespace ?? e.namespace;
  if (!name || !namespace) return undefined;
  if (kind === 'Pod') {
    return routeHash({ kind: 'cluster', clusterId, section: 'pods', pod: { namespace, name } });
  }
  if (isWorkloadKind(kind)) {
    return routeHash({
      kind: 'cluster',
      clusterId,
      section: 'workloads',
      workload: { kind, namespace, name },
    });
  }
  return undefined;
}
