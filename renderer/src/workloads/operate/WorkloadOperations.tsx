/** A workload's operations (placeholder until the operations land). */
import type { WorkloadRef } from '../workload-ref.ts';

export interface WorkloadOperationsProps {
  clusterId: string;
  workload: WorkloadRef;
  /** Called after a delete, so the details pane can close. */
  onDeleted: () => void;
  /** Opens the YAML editor on an object (the workload itself, its HPA). */
  onEditYaml: (ref: { apiVersion: string; kind: string; namespace: string; name: string }) => void;
}

export function WorkloadOperations(_props: WorkloadOperationsProps) {
  return null;
}
