/**
 * Pod sizes, as serverless Kubernetes sells them (Alibaba ECI, AWS Fargate): a pod is billed
 * for the smallest spec whose vCPU and memory both cover its effective request.
 * The table is DESIGN.md §5; it follows the shape of ECI's and Fargate's published tables.
 * This is the only copy: backend hands it to host-bootstrap's capacity map, which may not
 * import this package (DESIGN.md §1).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
 * @see https://www.alibabacloud.com/help/en/eci/user-guide/specify-cpu-and-memory-specifications-to-create-an-elastic-container-instance
 */

export interface PodSpecSize {
  /** vCPU as a decimal (0.25 = 250m). */
  vcpu: number;
  memoryGiB: number;
}

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(v);
  return out;
};

/** Memory choices per vCPU size (GiB). */
const TABLE: ReadonlyArray<readonly [number, readonly number[]]> = [
  [0.25, [0.5, 1, 2]],
  [0.5, [1, 2, 3, 4]],
  [1, range(2, 8, 1)],
  [2, range(4, 16, 1)],
  [4, range(8, 32, 1)],
  [6, range(12, 48, 1)],
  [8, range(16, 64, 4)],
  [16, range(32, 128, 8)],
];

/** Every spec, ordered by vCPU then memory (so "smallest" is the first that fits). */
export const POD_SPECS: readonly PodSpecSize[] = TABLE.flatMap(([vcpu, mems]) =>
  mems.map((memoryGiB) => ({ vcpu, memoryGiB })),
);

/**
 * The billable spec for an effective request, or undefined when it exceeds the largest spec.
 * Ties are broken by cost order (vCPU first), as ECI's "smallest spec that satisfies" does.
 */
export function billableSpec(request: PodSpecSize): PodSpecSize | undefined {
  return POD_SPECS.find(
    (s) => s.vcpu >= request.vcpu - 1e-9 && s.memoryGiB >= request.memoryGiB - 1e-9,
  );
}

/** `0.25 vCPU / 0.5 GiB`, the label the UI and bills use. */
export function specLabel(spec: PodSpecSize): string {
  return `${spec.vcpu} vCPU / ${spec.memoryGiB} GiB`;
}
