/**
 * Prices and the bill of one stretch of a pod's life (issue 15 "Bill", DESIGN.md §5):
 * `seconds × (vCPU × price per vCPU-second + GiB × price per GiB-second)` on the billed spec.
 *
 * Units, chosen so the arithmetic is exact:
 * - Money is integer **micro-units** of the currency (1 = 0.000001), as the UI and CSV show it.
 * - Prices are integer **nano-units per vCPU-hour and per GiB-hour**. Providers quote either
 *   per hour (Fargate: $0.04048 per vCPU-hour = 40,480,000 nano) or per second (ECI); a
 *   per-second price with up to 9 decimals times 3600 is still an integer number of nano-units
 *   per hour, whereas an hourly price divided by 3600 repeats forever in any decimal unit. So
 *   both kinds of quote are stored exactly.
 * - A cost is computed exactly as a fraction in BigInt —
 *   `seconds × (millicores × P_cpu × 2^30 + bytes × P_gib × 1000) / (3600 × 1000 × 2^30 × 1000)`
 *   micro-units — and **rounded once, half up**, per record. A group's cost is the sum of its
 *   records' rounded costs, so every table total equals the sum of its rows (and its CSV).
 *
 * Overhead: ECI and Fargate bill the pod's size, not the sandbox's own overhead, and so do we by
 * default (`overhead: 'excluded'`); 'included' adds `spec.overhead` to the billed amounts for an
 * operator who wants the machines' whole cost recovered from pods.
 *
 * Minimum: a pod that started is billed at least `minimumSeconds` (0 like ECI, 60 like Fargate);
 * a pod whose sandbox never came up is billed nothing.
 *
 * @see https://aws.amazon.com/fargate/pricing/ — per second, one-minute minimum
 * @see https://www.alibabacloud.com/help/en/eci/product-overview/billing-overview — per second
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 */
import { GIB, type PodSize, type ResourceAmount } from '@nodeless/common';

export interface Prices {
  /** ISO 4217 code the micro-units are of (`USD`, `EUR`). */
  currency: string;
  /** Nano-units of the currency per vCPU-hour (integer ≥ 0). */
  nanosPerVcpuHour: number;
  /** Nano-units of the currency per GiB-hour (integer ≥ 0). */
  nanosPerGibHour: number;
  /** Least seconds a started pod is billed for: 0 (ECI) or 60 (Fargate). */
  minimumSeconds: number;
  /** Whether the sandbox overhead is billed on top of the spec (default: excluded). */
  overhead?: 'excluded' | 'included';
}

/** A price that is not a non-negative safe integer: refused rather than billed wrongly. */
export class PriceError extends Error {
  constructor(field: string, value: number) {
    super(`${field} must be a non-negative integer, got ${value}`);
    this.name = 'PriceError';
  }
}

function checkInteger(field: string, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new PriceError(field, value);
  return BigInt(value);
}

const B_GIB = BigInt(GIB);
/** 3600 s/h × 1000 millicores/vCPU × 2^30 bytes/GiB × 1000 nano/micro. */
const DENOMINATOR = 3600n * 1000n * B_GIB * 1000n;

/** ⌊n / d + ½⌋ for n, d > 0: the one rounding of the bill (half up). */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/** A bigint known to be a safe integer, as a number; refuses silently wrong money. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} exceeds 2^53 − 1 and cannot be counted exactly`);
  }
  return Number(value);
}

/** What is billed per second: the spec, plus the overhead when the prices include it. */
export function billedAmount(
  spec: PodSize,
  overhead: ResourceAmount | undefined,
  prices: Pick<Prices, 'overhead'>,
): ResourceAmount {
  if (prices.overhead !== 'included' || !overhead) return spec;
  return {
    cpuMilli: spec.cpuMilli + overhead.cpuMilli,
    memoryBytes: spec.memoryBytes + overhead.memoryBytes,
  };
}

/**
 * The exact cost of `seconds` of `amount`, as a fraction of micro-units (numerator over
 * {@link DENOMINATOR}); {@link costMicros} rounds it. Exposed so sums can be rounded once.
 */
export function costNumerator(amount: ResourceAmount, seconds: number, prices: Prices): bigint {
  const s = checkInteger('seconds', seconds);
  const cpu = checkInteger('cpuMilli', amount.cpuMilli);
  const mem = checkInteger('memoryBytes', amount.memoryBytes);
  const pc = checkInteger('nanosPerVcpuHour', prices.nanosPerVcpuHour);
  const pm = checkInteger('nanosPerGibHour', prices.nanosPerGibHour);
  return s * (cpu * pc * B_GIB + mem * pm * 1000n);
}

/**
 * Cost in micro-units of amounts already multiplied by time (millicore-seconds, byte-seconds):
 * idle capacity, usage, totals. Rounded once, half up.
 */
export function quantityCostMicros(
  cpuMilliSeconds: bigint,
  memoryByteSeconds: bigint,
  prices: Prices,
): number {
  const pc = checkInteger('nanosPerVcpuHour', prices.nanosPerVcpuHour);
  const pm = checkInteger('nanosPerGibHour', prices.nanosPerGibHour);
  const numerator = cpuMilliSeconds * pc * B_GIB + memoryByteSeconds * pm * 1000n;
  return toSafeNumber(roundHalfUp(numerator, DENOMINATOR), 'cost');
}

/** Cost in micro-units of `seconds` of `amount`, rounded once, half up. */
export function costMicros(amount: ResourceAmount, seconds: number, prices: Prices): number {
  return toSafeNumber(roundHalfUp(costNumerator(amount, seconds, prices), DENOMINATOR), 'cost');
}

/** Seconds billed for a pod that lived `seconds`: the minimum applies once it started. */
export function billedSeconds(seconds: number, started: boolean, minimumSeconds: number): number {
  if (!started) return 0;
  return Math.max(seconds, minimumSeconds);
}

/** The bill of one pod. */
export interface PodBill {
  /** Seconds it lived. */
  seconds: number;
  /** Seconds billed (the minimum applied). */
  billedSeconds: number;
  /** Millicores and bytes billed per second (the spec, overhead when included). */
  amount: ResourceAmount;
  micros: number;
}

/** The bill of a pod that lived `seconds` on `spec` (started: the sandbox came up). */
export function billPod(
  spec: PodSize,
  overhead: ResourceAmount | undefined,
  seconds: number,
  started: boolean,
  prices: Prices,
): PodBill {
  const billed = billedSeconds(seconds, started, prices.minimumSeconds);
  const amount = billedAmount(spec, overhead, prices);
  return { seconds, billedSeconds: billed, amount, micros: costMicros(amount, billed, prices) };
}

/**
 * What one pod of a size costs per hour, in micro-units (the deploy form's `SizePrice` slot in
 * common/src/deploy/size-choice.ts).
 */
export function sizeMicrosPerHour(size: PodSize, prices: Prices): number {
  return costMicros(size, 3600, { ...prices, overhead: 'excluded' });
}
