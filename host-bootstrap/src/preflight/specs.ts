/**
 * The capacity map's model and fit arithmetic. The pod sizes are common's table (DESIGN.md §5);
 * the sandbox RuntimeClass overheads belong to cluster-runtime (it creates the RuntimeClasses),
 * which host-bootstrap may not import (DESIGN.md §1), so backend passes both in as a
 * {@link CapacityModel} (tests pass a smaller one).
 *
 * @see ../../../../shared/DESIGN.md §5 — the size table
 * @see ../../../../shared/DESIGN.md §4 step 10 — RuntimeClass overhead
 */
import type { PodSize, ResourceAmount } from '@nodeless/common';

/** Sandbox runtimes Nodeless installs. */
export type SandboxRuntime = 'kata-clh' | 'kata-fc' | 'kata-qemu' | 'gvisor';

/** What the capacity map counts with; backend wires in the real tables. */
export interface CapacityModel {
  /** Every pod size, ascending by vCPU then memory: the first is "the smallest pod". */
  readonly specs: readonly PodSize[];
  /** Fixed per-pod overhead of each runtime (RuntimeClass `overhead.podFixed`; 0 where none). */
  readonly overhead: Readonly<Record<SandboxRuntime, ResourceAmount>>;
}

/** How many pods of `size` fit into an allocatable amount, including runtime overhead. */
export function podsThatFit(
  size: PodSize,
  cpuMilli: number,
  memoryBytes: number,
  overhead: ResourceAmount,
): number {
  const needCpu = size.cpuMilli + overhead.cpuMilli;
  const needMem = size.memoryBytes + overhead.memoryBytes;
  if (cpuMilli <= 0 || memoryBytes <= 0) return 0;
  return Math.max(0, Math.min(Math.floor(cpuMilli / needCpu), Math.floor(memoryBytes / needMem)));
}
