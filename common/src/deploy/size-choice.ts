/**
 * The size picker's two steps, from common's table: first the vCPU, then the memory choices of
 * that vCPU (as ECI and Fargate offer them). A price per hour belongs next to each size once
 * metering has prices; until then {@link SizePrice} is the slot, and nothing is invented.
 *
 * @see ../pod-sizes.ts — the table
 */
import { POD_SIZES, type PodSize } from '../pod-sizes.ts';

export interface CpuChoice {
  cpuMilli: number;
  /** The memory choices of this vCPU, ascending, in bytes. */
  memoryBytes: readonly number[];
}

/** Every vCPU of the table with its memory choices, ascending. */
export function cpuChoices(): CpuChoice[] {
  const out: CpuChoice[] = [];
  for (const s of POD_SIZES) {
    const last = out[out.length - 1];
    if (last && last.cpuMilli === s.cpuMilli) (last.memoryBytes as number[]).push(s.memoryBytes);
    else out.push({ cpuMilli: s.cpuMilli, memoryBytes: [s.memoryBytes] });
  }
  return out;
}

/**
 * The size after a new vCPU is picked: the same memory when that vCPU offers it, else the
 * nearest choice (the smallest of a bigger vCPU, the largest of a smaller one).
 */
export function withCpu(size: PodSize, cpuMilli: number): PodSize {
  const row = cpuChoices().find((c) => c.cpuMilli === cpuMilli);
  if (!row) return size;
  const first = row.memoryBytes[0] as number;
  const last = row.memoryBytes[row.memoryBytes.length - 1] as number;
  const memoryBytes = row.memoryBytes.includes(size.memoryBytes)
    ? size.memoryBytes
    : size.memoryBytes < first
      ? first
      : last;
  return { cpuMilli, memoryBytes };
}

/** True when the size is one of the table's. */
export const isTableSize = (size: PodSize): boolean =>
  POD_SIZES.some((s) => s.cpuMilli === size.cpuMilli && s.memoryBytes === size.memoryBytes);

/**
 * What a size costs per hour, in integer micro-units of the user's currency — filled in once
 * metering has prices (DESIGN.md §5 "prices entered or derived"). Undefined means "no price yet".
 */
export type SizePrice = (size: PodSize) => { microsPerHour: number; currency: string } | undefined;

/** No prices yet: metering brings them. */
export const NO_PRICES: SizePrice = () => undefined;
