/**
 * Usage beside the bill (issue 15): samples from metrics.k8s.io folded into per-pod CPU-seconds
 * and GiB-seconds, and efficiency = usage ÷ spec. Where no sample covers a stretch, the usage is
 * **missing** — a distinct state, never 0 (0 would read as "idle pod, all wasted").
 *
 * A PodMetrics sample says: over `window` ending at `timestamp`, the containers used on average
 * this much CPU; memory is the working set at `timestamp`, taken as holding over the window.
 * Folding clips each window to the stretch being measured and to the end of the previous
 * sample's window, so overlapping samples (a metrics-server scraping faster than its window)
 * never count a second twice. Sums are kept exact (nanocore-milliseconds, byte-milliseconds,
 * BigInt) and rounded once, half up, into the record's integers: milli-vCPU-seconds, KiB-seconds
 * and covered seconds.
 *
 * Efficiency is given in parts per million of the spec over the seconds usage covers (not the
 * whole life: a 10-second Job between two 15-second scrapes has no sample and says "missing",
 * instead of claiming 0 % of a spec it may have used fully).
 *
 * @see https://github.com/kubernetes/metrics/blob/master/pkg/apis/metrics/v1beta1/types.go — PodMetrics
 * @see https://github.com/kubernetes-sigs/metrics-server/blob/master/FAQ.md — resolution and window
 * @see https://kubernetes.io/docs/reference/instrumentation/cri-pod-container-metrics/
 */
import { quantityMilliValue, quantityValue, type PodSize } from '@nodeless/common';
import { roundHalfUp } from './prices.ts';

/** One sample: average CPU over the window ending at `endMs`, working set at `endMs`. */
export interface UsageSample {
  endMs: number;
  windowMs: number;
  cpuNanocores: number;
  memoryBytes: number;
}

export type Usage =
  | { state: 'missing' }
  | {
      state: 'measured';
      /** ∫ CPU dt in millicore-seconds (1,000 = one vCPU busy for one second). */
      cpuMilliSeconds: number;
      /** ∫ working set dt in KiB-seconds. */
      memoryKiBSeconds: number;
      /** Seconds the samples cover (≤ the stretch's seconds). */
      coveredSeconds: number;
    };

export const USAGE_MISSING: Usage = { state: 'missing' };

/** A Go duration as metrics-server writes it (`15s`, `1m0s`, `20.043s`, `500ms`) in ms. */
export function durationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/gy;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let matched = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (unit[m[2] as string] as number);
    matched += m[0].length;
  }
  return matched === text.length && matched > 0 ? Math.round(total) : undefined;
}

/** CPU usage quantity (`123456n`, `12u`, `250m`, `1`) in nanocores. */
export function cpuNanocores(text: string): number {
  const nano = /^(\d+)n$/.exec(text);
  if (nano) return Number(nano[1]);
  const micro = /^(\d+)u$/.exec(text);
  if (micro) return Number(micro[1]) * 1000;
  return quantityMilliValue(text) * 1_000_000;
}

/** The PodMetrics fields a sample needs (metrics.k8s.io/v1beta1). */
export interface PodMetricsLike {
  timestamp: string;
  window: string;
  containers: readonly { usage: Readonly<Record<string, string>> }[];
}

/** One PodMetrics object as a sample (containers summed), or undefined when unreadable. */
export function podMetricsSample(metrics: PodMetricsLike): UsageSample | undefined {
  const endMs = Date.parse(metrics.timestamp);
  const windowMs = durationMs(metrics.window);
  if (!Number.isFinite(endMs) || windowMs === undefined) return undefined;
  let cpu = 0;
  let memory = 0;
  try {
    for (const c of metrics.containers) {
      cpu += cpuNanocores(c.usage['cpu'] ?? '0');
      memory += quantityValue(c.usage['memory'] ?? '0');
    }
  } catch {
    return undefined;
  }
  return { endMs, windowMs, cpuNanocores: cpu, memoryBytes: memory };
}

/**
 * Usage of the stretch [fromSeconds, toSeconds) from the samples (any order, duplicates and
 * overlaps allowed). Missing when no sample's window meets the stretch.
 */
export function foldUsage(
  samples: readonly UsageSample[],
  fromSeconds: number,
  toSeconds: number,
): Usage {
  const from = fromSeconds * 1000;
  const to = toSeconds * 1000;
  const sorted = [...samples].sort((a, b) => a.endMs - b.endMs);
  let coveredTo = from;
  let coveredMs = 0n;
  let cpuNanoMs = 0n;
  let memByteMs = 0n;
  for (const s of sorted) {
    const start = Math.max(s.endMs - s.windowMs, coveredTo);
    const end = Math.min(s.endMs, to);
    if (end <= start) continue;
    const ms = BigInt(end - start);
    coveredMs += ms;
    cpuNanoMs += BigInt(s.cpuNanocores) * ms;
    memByteMs += BigInt(s.memoryBytes) * ms;
    coveredTo = end;
  }
  if (coveredMs === 0n) return USAGE_MISSING;
  return {
    state: 'measured',
    // nanocore·ms → millicore·s: ÷ 10^6 ÷ 10^3.
    cpuMilliSeconds: Number(roundHalfUp(cpuNanoMs, 1_000_000_000n)),
    // byte·ms → KiB·s: ÷ 1024 ÷ 1000.
    memoryKiBSeconds: Number(roundHalfUp(memByteMs, 1_024_000n)),
    coveredSeconds: Number(roundHalfUp(coveredMs, 1000n)),
  };
}

export type Efficiency =
  | { state: 'missing' }
  | {
      state: 'measured';
      /** CPU used ÷ CPU billed over the covered seconds, parts per million (may exceed 10^6). */
      cpuPpm: number;
      memoryPpm: number;
      coveredSeconds: number;
      /** Items (pods, records) that had no usage and are left out of the ratio. */
      missing: number;
    };

/**
 * Efficiency of one pod or of a group (workload, namespace): Σ usage ÷ Σ (spec × covered
 * seconds) over the items that have usage; missing when none has.
 */
export function efficiency(items: readonly { spec: PodSize; usage: Usage }[]): Efficiency {
  let cpuUsed = 0n;
  let memUsedKiB = 0n;
  let cpuBilled = 0n;
  let memBilledBytes = 0n;
  let covered = 0;
  let missing = 0;
  for (const { spec, usage } of items) {
    if (usage.state === 'missing' || usage.coveredSeconds === 0) {
      missing++;
      continue;
    }
    cpuUsed += BigInt(usage.cpuMilliSeconds);
    memUsedKiB += BigInt(usage.memoryKiBSeconds);
    cpuBilled += BigInt(spec.cpuMilli) * BigInt(usage.coveredSeconds);
    memBilledBytes += BigInt(spec.memoryBytes) * BigInt(usage.coveredSeconds);
    covered += usage.coveredSeconds;
  }
  if (covered === 0) return { state: 'missing' };
  const ppm = (used: bigint, billed: bigint): number =>
    billed === 0n ? 0 : Number(roundHalfUp(used * 1_000_000n, billed));
  return {
    state: 'measured',
    cpuPpm: ppm(cpuUsed, cpuBilled),
    memoryPpm: ppm(memUsedKiB * 1024n, memBilledBytes),
    coveredSeconds: covered,
    missing,
  };
}
