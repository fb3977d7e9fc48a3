/**
 * Pod (core/v1): identity and the Pods table's row — owner workload, kubectl's STATUS, READY
 * and RESTARTS, node, age, and the billable size admission recorded on the pod.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printPod)
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  controllerOf,
  kindIdentity,
  rowBase,
  timeOf,
  type ObjectRef,
  type RowBase,
} from './kind.ts';
import { workloadOf, type OwnerIndex } from './owners.ts';
import { podStatusColumns } from './pod-status.ts';

export const POD = kindIdentity('', 'v1', 'Pod', 'pods', true);

/** The label admission puts on every tenant pod: its billable size (`0.25x0.5`, `2x4`). */
export const SIZE_LABEL = 'nodeless.dev/size';

export interface PodRow extends RowBase {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** The workload: Deployment (through its ReplicaSet), StatefulSet, CronJob (through its Job), … */
  owner?: ObjectRef;
  /** status.phase: Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  /** As `kubectl get pods` prints it (`Init:0/1`, `CrashLoopBackOff`, `Terminating`, …). */
  status: string;
  ready: number;
  total: number;
  restarts: number;
  lastRestartAt?: number;
  node?: string;
  /** metadata.deletionTimestamp (ms): the pod is going away. */
  deletedAt?: number;
  /** Billable size from the `nodeless.dev/size` label, when admission set it. */
  size?: string;
  runtimeClass?: string;
}

/**
 * The row of a pod. Pass the {@link OwnerIndex} of the ReplicaSet and Job caches to resolve
 * the workload (Deployment, CronJob) without a request; without it the owner is the pod's
 * direct controller.
 */
export function podRow(pod: V1Pod, owners?: OwnerIndex): PodRow {
  const base = rowBase(pod);
  const namespace = base.namespace ?? '';
  const labels = pod.metadata?.labels ?? {};
  const owner = workloadOf(namespace, controllerOf(pod), owners);
  const columns = podStatusColumns(pod);
  const deletedAt = timeOf(pod.metadata?.deletionTimestamp);
  const size = labels[SIZE_LABEL];
  return {
    ...base,
    namespace,
    labels,
    ...(owner ? { owner } : {}),
    phase: pod.status?.phase ?? 'Unknown',
    ...columns,
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    ...(deletedAt === undefined ? {} : { deletedAt }),
    ...(size ? { size } : {}),
    ...(pod.spec?.runtimeClassName ? { runtimeClass: pod.spec.runtimeClassName } : {}),
  };
}
