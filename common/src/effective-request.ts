/**
 * A pod's effective request and its billable size (DESIGN.md §5): per container, the limit wins
 * over the request (after admission requests = limits, so the size must hold the limit); app
 * containers and restartable init containers (sidecars) are summed; each classic init container
 * runs alone beside the sidecars started before it, so the pod needs the larger of the two;
 * pod-level `spec.resources` wins where it is set. A pod that asks for nothing gets the default
 * size. RuntimeClass overhead is NOT part of it: admission adds `spec.overhead` on top of the
 * size, and the scheduler and the capacity map count it separately.
 *
 * The types are structural, so `V1PodSpec` of @kubernetes/client-node fits them and this module
 * stays free of any dependency.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 * @see https://github.com/kubernetes/component-helpers/blob/master/resource/helpers.go — PodRequests
 * @see ../../../shared/DESIGN.md §5
 */
import { billableSize, DEFAULT_POD_SIZE, type PodSize, type ResourceAmount } from './pod-sizes.ts';
import { quantityMilliValue, quantityValue } from './quantity.ts';

/** `resources` of a container or a pod: quantities by resource name. */
export interface ResourceRequirementsLike {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

export interface ContainerLike {
  readonly resources?: ResourceRequirementsLike;
  /** `Always` on an init container makes it a sidecar. */
  readonly restartPolicy?: string;
}

export interface PodSpecLike {
  readonly containers: readonly ContainerLike[];
  readonly initContainers?: readonly ContainerLike[];
  /** Pod-level resources (KEP-2837). */
  readonly resources?: ResourceRequirementsLike;
}

const ZERO: ResourceAmount = { cpuMilli: 0, memoryBytes: 0 };

const add = (a: ResourceAmount, b: ResourceAmount): ResourceAmount => ({
  cpuMilli: a.cpuMilli + b.cpuMilli,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});
const max = (a: ResourceAmount, b: ResourceAmount): ResourceAmount => ({
  cpuMilli: Math.max(a.cpuMilli, b.cpuMilli),
  memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
});

/** The quantity that counts for one resource: the limit when set, else the request. */
function pick(r: ResourceRequirementsLike | undefined, name: 'cpu' | 'memory'): string | undefined {
  return r?.limits?.[name] ?? r?.requests?.[name];
}

/** What one container (or the pod level) holds: limits win over requests. */
export function containerAmount(r: ResourceRequirementsLike | undefined): ResourceAmount {
  const cpu = pick(r, 'cpu');
  const memory = pick(r, 'memory');
  return {
    cpuMilli: cpu === undefined ? 0 : quantityMilliValue(cpu),
    memoryBytes: memory === undefined ? 0 : quantityValue(memory),
  };
}

/**
 * The effective request in millicores and bytes (0 where nothing is asked).
 *
 * @throws QuantityError naming the text of a malformed quantity.
 */
export function effectiveRequest(spec: PodSpecLike): ResourceAmount {
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const c of spec.initContainers ?? []) {
    const own = containerAmount(c.resources);
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(own, sidecars));
    }
  }
  const app = spec.containers.reduce((sum, c) => add(sum, containerAmount(c.resources)), sidecars);
  const containers = max(app, initPeak);
  const pod = spec.resources;
  return {
    cpuMilli: pick(pod, 'cpu') === undefined ? containers.cpuMilli : containerAmount(pod).cpuMilli,
    memoryBytes:
      pick(pod, 'memory') === undefined ? containers.memoryBytes : containerAmount(pod).memoryBytes,
  };
}

/**
 * The billable size of a pod: its effective request rounded up to the smallest size that holds
 * it; the default size when it asks for nothing.
 *
 * @throws PodTooLargeError when no size holds it; QuantityError for a malformed quantity.
 */
export function podSizeOf(spec: PodSpecLike): PodSize {
  const request = effectiveRequest(spec);
  if (request.cpuMilli === 0 && request.memoryBytes === 0) return DEFAULT_POD_SIZE;
  return billableSize(request);
}
