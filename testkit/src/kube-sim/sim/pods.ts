/**
 * Pod arithmetic shared by the scheduler, kubelet, controllers and metrics: effective requests
 * (sum of containers, max with init containers, plus RuntimeClass overhead) and status predicates.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 */
import type { V1Container, V1ResourceRequirements } from '@kubernetes/client-node';
import type { Pod, RuntimeClass } from './model.ts';
import { bytes, milliCpu } from './quantity.ts';

export interface Requests {
  cpu: number; // millicores
  memory: number; // bytes
}

/** A container's requests; limits stand in for missing requests, as API defaulting does. */
export function containerRequests(c: { resources?: V1ResourceRequirements }): Requests {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  return { cpu: milliCpu(req['cpu'] ?? lim['cpu']), memory: bytes(req['memory'] ?? lim['memory']) };
}

/** The pod's effective request: max(sum(containers), max(initContainers)) + overhead. */
export function podRequests(pod: Pod, runtimeClass?: RuntimeClass): Requests {
  const spec = pod.spec;
  const sum: Requests = { cpu: 0, memory: 0 };
  for (const c of spec?.containers ?? []) {
    const r = containerRequests(c);
    sum.cpu += r.cpu;
    sum.memory += r.memory;
  }
  for (const c of spec?.initContainers ?? []) {
    const r = containerRequests(c);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  // spec.overhead is set by the RuntimeClass admission plugin; fall back to the class itself.
  const overhead = spec?.overhead ?? runtimeClass?.overhead?.podFixed;
  if (overhead) {
    sum.cpu += milliCpu(overhead['cpu']);
    sum.memory += bytes(overhead['memory']);
  }
  return sum;
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isDeleting(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

/** Counts toward a controller's replicas: not terminal, not being deleted. */
export function isActive(pod: Pod): boolean {
  return !isTerminal(pod) && !isDeleting(pod);
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** When the pod last became Ready (ms), for minReadySeconds. */
export function readySince(pod: Pod): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

/** Ready for at least minReadySeconds (apps/v1 "available"). */
export function isAvailable(pod: Pod, minReadySeconds: number | undefined, now: number): boolean {
  if (!isReady(pod) || isDeleting(pod)) return false;
  if (!minReadySeconds) return true;
  const since = readySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

export function allContainers(pod: Pod): V1Container[] {
  return pod.spec?.containers ?? [];
}
