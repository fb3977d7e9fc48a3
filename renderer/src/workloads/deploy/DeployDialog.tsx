/** Deploy from a form (placeholder until the deploy form lands). */
import type { WorkloadRef } from '../workload-ref.ts';

export interface DeployDialogProps {
  clusterId: string;
  /** Preselected namespace (the section's filter), if any. */
  namespace?: string;
  onClose: () => void;
  /** Called with what was deployed, so the section can open it. */
  onDeployed: (workload: WorkloadRef) => void;
}

export function DeployDialog(_props: DeployDialogProps) {
  return null;
}
