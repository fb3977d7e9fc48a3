/**
 * The billable size of a pod or a workload's pod template (DESIGN.md §5), named as the table
 * names it (`2x4`): what the `nodeless.dev/size` label admission writes says, else the size
 * common's effective request (limits win, init containers, pod-level resources) rounds up to.
 * A spec that asks for nothing and carries no label is "not sized" (undefined): without
 * admission nothing would give it the default size, so claiming one would be a guess. A
 * request bigger than the largest size is not sized either (admission refuses such pods).
 *
 * @see ../../../common/src/effective-request.ts
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
import {
  billableSize,
  effectiveRequest,
  podSizeByLabel,
  podSizeLabel,
  type PodSpecLike,
} from '@nodeless/common';

/** The label admission puts on every tenant pod: its billable size (`0.25x0.5`, `2x4`). */
export const SIZE_LABEL = 'nodeless.dev/size';

/** The size label of a pod spec (or template spec) and its labels, or undefined (not sized). */
export function templateSize(
  spec: PodSpecLike | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): string | undefined {
  const label = labels?.[SIZE_LABEL];
  if (label !== undefined && podSizeByLabel(label)) return label;
  if (!spec) return label;
  try {
    const request = effectiveRequest(spec);
    if (request.cpuMilli === 0 && request.memoryBytes === 0) return label;
    return podSizeLabel(billableSize(request));
  } catch {
    // Too large for any size, or a quantity the API accepted but common cannot read.
    return label;
  }
}
