/**
 * A bare pod (no controller: `kubectl run`, a pod manifest) as a Workloads row, from the pod
 * row the Pods cache already holds (no second watch of pods): kubectl's STATUS word
 * (`CrashLoopBackOff`, `ErrImagePull`, `Pending` …), ready when every container is.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 */
import type { PodRow } from '../../kinds/pod.ts';
import type { WorkloadRow, WorkloadState } from './types.ts';

/** kubectl's waiting reasons that mean "this needs a look". */
const TROUBLE = /BackOff|Err|Error|OOMKilled|Invalid|Failed|Unknown/;

/** A pod is a workload of its own when no controller manages it. */
export function isBarePod(pod: Pick<PodRow, 'owner'>): boolean {
  return pod.owner === undefined;
}

/** `images`: the pod's container images, where the caller kept them (bare pods only). */
export function podWorkload(pod: PodRow & { images?: readonly string[] }): WorkloadRow {
  const ready = pod.phase === 'Running' && pod.total > 0 && pod.ready === pod.total ? 1 : 0;
  let state: WorkloadState;
  if (pod.phase === 'Succeeded') state = 'complete';
  else if (pod.phase === 'Failed') state = 'failed';
  else if (pod.phase === 'Pending') state = 'pending';
  else state = 'running';
  const status =
    pod.unscheduled && pod.status === 'Pending'
      ? `Pending: ${pod.unscheduled.reason || 'not scheduled'}`
      : pod.status;
  return {
    uid: pod.uid,
    kind: 'Pod',
    namespace: pod.namespace,
    name: pod.name,
    ...(pod.createdAt === undefined ? {} : { createdAt: pod.createdAt }),
    ready,
    desired: 1,
    ...(pod.size === undefined ? {} : { size: pod.size }),
    ...(pod.runtimeClass === undefined ? {} : { sandbox: pod.runtimeClass }),
    images: [...(pod.images ?? [])],
    state,
    status,
    warning: state === 'failed' || TROUBLE.test(pod.status) || pod.unscheduled !== undefined,
    paused: false,
  };
}
