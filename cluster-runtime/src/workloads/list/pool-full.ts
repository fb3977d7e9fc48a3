/**
 * "Pool full": pods that stay Pending because no machine has room for them. The scheduler
 * says so on the pod (PodScheduled=False, reason Unschedulable, message `0/3 nodes are
 * available: 3 Insufficient cpu.`) and in FailedScheduling events; either is enough. Other
 * reasons (a taint, a node selector, a gate) are not the pool being full and are left out.
 *
 * The notice keeps integers (millicores, bytes) and carries its sentence, made here once for
 * the Overview and for the workload alike: "3 pods of 2 vCPU / 4 GiB are waiting: the pool has
 * 1.5 vCPU free". Free amounts are rounded down, so the sentence never promises room that is
 * not there.
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit.go (Insufficient …)
 */
import { GIB, podSizeByLabel, describeSize, type ResourceAmount } from '@nodeless/common';

/** What is short: the resources the scheduler named. */
export type Shortage = 'cpu' | 'memory';

/** A pod waiting for room, as the notice counts it. */
export interface WaitingPod {
  /** Its billable size (`2x4`), or undefined when not sized. */
  size?: string | undefined;
  short: readonly Shortage[];
}

export interface PoolFullNotice {
  /** How many pods wait. */
  pods: number;
  /** By size (undefined: not sized), largest group first. */
  sizes: { size?: string; count: number }[];
  short: Shortage[];
  /** What the pool has free now. */
  free: ResourceAmount;
  /** The sentence the Overview and the workload show. */
  message: string;
}

const INSUFFICIENT = /Insufficient (cpu|memory)/g;

/** The resources a scheduler message says are short (`Insufficient cpu`), in order, once each. */
export function shortagesIn(text: string | undefined): Shortage[] {
  const found = new Set<Shortage>();
  for (const m of (text ?? '').matchAll(INSUFFICIENT)) found.add(m[1] as Shortage);
  return (['cpu', 'memory'] as const).filter((s) => found.has(s));
}

/**
 * Whether a pod waits for room, and for what: from its PodScheduled condition, else its
 * FailedScheduling events (joined by the caller through the events-by-uid index). Undefined
 * when it is not waiting for capacity.
 */
export function capacityShortage(
  pod: {
    phase: string;
    node?: string | undefined;
    unscheduled?: { reason: string; message?: string } | undefined;
  },
  events: readonly { reason: string; message: string }[],
): Shortage[] | undefined {
  if (pod.phase !== 'Pending' || pod.node !== undefined) return undefined;
  const fromCondition =
    pod.unscheduled?.reason === 'Unschedulable' ? shortagesIn(pod.unscheduled.message) : [];
  if (fromCondition.length > 0) return fromCondition;
  const fromEvents = new Set<Shortage>();
  for (const e of events) {
    if (e.reason === 'FailedScheduling') for (const s of shortagesIn(e.message)) fromEvents.add(s);
  }
  if (fromEvents.size === 0) return undefined;
  return (['cpu', 'memory'] as const).filter((s) => fromEvents.has(s));
}

/** vCPU rounded down to 0.01, as text (`1.5`). */
function vcpuFree(milli: number): string {
  return String(Math.floor(milli / 10) / 100);
}

/** GiB rounded down to 0.1, as text (`3.5`). */
function gibFree(bytes: number): string {
  return String(Math.floor((bytes / GIB) * 10) / 10);
}

function sizeWords(size: string | undefined): string {
  const s = size === undefined ? undefined : podSizeByLabel(size);
  return s ? describeSize(s) : 'no set size';
}

function group(count: number, size: string | undefined): string {
  return `${count} ${count === 1 ? 'pod' : 'pods'} of ${sizeWords(size)}`;
}

function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/**
 * The notice for `waiting` pods given what the pool has free, or undefined when none wait.
 * `fits` (size label → how many more fit, the capacity pool's figures) lets the sentence say
 * when the pool has enough in total but no single machine has room (a pod cannot span machines).
 */
export function poolFullNotice(
  waiting: Iterable<WaitingPod>,
  free: ResourceAmount,
  fits?: ReadonlyMap<string, number>,
): PoolFullNotice | undefined {
  const bySize = new Map<string | undefined, number>();
  const short = new Set<Shortage>();
  let pods = 0;
  for (const w of waiting) {
    pods++;
    bySize.set(w.size, (bySize.get(w.size) ?? 0) + 1);
    for (const s of w.short) short.add(s);
  }
  if (pods === 0) return undefined;
  const sizes = [...bySize.entries()]
    .map(([size, count]) => ({ ...(size === undefined ? {} : { size }), count }))
    .sort((a, b) => b.count - a.count || (a.size ?? '').localeCompare(b.size ?? ''));
  const shortList = (['cpu', 'memory'] as const).filter((s) => short.has(s));
  const freeParts = shortList.map((s) =>
    s === 'cpu' ? `${vcpuFree(free.cpuMilli)} vCPU` : `${gibFree(free.memoryBytes)} GiB`,
  );
  const has =
    freeParts.length > 0 ? `the pool has ${joinWords(freeParts)} free` : 'the pool is full';
  // Enough free in total for one of each size, yet none fits: the room is split across machines.
  const scattered =
    fits !== undefined &&
    sizes.every((g) => {
      const s = g.size === undefined ? undefined : podSizeByLabel(g.size);
      return (
        s !== undefined &&
        s.cpuMilli <= free.cpuMilli &&
        s.memoryBytes <= free.memoryBytes &&
        (fits.get(g.size ?? '') ?? 0) === 0
      );
    });
  const verb = pods === 1 ? 'is' : 'are';
  const message =
    `${joinWords(sizes.map((g) => group(g.count, g.size)))} ${verb} waiting: ${has}` +
    (scattered ? ', but no single machine has room for one' : '');
  return { pods, sizes, short: shortList, free: { ...free }, message };
}
