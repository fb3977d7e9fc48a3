/**
 * Job (batch/v1): identity and row — kubectl's STATUS (`Complete`, `Failed`, `Terminating`,
 * `Suspended`, `FailureTarget`, `SuccessCriteriaMet`, else `Running`) and COMPLETIONS
 * (`succeeded/completions`, `n/1 of p` for a parallel work queue), the start and end that
 * DURATION is computed from, and the controller (a CronJob) pod rows resolve through.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printJob)
 */
import type { V1Job } from '@kubernetes/client-node';
import {
  conditionStatus,
  controllerOf,
  kindIdentity,
  rowBase,
  timeOf,
  type ObjectRef,
  type RowBase,
} from './kind.ts';

export const JOB = kindIdentity('batch', 'v1', 'Job', 'jobs', true);

export interface JobRow extends RowBase {
  namespace: string;
  status: string;
  /** kubectl's COMPLETIONS column. */
  completions: string;
  succeeded: number;
  failed: number;
  active: number;
  startedAt?: number;
  completedAt?: number;
  /** The controller: the CronJob that created it, if any. */
  owner?: ObjectRef;
}

/** kubectl's order: the first that holds wins. */
function jobStatus(job: V1Job): string {
  const holds = (type: string) => conditionStatus(job.status?.conditions, type) === 'True';
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if ((job.metadata?.deletionTimestamp ?? null) !== null) return 'Terminating';
  if (holds('Suspended')) return 'Suspended';
  if (holds('FailureTarget')) return 'FailureTarget';
  if (holds('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsOf(job: V1Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobRow(job: V1Job): JobRow {
  const base = rowBase(job);
  const owner = controllerOf(job);
  const startedAt = timeOf(job.status?.startTime);
  const completedAt = timeOf(job.status?.completionTime);
  return {
    ...base,
    namespace: base.namespace ?? '',
    status: jobStatus(job),
    completions: completionsOf(job),
    succeeded: job.status?.succeeded ?? 0,
    failed: job.status?.failed ?? 0,
    active: job.status?.active ?? 0,
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(completedAt === undefined ? {} : { completedAt }),
    ...(owner ? { owner } : {}),
  };
}
