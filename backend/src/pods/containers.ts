/**
 * Which container a log view reads, and whether it has anything to read yet — the rules of
 * `kubectl logs` and of the kubelet, applied before asking so the view can say "waiting to
 * start: ContainerCreating" instead of showing an empty pane.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/logs/logs.go (default container)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kubelet_pods.go (validateContainerLogStatus)
 */
import type { podRow } from '@nodeless/cluster-runtime';

/** A Pod as client-node types it (backend does not depend on client-node directly). */
export type Pod = Parameters<typeof podRow>[0];

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * The container `kubectl logs` reads when none is named: the annotated default when it names a
 * container of the pod, else the first.
 */
export function defaultContainer(pod: Pod): string | undefined {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && names.includes(annotated)) return annotated;
  return names[0];
}

export type Readiness = { ready: true; restarts: number } | { ready: false; reason: string };

/**
 * Whether `container` has a log to read: it runs or ran (this or a previous instance). Otherwise
 * why not, as the kubelet words it (`waiting.reason`, ContainerCreating before any status).
 */
export function logReadiness(pod: Pod, container: string): Readiness {
  const all = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const status = all.find((s) => s.name === container);
  const restarts = status?.restartCount ?? 0;
  if (status?.state?.running || status?.state?.terminated || status?.lastState?.terminated)
    return { ready: true, restarts };
  const reason = status?.state?.waiting?.reason;
  if (reason === 'ErrImagePull') return { ready: false, reason: "image can't be pulled" };
  if (reason === 'ImagePullBackOff')
    return { ready: false, reason: 'trying and failing to pull image' };
  return { ready: false, reason: reason ?? 'ContainerCreating' };
}

/** Whether the container's current instance is running (its log may still grow). */
export function containerRunning(pod: Pod, container: string): boolean {
  const all = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  return all.find((s) => s.name === container)?.state?.running !== undefined;
}

/** Whether the pod is over for good (its containers will not run again). */
export function podFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The reason of the API's 400 for a container that has not started, if that is what it is. */
export function waitingReasonOf(message: string): string | undefined {
  return /is waiting to start:?\s*(.*)$/.exec(message)?.[1]?.trim() || undefined;
}
