/**
 * CronJob controller: creates a Job named `<cronjob>-<scheduled time in minutes>` for the most
 * recent missed schedule (5-field cron, `spec.timeZone` or UTC), honouring suspend,
 * startingDeadlineSeconds, concurrencyPolicy (Allow/Forbid/Replace) and the successful/failed
 * history limits; reports active, lastScheduleTime and lastSuccessfulTime. Wakes itself at the
 * next schedule through the SimClock, so accelerated time runs schedules faster.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/cronjob/cronjob_controllerv2.go
 */
import { CronExpressionParser } from 'cron-parser';
import { StoreError } from '../../store/types.ts';
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import { R, isoTime, raw, splitKey, view, type CronJob, type Job } from '../model.ts';
import type { WorkQueue } from '../workqueue.ts';
import { ownerKey, ownerRef, writeStatus } from './common.ts';

const SOURCE = { component: 'cronjob-controller' };

/** Most recent schedule time ≤ `now`, and the next one after it (ms). Throws on a bad schedule. */
export function scheduleTimes(
  schedule: string,
  now: number,
  timeZone?: string,
): { prev: number; next: number } {
  const parse = (from: number) =>
    CronExpressionParser.parse(schedule, { currentDate: new Date(from), tz: timeZone ?? 'UTC' });
  return {
    prev: parse(now + 1)
      .prev()
      .getTime(),
    next: parse(now).next().getTime(),
  };
}

function finished(j: Job): 'Complete' | 'Failed' | undefined {
  const c = j.status?.conditions?.find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c ? (c.type as 'Complete' | 'Failed') : undefined;
}

export class CronJobController {
  private readonly jobs: Cache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.jobs = ctx.cache(R.jobs);
    const cronJobs = ctx.cache(R.cronJobs);
    this.queue = ctx.queue('cronjob', (key) => this.sync(key));
    cronJobs.on((type, o, old) => {
      if (type !== 'DELETED' && (!old || old.metadata.generation !== o.metadata.generation))
        this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
    });
    this.jobs.on((_t, o) => {
      const k = ownerKey(o, 'CronJob');
      if (k) this.queue.add(k);
    });
    for (const o of cronJobs.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private sync(key: string): { requeueAfterMs: number } | undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(R.cronJobs, namespace, name);
    if (!o || o.metadata.deletionTimestamp || !namespace) return;
    const cj = view<CronJob>(o);
    const now = this.ctx.clock.now();
    let times: { prev: number; next: number };
    try {
      times = scheduleTimes(cj.spec?.schedule ?? '', now, cj.spec?.timeZone);
    } catch (e) {
      this.ctx.events.record(
        o,
        'Warning',
        'InvalidSchedule',
        `invalid schedule: ${cj.spec?.schedule}: ${e instanceof Error ? e.message : String(e)}`,
        SOURCE,
      );
      return;
    }
    const owned = this.jobs.ownedBy(o.metadata.uid).map((j) => view<Job>(j));
    let active = owned.filter((j) => !finished(j) && !j.metadata?.deletionTimestamp);
    const last =
      Date.parse(cj.status?.lastScheduleTime ?? o.metadata.creationTimestamp ?? '') || now;
    let lastScheduleTime = cj.status?.lastScheduleTime;
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (times.prev > last && !cj.spec?.suspend) {
      const tooLate = deadline !== undefined && now - times.prev > deadline * 1000;
      const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
      if (tooLate) {
        this.ctx.events.record(
          o,
          'Warning',
          'MissSchedule',
          `Missed scheduled time to start a job: ${isoTime(times.prev)}`,
          SOURCE,
        );
      } else if (policy === 'Forbid' && active.length > 0) {
        // Skipped until the running job finishes; upstream retries at the next schedule too.
      } else {
        if (policy === 'Replace')
          for (const j of active) {
            deleteQuietly(this.ctx.store, R.jobs, raw(j), { propagationPolicy: 'Background' });
            this.ctx.events.record(
              o,
              'Normal',
              'SuccessfulDelete',
              `Deleted job ${j.metadata?.name}`,
              SOURCE,
            );
          }
        if (policy === 'Replace') active = [];
        const jobName = `${name}-${Math.floor(times.prev / 60_000)}`;
        const t = cj.spec?.jobTemplate;
        const job: Job = {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: {
            name: jobName,
            namespace,
            labels: { ...t?.metadata?.labels },
            annotations: {
              ...t?.metadata?.annotations,
              'batch.kubernetes.io/cronjob-scheduled-timestamp': isoTime(times.prev),
            },
            ownerReferences: [ownerRef(o)],
          },
          spec: { ...t?.spec, template: t?.spec?.template ?? {} },
        };
        try {
          const created = this.ctx.store.create(R.jobs, raw(job));
          this.jobs.assume(created);
          active.push(view<Job>(created));
          this.ctx.events.record(o, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, SOURCE);
        } catch (e) {
          if (!(e instanceof StoreError && e.code === 409)) throw e;
        }
        lastScheduleTime = isoTime(times.prev);
      }
    }
    // History limits: oldest finished jobs beyond the limit go.
    for (const [kind, limit] of [
      ['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3],
      ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1],
    ] as const) {
      const done = owned
        .filter((j) => finished(j) === kind && !j.metadata?.deletionTimestamp)
        .sort((a, b) => startOf(a) - startOf(b));
      for (const j of done.slice(0, Math.max(0, done.length - limit))) {
        const { result, removed } = deleteQuietly(this.ctx.store, R.jobs, raw(j), {
          propagationPolicy: 'Background',
        });
        this.jobs.assumeDeleted(`${namespace}/${j.metadata?.name}`, result, removed);
        this.ctx.events.record(
          o,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata?.name}, condition: ${kind}`,
          SOURCE,
        );
      }
    }
    const lastSuccess = owned
      .filter((j) => finished(j) === 'Complete')
      .map((j) => j.status?.completionTime ?? '')
      .sort()
      .pop();
    const fresh = this.ctx.store.get(R.cronJobs, namespace, name);
    if (fresh)
      writeStatus(this.ctx.store, R.cronJobs, fresh, {
        ...(active.length
          ? {
              active: active.map((j) => ({
                apiVersion: 'batch/v1',
                kind: 'Job',
                name: j.metadata?.name,
                namespace,
                uid: j.metadata?.uid,
              })),
            }
          : {}),
        ...(lastScheduleTime ? { lastScheduleTime } : {}),
        ...(lastSuccess || cj.status?.lastSuccessfulTime
          ? { lastSuccessfulTime: lastSuccess ?? cj.status?.lastSuccessfulTime }
          : {}),
      });
    return { requeueAfterMs: Math.max(1, times.next - now + 1) };
  }
}

function startOf(j: Job): number {
  return Date.parse(j.status?.startTime ?? j.metadata?.creationTimestamp ?? '') || 0;
}
