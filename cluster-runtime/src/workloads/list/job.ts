/**
 * A Job as a Workloads row: kubectl's status (Complete, Failed with the reason of its Failed
 * condition — `BackoffLimitExceeded`, `DeadlineExceeded` —, Suspended, else running) and its
 * completions as progress (succeeded of completions). Jobs a CronJob created are not rows of
 * their own: they belong to the CronJob (see {@link isListedJob}).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printJob)
 */
import type { V1Job } from '@kubernetes/client-node';
import { controllerOf } from '../../kinds/kind.ts';
import { jobRow } from '../../kinds/job.ts';
import { failedWords, identity, templateFacts, trueCondition } from './template.ts';
import type { WorkloadRow } from './types.ts';

/** A Job is listed unless a controller (a CronJob) manages it. */
export function isListedJob(job: V1Job): boolean {
  return controllerOf(job) === undefined;
}

export function jobWorkload(job: V1Job): WorkloadRow {
  const row = jobRow(job);
  const completions = job.spec?.completions ?? 1;
  const base = {
    ...identity(job),
    kind: 'Job' as const,
    ready: row.succeeded,
    desired: completions,
    ...templateFacts(job.spec?.template),
    paused: false,
  };
  switch (row.status) {
    case 'Complete':
      return { ...base, state: 'complete', status: 'Complete', warning: false };
    case 'Failed':
    case 'FailureTarget': {
      const c =
        trueCondition(job.status?.conditions, 'Failed') ??
        trueCondition(job.status?.conditions, 'FailureTarget');
      return {
        ...base,
        state: 'failed',
        status: failedWords(c?.reason, c?.message),
        ...(c?.reason ? { reason: c.reason } : {}),
        warning: true,
      };
    }
    case 'Suspended':
      return { ...base, state: 'suspended', status: 'Suspended', warning: false };
    default: {
      const progress = {
        current: Math.min(row.succeeded, completions),
        max: completions,
        description: `${row.succeeded} of ${completions} completed, ${row.active} running`,
        summary: `${row.succeeded} of ${completions} completed`,
        done: false,
      };
      const retried = row.failed > 0 ? `, ${row.failed} failed` : '';
      return {
        ...base,
        state: 'running',
        status: `Running: ${progress.description}${retried}`,
        warning: row.failed > 0,
        progress,
      };
    }
  }
}
