/**
 * A workload as the Workloads section names it: enough to address it in the API and in a URL.
 * Bare pods are workloads too (kind `Pod`).
 */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob' | 'Pod';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}
