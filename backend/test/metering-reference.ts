/**
 * The metering acceptance tests' reference (issue 15, "Done when"): what each pod must be
 * billed, computed by the test from the pod's own API timestamps as a watch delivered them —
 * written from the issue's definition, independently of cluster-runtime's `podLife`, so a
 * mistake in the meter's reading of a pod cannot hide behind the same mistake here.
 *
 * - start = the moment `PodReadyToStartContainers` turned True (the sandbox is up). The kubelet
 *   (and KWOK) turns the condition False when the pod finishes, with the END as its transition
 *   time, so the start is taken from the earliest state the watch saw with the condition True;
 *   where no state showed it True, the earliest container start (init containers included)
 *   any state showed.
 * - end = the latest container `finishedAt` of the last state (a terminal pod's, or a deleted
 *   pod's once its containers stopped — the DELETED event's object is that last state). A pod
 *   whose last state still has a container without `finishedAt` has no end the test can know:
 *   it is reported unsettled (the churn is built so that this does not happen).
 * - seconds = end rounded up − start rounded down (timestamps are whole seconds on the wire, so
 *   the rounding only matters for a client that sends fractions), never negative.
 * - cost = per UTC hour the pod lived in, seconds × (vCPU × price per vCPU-hour + GiB × price
 *   per GiB-hour) ÷ 3600, rounded half up to a micro-unit once per hour (DESIGN.md §5: one
 *   record per pod and hour, one rounding per record), summed.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-has-ready-to-start-containers
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { GIB, quantityMilliValue, quantityValue } from '@nodeless/common';

export interface ReferenceBill {
  uid: string;
  namespace: string;
  name: string;
  /** Epoch seconds. */
  start: number;
  end: number;
  seconds: number;
  /** Σ of the containers' requests (the churn asks for exact table sizes, init containers nothing). */
  spec: { cpuMilli: number; memoryBytes: number };
}

export type Reference =
  | ({ settled: true } & ReferenceBill)
  /** Never started (nothing to bill) or still running / stopped without a time. */
  | { settled: false; uid: string; namespace: string; name: string; why: string };

/** Epoch ms of a timestamp as client-node hands it over (a Date, or a string off the wire). */
function ms(t: Date | string | undefined | null): number | undefined {
  if (t === undefined || t === null) return undefined;
  const v = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
}

function statusesOf(pod: V1Pod): V1ContainerStatus[] {
  const s = pod.status;
  return [
    ...(s?.initContainerStatuses ?? []),
    ...(s?.containerStatuses ?? []),
    ...(s?.ephemeralContainerStatuses ?? []),
  ];
}

function minOf(values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

/** When the sandbox came up, as the earliest True `PodReadyToStartContainers` seen. */
function sandboxUp(history: readonly V1Pod[]): number | undefined {
  return minOf(
    history.map((pod) => {
      const c = pod.status?.conditions?.find((x) => x.type === 'PodReadyToStartContainers');
      return c?.status === 'True' ? ms(c.lastTransitionTime) : undefined;
    }),
  );
}

/** The earliest container start any state showed. */
function firstContainerStart(history: readonly V1Pod[]): number | undefined {
  return minOf(
    history.flatMap((pod) =>
      statusesOf(pod).flatMap((c) => [
        ms(c.state?.running?.startedAt),
        ms(c.state?.terminated?.startedAt),
        ms(c.lastState?.terminated?.startedAt),
      ]),
    ),
  );
}

/** The latest `finishedAt` of the last state, or why there is none. */
function lastFinish(pod: V1Pod): number | string {
  let latest: number | undefined;
  for (const c of statusesOf(pod)) {
    if (c.state?.running) return `container ${c.name} still running`;
    const t = ms(c.state?.terminated?.finishedAt ?? c.lastState?.terminated?.finishedAt);
    if (t === undefined) {
      // An init container that never ran, or a regular one that never started: it adds no time,
      // but a container that is waiting after having run elsewhere would; none here had run.
      if (c.state?.waiting && !c.lastState?.terminated) continue;
      return `container ${c.name} has no finishedAt`;
    }
    latest = latest === undefined ? t : Math.max(latest, t);
  }
  return latest ?? 'no container finished';
}

/**
 * The reference bill of one pod from every state a watch delivered, oldest first; the last one
 * is the state before deletion (the DELETED event's object) or the terminal state.
 */
export function referenceOf(history: readonly V1Pod[]): Reference {
  const last = history[history.length - 1];
  const meta = last?.metadata;
  const id = { uid: meta?.uid ?? '', namespace: meta?.namespace ?? '', name: meta?.name ?? '' };
  if (!last) return { settled: false, ...id, why: 'never observed' };
  const startMs = sandboxUp(history) ?? firstContainerStart(history);
  if (startMs === undefined) return { settled: false, ...id, why: 'never started' };
  const finish = lastFinish(last);
  if (typeof finish === 'string') return { settled: false, ...id, why: finish };
  const start = Math.floor(startMs / 1000);
  const end = Math.ceil(finish / 1000);
  const spec = requested(last);
  return { settled: true, ...id, start, end, seconds: Math.max(0, end - start), spec };
}

function requested(pod: V1Pod): ReferenceBill['spec'] {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = c.resources?.requests ?? {};
    if (r['cpu'] !== undefined) cpuMilli += quantityMilliValue(r['cpu']);
    if (r['memory'] !== undefined) memoryBytes += quantityValue(r['memory']);
  }
  return { cpuMilli, memoryBytes };
}

/** Prices in nano-units of the currency per hour. */
export interface ReferencePrices {
  nanosPerVcpuHour: number;
  nanosPerGibHour: number;
}

/** The reference cost in micro-units (see the module comment). */
export function referenceCostMicros(bill: ReferenceBill, prices: ReferencePrices): number {
  // micro-units = s × (milli/1000 × nanoCpu + bytes/2^30 × nanoGib) / 3600 / 1000
  const perSecond =
    BigInt(bill.spec.cpuMilli) * BigInt(prices.nanosPerVcpuHour) * BigInt(GIB) +
    BigInt(bill.spec.memoryBytes) * BigInt(prices.nanosPerGibHour) * 1000n;
  const denominator = 1000n * BigInt(GIB) * 3600n * 1000n;
  let total = 0n;
  for (let from = bill.start; from < bill.end;) {
    const to = Math.min(bill.end, (Math.floor(from / 3600) + 1) * 3600);
    const n = BigInt(to - from) * perSecond;
    total += (2n * n + denominator) / (2n * denominator);
    from = to;
  }
  return Number(total);
}
