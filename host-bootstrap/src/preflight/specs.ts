/**
 * Serverless pod sizes (ECI/Fargate style) and sandbox RuntimeClass overheads. Pure data plus
 * helpers; cluster-runtime keeps its own copy of the same idea for billing sizes.
 *
 * @see DESIGN.md §5 — the size table
 * @see DESIGN.md §4 step 10 — RuntimeClass overhead (clh/fc 130Mi/250m, qemu 160Mi/250m)
 * @see https://help.aliyun.com/zh/eci/user-guide/specifications-of-vcpu-and-memory
 */

/** One billable pod size. */
export interface PodSpec {
  readonly vcpu: number;
  readonly memoryGiB: number;
}

/** vCPU row → memory sizes in GiB, as in DESIGN.md §5. */
const ROWS: readonly { vcpu: number; memory: readonly number[] }[] = [
  { vcpu: 0.25, memory: [0.5, 1, 2] },
  { vcpu: 0.5, memory: [1, 2, 3, 4] },
  { vcpu: 1, memory: range(2, 8, 1) },
  { vcpu: 2, memory: range(4, 16, 1) },
  { vcpu: 4, memory: range(8, 32, 1) },
  { vcpu: 6, memory: range(12, 48, 1) },
  { vcpu: 8, memory: range(16, 64, 4) },
  { vcpu: 16, memory: range(32, 128, 8) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Every spec size, ascending by vCPU then memory. */
export const POD_SPECS: readonly PodSpec[] = ROWS.flatMap((r) =>
  r.memory.map((m) => ({ vcpu: r.vcpu, memoryGiB: m })),
);

/** Sandbox runtimes Nodeless installs. */
export type SandboxRuntime = 'kata-clh' | 'kata-fc' | 'kata-qemu' | 'gvisor';

/** Fixed per-pod overhead of a runtime (RuntimeClass `overhead.podFixed`). */
export interface RuntimeOverhead {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

const MI = 1024 * 1024;

/**
 * Per-pod overhead by runtime. gVisor has no figure in DESIGN.md; 0 is used and the capacity
 * map says so (the Sentry's memory is accounted inside the pod's cgroup).
 */
export const RUNTIME_OVERHEAD: Readonly<Record<SandboxRuntime, RuntimeOverhead>> = {
  'kata-clh': { cpuMilli: 250, memoryBytes: 130 * MI },
  'kata-fc': { cpuMilli: 250, memoryBytes: 130 * MI },
  'kata-qemu': { cpuMilli: 250, memoryBytes: 160 * MI },
  gvisor: { cpuMilli: 0, memoryBytes: 0 },
};

/** The billable spec of a request: the smallest spec ≥ it in both dimensions. */
export function specFor(cpuMilli: number, memoryBytes: number): PodSpec | undefined {
  return POD_SPECS.find((s) => s.vcpu * 1000 >= cpuMilli && s.memoryGiB * 1024 * MI >= memoryBytes);
}

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
