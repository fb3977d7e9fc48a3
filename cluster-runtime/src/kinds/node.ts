/**
 * Node (core/v1): identity and row. Nodes are infrastructure in Nodeless — the UI shows them
 * as machines in a capacity pool — so the row carries what that needs: kubectl's STATUS
 * (`Ready`, `NotReady`, `Unknown`, `,SchedulingDisabled`) and ROLES, the kubelet version,
 * the internal address, capacity and allocatable as the API states them, and the runtime
 * handlers containerd advertises (`kata-clh`, `runsc` — the sandbox readiness check).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/
 * @see https://kubernetes.io/docs/reference/node/node-status/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printNode, findNodeRoles)
 */
import type { V1Node } from '@kubernetes/client-node';
import { kindIdentity, rowBase, type RowBase } from './kind.ts';

export const NODE = kindIdentity('', 'v1', 'Node', 'nodes', false);

/** cpu, memory, pods … as quantities in the API's text (`4`, `16318644Ki`, `110`). */
export type ResourceList = Readonly<Record<string, string>>;

export interface NodeRow extends RowBase {
  /** kubectl's STATUS column. */
  status: string;
  /** The Ready condition is True. */
  ready: boolean;
  unschedulable: boolean;
  /** kubectl's ROLES (`control-plane`, `master` …), sorted; empty for none. */
  roles: string[];
  labels: Readonly<Record<string, string>>;
  kubeletVersion: string;
  kernelVersion: string;
  internalIP?: string;
  capacity: ResourceList;
  allocatable: ResourceList;
  runtimeHandlers: string[];
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE = 'kubernetes.io/role';

/** Roles from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role` value. */
export function nodeRoles(labels: Readonly<Record<string, string>>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length)
      roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === LEGACY_ROLE && v) roles.add(v);
  }
  return [...roles].sort();
}

export function nodeRow(n: V1Node): NodeRow {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const unschedulable = n.spec?.unschedulable === true;
  const words = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (unschedulable) words.push('SchedulingDisabled');
  const labels = n.metadata?.labels ?? {};
  const internalIP = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  return {
    ...rowBase(n),
    status: words.join(','),
    ready: ready?.status === 'True',
    unschedulable,
    roles: nodeRoles(labels),
    labels,
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? '',
    kernelVersion: n.status?.nodeInfo?.kernelVersion ?? '',
    ...(internalIP ? { internalIP } : {}),
    capacity: n.status?.capacity ?? {},
    allocatable: n.status?.allocatable ?? {},
    runtimeHandlers: (n.status?.runtimeHandlers ?? []).map((h) => h.name ?? '').filter(Boolean),
  };
}
