/**
 * A pod's effective request, as the scheduler computes it: the larger of (sum of app
 * containers) and (largest init container), per resource, plus the RuntimeClass overhead.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 */
import type { V1Pod, V1PodSpec, V1ResourceRequirements } from '@kubernetes/client-node';
import { GiB, parseQuantity } from './quantity.ts';
import type { PodSpecSize } from './pod-specs.ts';

interface Resources {
  cpu: number;
  memory: number;
}

function requestsOf(r: V1ResourceRequirements | undefined): Resources {
  // Requests default to limits when only limits are set (API defaulting).
  const pick = (name: 'cpu' | 'memory'): number => {
    const q = r?.requests?.[name] ?? r?.limits?.[name];
    return q === undefined ? 0 : parseQuantity(q);
  };
  return { cpu: pick('cpu'), memory: pick('memory') };
}

/** Effective request in cores and bytes, including `spec.overhead` when present. */
export function effectiveRequest(spec: V1PodSpec): Resources {
  const sum = spec.containers.reduce(
    (acc, c) => {
      const r = requestsOf(c.resources);
      return { cpu: acc.cpu + r.cpu, memory: acc.memory + r.memory };
    },
    { cpu: 0, memory: 0 },
  );
  for (const c of spec.initContainers ?? []) {
    const r = requestsOf(c.resources);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  const overhead = spec.overhead ?? {};
  if (overhead['cpu'] !== undefined) sum.cpu += parseQuantity(overhead['cpu']);
  if (overhead['memory'] !== undefined) sum.memory += parseQuantity(overhead['memory']);
  return sum;
}

/** The effective request as a spec-table query (vCPU, GiB). */
export function podSizeRequest(pod: V1Pod): PodSpecSize {
  const r = pod.spec ? effectiveRequest(pod.spec) : { cpu: 0, memory: 0 };
  return { vcpu: r.cpu, memoryGiB: r.memory / GiB };
}
