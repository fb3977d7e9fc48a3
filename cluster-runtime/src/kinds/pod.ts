/**
 * Pod (core/v1): identity and the Pods table's row — owner workload, kubectl's STATUS, READY
 * and RESTARTS, node, age, and the billable size admission recorded on the pod.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printPod)
 */
import type { V1Pod } from '@kubernetes/client-node';
import { templateSize } from './template-size.ts';
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
  /**
   * Billable size (`2x4`): the `nodeless.dev/size` label admission set, else the size the pod's
   * resources round up to (see {@link templateSize}); absent when neither says (not sized).
   */
  size?: string;
  runtimeClass?: string;
  /**
   * Why the scheduler has not placed it: the PodScheduled=False condition's reason
   * (`Unschedulable`, `SchedulingGated`) and message (`0/3 nodes are available: 3 Insufficient
   * cpu.`). Only on pods not placed yet, so the row stays slim.
   */
  unscheduled?: { reason: string; message?: string };
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
  const size = templateSize(pod.spec, labels);
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const unscheduled =
    scheduled?.status === 'False' && !pod.spec?.nodeName
      ? {
          reason: scheduled.reason ?? '',
          ...(scheduled.message ? { message: scheduled.message } : {}),
        }
      : undefined;
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
    ...(unscheduled ? { unscheduled } : {}),
  };
}
