/**
 * The shapes of serverless pod sizes and sandbox RuntimeClass overheads, and the fit arithmetic
 * the capacity map uses. The tables themselves belong to cluster-runtime (the Kubernetes and
 * billing side); host-bootstrap may not import it (DESIGN.md §1), so backend passes them in as
 * a {@link CapacityModel}.
 *
 * @see DESIGN.md §5 — the size table
 * @see DESIGN.md §4 step 10 — RuntimeClass overhead
 */

/** One billable pod size. */
export interface PodSpec {
  readonly vcpu: number;
  readonly memoryGiB: number;
}

/** Sandbox runtimes Nodeless installs. */
export type SandboxRuntime = 'kata-clh' | 'kata-fc' | 'kata-qemu' | 'gvisor';

/** Fixed per-pod overhead of a runtime (RuntimeClass `overhead.podFixed`). */
export interface RuntimeOverhead {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

/** What the capacity map counts with; backend wires in cluster-runtime's tables. */
export interface CapacityModel {
  /** Every pod size, ascending by vCPU then memory: the first is "the smallest pod". */
  readonly specs: readonly PodSpec[];
  /** Per-pod overhead of each runtime (0 where a runtime declares none). */
  readonly overhead: Readonly<Record<SandboxRuntime, RuntimeOverhead>>;
}

const MI = 1024 * 1024;

/** How many pods of `spec` fit into an allocatable amount, including runtime overhead. */
export function podsThatFit(
  spec: PodSpec,
  cpuMilli: number,
  memoryBytes: number,
  overhead: RuntimeOverhead,
): number {
  const needCpu = spec.vcpu * 1000 + overhead.cpuMilli;
  const needMem = spec.memoryGiB * 1024 * MI + overhead.memoryBytes;
  if (cpuMilli <= 0 || memoryBytes <= 0) return 0;
  return Math.max(0, Math.min(Math.floor(cpuMilli / needCpu), Math.floor(memoryBytes / needMem)));
}
