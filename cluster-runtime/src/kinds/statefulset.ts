/**
 * StatefulSet (apps/v1): identity and row — kubectl's READY (`ready/desired`) plus the
 * up-to-date and current counts of a rolling update.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printStatefulSet)
 */
import type { V1StatefulSet } from '@kubernetes/client-node';
import { kindIdentity, rowBase, templateImages, type RowBase } from './kind.ts';

export const STATEFUL_SET = kindIdentity('apps', 'v1', 'StatefulSet', 'statefulsets', true);

export interface StatefulSetRow extends RowBase {
  namespace: string;
  desired: number;
  ready: number;
  /** Pods at the update revision. */
  updated: number;
  /** Pods at the current revision. */
  current: number;
  serviceName?: string;
  images: string[];
}

export function statefulSetRow(s: V1StatefulSet): StatefulSetRow {
  const base = rowBase(s);
  const serviceName = s.spec?.serviceName;
  return {
    ...base,
    namespace: base.namespace ?? '',
    desired: s.spec?.replicas ?? 1,
    ready: s.status?.readyReplicas ?? 0,
    updated: s.status?.updatedReplicas ?? 0,
    current: s.status?.currentReplicas ?? 0,
    ...(serviceName ? { serviceName } : {}),
    images: templateImages(s.spec?.template?.spec),
  };
}
