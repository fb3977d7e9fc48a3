/**
 * A CronJob as a Workloads row: suspended, or scheduled with its schedule (and time zone),
 * how many Jobs run now and when it last scheduled one (a timestamp: the UI says "5m ago").
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printCronJob)
 */
import type { V1CronJob } from '@kubernetes/client-node';
import { cronJobRow } from '../../kinds/cronjob.ts';
import { identity, templateFacts } from './template.ts';
import type { WorkloadRow } from './types.ts';

export function cronJobWorkload(c: V1CronJob): WorkloadRow {
  const row = cronJobRow(c);
  const schedule = row.timeZone ? `${row.schedule} (${row.timeZone})` : row.schedule;
  const running = row.active > 0 ? `, ${row.active} running` : '';
  return {
    ...identity(c),
    kind: 'CronJob',
    ready: row.active,
    desired: 0,
    ...templateFacts(c.spec?.jobTemplate.spec?.template),
    paused: false,
    state: row.suspended ? 'suspended' : 'scheduled',
    status: row.suspended ? `Suspended (${schedule})` : `Scheduled ${schedule}${running}`,
    warning: false,
    ...(row.lastScheduleAt === undefined ? {} : { lastScheduleAt: row.lastScheduleAt }),
  };
}
