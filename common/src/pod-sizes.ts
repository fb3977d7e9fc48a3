/**
 * Pod sizes, as serverless Kubernetes sells them (Alibaba ECI, AWS Fargate): a pod is billed for
 * the smallest size whose vCPU and memory both hold its effective request. The table is
 * DESIGN.md §5 and this is its only copy: the admission policies are rendered from it, the
 * capacity map counts with it, the bill and the UI name sizes by it. Integers only: millicores
 * and bytes.
 *
 * @see ../../../shared/DESIGN.md §5 — the size table
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 * @see https://www.alibabacloud.com/help/en/eci/user-guide/specify-cpu-and-memory-specifications-to-create-an-elastic-container-instance
 */
import { GIB, MIB } from './quantity.ts';

/** One billable pod size. */
export interface PodSize {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

/** A request to size: what the pod's containers ask for (see `effectiveRequest`). */
export type ResourceAmount = PodSize;

/** Memory choices per vCPU, in MiB: DESIGN.md §5 row by row. */
const ROWS: ReadonlyArray<readonly [cpuMilli: number, memoryMiB: readonly number[]]> = [
  [250, [512, 1024, 2048]],
  [500, [1024, 2048, 3072, 4096]],
  [1000, gibSteps(2, 8, 1)],
  [2000, gibSteps(4, 16, 1)],
  [4000, gibSteps(8, 32, 1)],
  [6000, gibSteps(12, 48, 1)],
  [8000, gibSteps(16, 64, 4)],
  [16000, gibSteps(32, 128, 8)],
];

/** `from`..`to` GiB every `step` GiB, in MiB. */
function gibSteps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let gib = from; gib <= to; gib += step) out.push(gib * 1024);
  return out;
}

/** Every size, ascending by vCPU then memory: the first that holds a request is the smallest. */
export const POD_SIZES: readonly PodSize[] = ROWS.flatMap(([cpuMilli, mems]) =>
  mems.map((mib) => ({ cpuMilli, memoryBytes: mib * MIB })),
);

/** The smallest size; also what a pod that requests nothing gets (as Fargate's default). */
export const DEFAULT_POD_SIZE: PodSize = POD_SIZES[0] as PodSize;

/** The largest size: a request beyond it fits no size and is refused. */
export const LARGEST_POD_SIZE: PodSize = POD_SIZES[POD_SIZES.length - 1] as PodSize;

/** A request bigger than the largest size (see {@link billableSize}). */
export class PodTooLargeError extends Error {
  constructor(readonly request: ResourceAmount) {
    super(
      `the pod asks for ${describeSize(request)}, more than the largest pod size ` +
        `(${describeSize(LARGEST_POD_SIZE)}); split it into smaller pods or lower its requests and limits`,
    );
    this.name = 'PodTooLargeError';
  }
}

/**
 * The billable size of an effective request: the first size (vCPU first, then memory, as ECI's
 * "smallest spec that satisfies") whose vCPU and memory both hold it. `7 vCPU / 13 GiB` → 8x16;
 * `0.1 vCPU / 0.1 GiB` → 0.25x0.5.
 *
 * @throws PodTooLargeError when no size holds it.
 */
export function billableSize(request: ResourceAmount): PodSize {
  const size = POD_SIZES.find(
    (s) => s.cpuMilli >= request.cpuMilli && s.memoryBytes >= request.memoryBytes,
  );
  if (!size) throw new PodTooLargeError(request);
  return size;
}

/** Decimal text of `value / unit`, exact for the table's values (`250/1000` → `0.25`). */
function ratio(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value - whole * unit;
  if (rest === 0) return String(whole);
  // The table's fractions (¼, ½ vCPU; ½ GiB) are exact in binary; others get 3 decimals.
  return String(Math.round((value / unit) * 1000) / 1000);
}

/** `2x4` for 2 vCPU / 4 GiB, `0.25x0.5`: the size's name (the pod label `nodeless.dev/size`). */
export function podSizeLabel(size: PodSize): string {
  return `${ratio(size.cpuMilli, 1000)}x${ratio(size.memoryBytes, GIB)}`;
}

/** The size named by {@link podSizeLabel}, or undefined when no size has that name. */
export function podSizeByLabel(label: string): PodSize | undefined {
  return POD_SIZES.find((s) => podSizeLabel(s) === label);
}

/** `0.5 vCPU / 1 GiB`: a size (or any amount) in words, for the UI and the CLI. */
export function describeSize(amount: ResourceAmount): string {
  return `${ratio(amount.cpuMilli, 1000)} vCPU / ${ratio(amount.memoryBytes, GIB)} GiB`;
}

/** vCPU of a size as a decimal number, for display and charts only (never for arithmetic). */
export const vcpuOf = (size: PodSize): number => size.cpuMilli / 1000;

/** GiB of a size as a decimal number, for display and charts only (never for arithmetic). */
export const gibOf = (size: PodSize): number => size.memoryBytes / GIB;
