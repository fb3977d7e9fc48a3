/**
 * The capacity pool, as pure functions: what the Ready, schedulable machines offer to pods
 * (their allocatable), what the pods placed on them take (their requests plus the sandbox
 * overhead admission added as `spec.overhead`), what is free, and how many more pods of each
 * billable size still fit. A pod cannot span machines, so "fits" packs per machine: the sum
 * over machines of ⌊free on that machine ÷ (size + sandbox overhead)⌋, bounded by the
 * machine's free pod slots. Integers only (millicores, bytes).
 *
 * What a pod takes follows the scheduler: its pod-level `spec.resources` requests where set
 * (KEP-2837), else common's effective request of its containers, plus `spec.overhead`. Pods
 * that finished (Succeeded, Failed) take nothing; pods not yet bound to a machine take nothing
 * here either (they are the Overview's "pending" warning).
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/assign-pod-level-resources/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit.go
 * @see ../../../common/src/effective-request.ts
 */
import {
  effectiveRequest,
  podSizeLabel,
  POD_SIZES,
  quantityMilliValue,
  quantityValue,
  type PodSize,
  type PodSpecLike,
  type ResourceAmount,
} from '@nodeless/common';

/** vCPU and memory, integers. */
export type PoolAmount = ResourceAmount;

/** A machine as the pool sees it (a NodeRow fits). */
export interface PoolNode {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  /** `status.allocatable` as the API states it (`cpu`, `memory`, `pods`). */
  allocatable: Readonly<Record<string, string>>;
}

/** A pod as the pool sees it. */
export interface PoolPod {
  /** `spec.nodeName`; absent while unscheduled. */
  node?: string | undefined;
  /** `status.phase`. */
  phase: string;
  /** What it takes, overhead included ({@link podPoolRequest}). */
  request: PoolAmount;
}

export interface PoolFit {
  /** The size's name (`0.25x0.5`, `2x4`). */
  size: string;
  count: number;
}

export interface CapacityPoolFigures {
  total: PoolAmount;
  taken: PoolAmount;
  free: PoolAmount;
  fits: PoolFit[];
}

const ZERO: PoolAmount = { cpuMilli: 0, memoryBytes: 0 };

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The pod spec fields the pool reads (a `V1PodSpec` fits). */
export interface PoolPodSpec extends PodSpecLike {
  readonly overhead?: Readonly<Record<string, string>>;
}

/** A quantity of a resource list, or 0 when absent or unreadable. */
function amountOf(list: Readonly<Record<string, string>> | undefined, name: 'cpu' | 'memory') {
  const text = list?.[name];
  if (text === undefined) return 0;
  try {
    return name === 'cpu' ? quantityMilliValue(text) : quantityValue(text);
  } catch {
    // The API server validates quantities; a value it accepted but we cannot read counts as 0
    // rather than taking the whole pool down.
    return 0;
  }
}

/** cpu and memory of a resource list (allocatable, overhead, requests). */
export function resourceAmount(list: Readonly<Record<string, string>> | undefined): PoolAmount {
  return { cpuMilli: amountOf(list, 'cpu'), memoryBytes: amountOf(list, 'memory') };
}

/**
 * What a pod takes from its machine: pod-level `spec.resources.requests` per resource where
 * set, else common's effective request of its containers; plus `spec.overhead`.
 */
export function podPoolRequest(spec: PoolPodSpec | undefined): PoolAmount {
  if (!spec) return ZERO;
  let containers: PoolAmount;
  try {
    containers = effectiveRequest(spec);
  } catch {
    containers = ZERO; // see amountOf
  }
  const podLevel = spec.resources?.requests;
  const overhead = resourceAmount(spec.overhead);
  return {
    cpuMilli:
      (podLevel?.['cpu'] === undefined ? containers.cpuMilli : amountOf(podLevel, 'cpu')) +
      overhead.cpuMilli,
    memoryBytes:
      (podLevel?.['memory'] === undefined ? containers.memoryBytes : amountOf(podLevel, 'memory')) +
      overhead.memoryBytes,
  };
}

/** Machines whose allocatable counts: Ready and not cordoned. */
export function poolNodes(nodes: Iterable<PoolNode>): PoolNode[] {
  return [...nodes].filter((n) => n.ready && !n.unschedulable);
}

interface Mutable {
  cpuMilli: number;
  memoryBytes: number;
}

interface MachineState {
  free: Mutable;
  /** Free pod slots (`allocatable.pods` − pods on it); Infinity when the node states none. */
  slots: number;
}

/**
 * The pool of `nodes` with `pods` placed on them. `sandboxOverhead` is the overhead of the
 * cluster's sandbox RuntimeClass: every new pod pays it on top of its size.
 */
export function capacityPool(
  nodes: Iterable<PoolNode>,
  pods: Iterable<PoolPod>,
  sandboxOverhead: PoolAmount,
  sizes: readonly PodSize[] = POD_SIZES,
): CapacityPoolFigures {
  const machines = new Map<string, MachineState>();
  const total: Mutable = { ...ZERO };
  for (const node of poolNodes(nodes)) {
    const a = resourceAmount(node.allocatable);
    total.cpuMilli += a.cpuMilli;
    total.memoryBytes += a.memoryBytes;
    const podsText = node.allocatable['pods'];
    let slots = Number.POSITIVE_INFINITY;
    if (podsText !== undefined) {
      try {
        slots = quantityValue(podsText);
      } catch {
        // unreadable: no bound from pod slots
      }
    }
    machines.set(node.name, { free: { ...a }, slots });
  }
  const taken: Mutable = { ...ZERO };
  for (const pod of pods) {
    if (pod.node === undefined || TERMINAL.has(pod.phase)) continue;
    const machine = machines.get(pod.node);
    if (!machine) continue;
    taken.cpuMilli += pod.request.cpuMilli;
    taken.memoryBytes += pod.request.memoryBytes;
    machine.free.cpuMilli -= pod.request.cpuMilli;
    machine.free.memoryBytes -= pod.request.memoryBytes;
    machine.slots -= 1;
  }
  const fits = sizes.map((size) => ({
    size: podSizeLabel(size),
    count: fitCount(machines.values(), {
      cpuMilli: size.cpuMilli + sandboxOverhead.cpuMilli,
      memoryBytes: size.memoryBytes + sandboxOverhead.memoryBytes,
    }),
  }));
  return {
    total,
    taken,
    // Requests by limits (common's rule) can exceed what the scheduler counted: never below 0.
    free: {
      cpuMilli: Math.max(0, total.cpuMilli - taken.cpuMilli),
      memoryBytes: Math.max(0, total.memoryBytes - taken.memoryBytes),
    },
    fits,
  };
}

/** Σ per machine of how many pods needing `need` still fit on it. */
function fitCount(machines: Iterable<MachineState>, need: PoolAmount): number {
  let count = 0;
  for (const m of machines) {
    if (m.free.cpuMilli <= 0 || m.free.memoryBytes <= 0 || m.slots <= 0) continue;
    const byCpu = need.cpuMilli > 0 ? Math.floor(m.free.cpuMilli / need.cpuMilli) : Infinity;
    const byMemory =
      need.memoryBytes > 0 ? Math.floor(m.free.memoryBytes / need.memoryBytes) : Infinity;
    count += Math.min(byCpu, byMemory, m.slots);
  }
  return count;
}
