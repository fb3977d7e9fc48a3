/**
 * ReplicaSet (apps/v1): identity and row — kubectl's DESIRED, CURRENT and READY, and the
 * controller (normally a Deployment) that the pod rows resolve their workload through.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/replica-set-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printReplicaSet)
 */
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { controllerOf, kindIdentity, rowBase, type ObjectRef, type RowBase } from './kind.ts';

export const REPLICA_SET = kindIdentity('apps', 'v1', 'ReplicaSet', 'replicasets', true);

export interface ReplicaSetRow extends RowBase {
  namespace: string;
  desired: number;
  current: number;
  ready: number;
  /** The controller: the Deployment whose pods these are. */
  owner?: ObjectRef;
}

export function replicaSetRow(rs: V1ReplicaSet): ReplicaSetRow {
  const base = rowBase(rs);
  const owner = controllerOf(rs);
  return {
    ...base,
    namespace: base.namespace ?? '',
    desired: rs.spec?.replicas ?? 1,
    current: rs.status?.replicas ?? 0,
    ready: rs.status?.readyReplicas ?? 0,
    ...(owner ? { owner } : {}),
  };
}
