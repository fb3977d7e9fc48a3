/**
 * CronJob (batch/v1): identity and row — kubectl's SCHEDULE, TIMEZONE, SUSPEND, ACTIVE and
 * LAST SCHEDULE, plus the last successful run.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/cron-job-v1/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printCronJob)
 */
import type { V1CronJob } from '@kubernetes/client-node';
import { kindIdentity, rowBase, timeOf, type RowBase } from './kind.ts';

export const CRON_JOB = kindIdentity('batch', 'v1', 'CronJob', 'cronjobs', true);

export interface CronJobRow extends RowBase {
  namespace: string;
  schedule: string;
  timeZone?: string;
  suspended: boolean;
  /** Jobs running now. */
  active: number;
  lastScheduleAt?: number;
  lastSuccessAt?: number;
}

export function cronJobRow(c: V1CronJob): CronJobRow {
  const base = rowBase(c);
  const lastScheduleAt = timeOf(c.status?.lastScheduleTime);
  const lastSuccessAt = timeOf(c.status?.lastSuccessfulTime);
  const timeZone = c.spec?.timeZone;
  return {
    ...base,
    namespace: base.namespace ?? '',
    schedule: c.spec?.schedule ?? '',
    ...(timeZone ? { timeZone } : {}),
    suspended: c.spec?.suspend === true,
    active: c.status?.active?.length ?? 0,
    ...(lastScheduleAt === undefined ? {} : { lastScheduleAt }),
    ...(lastSuccessAt === undefined ? {} : { lastSuccessAt }),
  };
}
