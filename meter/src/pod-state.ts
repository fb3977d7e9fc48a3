/**
 * What the recorder asks of a pod, as pure functions: does it carry the meter's finalizer, has it
 * ended (terminal, or deleted with its containers stopped), and the patch that removes the
 * finalizer without touching anyone else's.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { METER_FINALIZER } from '@nodeless/cluster-runtime';

/**
 * After a deleted pod's grace period ended, how long the meter waits for the kubelet to report
 * its containers stopped before it takes the end of the grace period as the end (a node that is
 * gone never reports): the kubelet kills what still runs when the grace period ends.
 */
export const STOP_SLACK_MS = 30_000;

export const hasMeterFinalizer = (pod: V1Pod): boolean =>
  (pod.metadata?.finalizers ?? []).includes(METER_FINALIZER);

const TERMINAL = new Set(['Succeeded', 'Failed']);
export const isTerminal = (pod: V1Pod): boolean => TERMINAL.has(pod.status?.phase ?? '');

const statuses = (pod: V1Pod): V1ContainerStatus[] => [
  ...(pod.status?.initContainerStatuses ?? []),
  ...(pod.status?.containerStatuses ?? []),
  ...(pod.status?.ephemeralContainerStatuses ?? []),
];

/** Epoch ms of the deletion's end of grace, undefined when the pod is not being deleted. */
export function deletionMs(pod: V1Pod): number | undefined {
  const t = pod.metadata?.deletionTimestamp as unknown;
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(String(t));
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Whether the pod's life is over at `nowMs`: terminal, or deleted and nothing runs any more (or
 * the grace period ended {@link STOP_SLACK_MS} ago without the kubelet saying so).
 */
export function hasEnded(pod: V1Pod, nowMs: number): boolean {
  if (isTerminal(pod)) return true;
  const deleted = deletionMs(pod);
  if (deleted === undefined) return false;
  if (nowMs >= deleted + STOP_SLACK_MS) return true;
  return !statuses(pod).some((s) => s.state?.running !== undefined && s.state.running !== null);
}

/**
 * The moment a deleted pod's life ended when its containers do not all say (`deletedAtMs` of
 * podLife): the end of its grace period, or `nowMs` when that is still ahead (a pod removed from
 * the API earlier, e.g. force-deleted).
 */
export function deletedAt(pod: V1Pod, nowMs: number): number | undefined {
  const d = deletionMs(pod);
  return d === undefined ? undefined : Math.min(d, nowMs);
}

/**
 * JSON merge patch removing the meter's finalizer. A merge patch replaces the whole list, so it
 * carries the resourceVersion the list was read at: if anyone changed the pod since, the API
 * server answers 409 and the next event retries with the new list.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc7386
 */
export function finalizerRemoval(pod: V1Pod): { metadata: Record<string, unknown> } {
  const rest = (pod.metadata?.finalizers ?? []).filter((f) => f !== METER_FINALIZER);
  return {
    metadata: {
      resourceVersion: pod.metadata?.resourceVersion,
      finalizers: rest.length > 0 ? rest : null,
    },
  };
}

/** The pod without what the meter never reads (managedFields), to keep memory small. */
export function slimPod(pod: V1Pod): V1Pod {
  if (!pod.metadata?.managedFields) return pod;
  const { managedFields: _drop, ...metadata } = pod.metadata;
  return { ...pod, metadata };
}
