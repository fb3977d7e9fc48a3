/**
 * Job controller (NonIndexed and Indexed completion modes): runs up to `parallelism` pods until
 * `completions` succeed, recreates failed pods with exponential backoff (10 s doubling, capped at
 * 6 min) until `backoffLimit` failures, honours `suspend` and `activeDeadlineSeconds`, and writes
 * the conditions `kubectl wait --for=condition=complete` reads (SuccessCriteriaMet then Complete,
 * FailureTarget then Failed), with succeeded/failed/active/ready/startTime/completionTime.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/job/job_controller.go
 */
import type { Cache } from '../cache.ts';
import { deleteQuietly, type SimContext } from '../context.ts';
import { R, isoTime, raw, splitKey, view, type Job, type Pod } from '../model.ts';
import { isDeleting, isReady } from '../pods.ts';
import type { WorkQueue } from '../workqueue.ts';
import { ownerKey, podFromTemplate, setCondition, writeStatus } from './common.ts';

const SOURCE = { component: 'job-controller' };

export class JobController {
  private readonly pods: Cache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.pods = ctx.cache(R.pods);
    const jobs = ctx.cache(R.jobs);
    this.queue = ctx.queue('job', (key) => this.sync(key));
    jobs.on(
      (type, o) =>
        type !== 'DELETED' && this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`),
    );
    this.pods.on((_t, o) => {
      const k = ownerKey(o, 'Job');
      if (k) this.queue.add(k);
    });
    for (const o of jobs.all()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private sync(key: string): { requeueAfterMs: number } | undefined {
    const { namespace, name } = splitKey(key);
    const o = this.ctx.store.get(R.jobs, namespace, name);
    if (!o || o.metadata.deletionTimestamp) return;
    const job = view<Job>(o);
    const now = this.ctx.clock.now();
    const t = isoTime(now);
    const conds = job.status?.conditions ?? [];
    if (conds.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'))
      return;
    const pods = this.pods.ownedBy(o.metadata.uid).map((p) => view<Pod>(p));
    const active = pods.filter(
      (p) => !isDeleting(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    );
    const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const indexed = job.spec?.completionMode === 'Indexed';
    const succeeded = indexed ? new Set(succeededPods.map(indexOf)).size : succeededPods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    const completions = job.spec?.completions ?? undefined;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    let status = { ...job.status, startTime: job.status?.startTime, conditions: conds };
    let requeue: number | undefined;

    const finish = (type: 'Complete' | 'Failed', reason: string, message: string): void => {
      const target = type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
      let c = setCondition(
        status.conditions,
        { type: target, status: 'True', reason, message, lastProbeTime: t },
        t,
      );
      c = setCondition(c, { type, status: 'True', reason, message, lastProbeTime: t }, t);
      status = { ...status, conditions: c, ...(type === 'Complete' ? { completionTime: t } : {}) };
      for (const p of active)
        deleteQuietly(this.ctx.store, R.pods, raw(p), {
          preconditions: { uid: p.metadata?.uid ?? '' },
        });
      this.ctx.events.record(
        o,
        type === 'Complete' ? 'Normal' : 'Warning',
        type === 'Complete' ? 'Completed' : reason,
        type === 'Complete' ? 'Job completed' : message,
        SOURCE,
      );
    };

    const deadline = job.spec?.activeDeadlineSeconds;
    const started = status.startTime ? Date.parse(status.startTime) : undefined;
    if (job.spec?.suspend) {
      for (const p of active) deleteQuietly(this.ctx.store, R.pods, raw(p));
      status.conditions = setCondition(
        status.conditions,
        { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' },
        t,
      );
    } else if (
      completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0
    ) {
      finish('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods');
    } else if (failed > backoffLimit) {
      finish('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    } else if (
      deadline !== undefined &&
      started !== undefined &&
      now - started >= deadline * 1000
    ) {
      finish('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    } else {
      status.startTime ??= t;
      if (status.conditions.some((c) => c.type === 'Suspended' && c.status === 'True'))
        status.conditions = setCondition(
          status.conditions,
          { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' },
          t,
        );
      const remaining =
        completions !== undefined ? completions - succeeded : succeeded > 0 ? 0 : parallelism;
      const want = Math.max(0, Math.min(parallelism, remaining));
      // Failed pods are replaced after an exponential backoff from the newest failure.
      const lastFailure = Math.max(
        0,
        ...pods.filter((p) => p.status?.phase === 'Failed').map(finishedAt),
      );
      const delay = failed > 0 ? Math.min(360_000, 10_000 * 2 ** (failed - 1)) : 0;
      const wait = lastFailure + delay - now;
      if (active.length < want && wait > 0) requeue = wait;
      else if (active.length < want) {
        const usedIndexes = new Set([...active, ...succeededPods].map(indexOf));
        let nextIndex = 0;
        for (let i = active.length; i < want; i++) {
          const extra: { labels: Record<string, string>; index?: number } = {
            labels: {
              'batch.kubernetes.io/controller-uid': o.metadata.uid ?? '',
              'batch.kubernetes.io/job-name': name,
              'controller-uid': o.metadata.uid ?? '',
              'job-name': name,
            },
          };
          if (indexed) {
            while (usedIndexes.has(nextIndex)) nextIndex++;
            if (completions !== undefined && nextIndex >= completions) break;
            usedIndexes.add(nextIndex);
            extra.labels['batch.kubernetes.io/job-completion-index'] = String(nextIndex);
            extra.index = nextIndex;
          }
          const pod = podFromTemplate(
            job.spec?.template,
            o,
            indexed ? `${name}-${extra.index}-` : `${name}-`,
            { labels: extra.labels },
          );
          if (indexed)
            pod.metadata = {
              ...pod.metadata,
              annotations: {
                ...pod.metadata?.annotations,
                'batch.kubernetes.io/job-completion-index': String(extra.index),
              },
            };
          const created = this.ctx.store.create(R.pods, raw(pod));
          this.pods.assume(created);
          this.ctx.events.record(
            o,
            'Normal',
            'SuccessfulCreate',
            `Created pod: ${created.metadata.name}`,
            SOURCE,
          );
        }
      }
      if (deadline !== undefined && started !== undefined)
        requeue = Math.min(requeue ?? Infinity, started + deadline * 1000 - now);
    }
    const current = this.pods.ownedBy(o.metadata.uid).map((p) => view<Pod>(p));
    const nowActive = current.filter(
      (p) => !isDeleting(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    );
    const fresh = this.ctx.store.get(R.jobs, namespace, name);
    if (!fresh) return;
    const finalStatus: Record<string, unknown> = {
      ...status,
      active: nowActive.length,
      ready: nowActive.filter(isReady).length,
      succeeded,
      failed,
      terminating: current.filter(isDeleting).length,
      uncountedTerminatedPods: {},
    };
    if (indexed)
      finalStatus['completedIndexes'] = compress(
        [...new Set(succeededPods.map(indexOf))].sort((a, b) => a - b),
      );
    // Upstream omits zero counters except `ready`.
    const omitZero = new Set(['active', 'succeeded', 'failed', 'terminating']);
    const trimmed = Object.fromEntries(
      Object.entries(finalStatus).filter(([k, v]) => !(omitZero.has(k) && v === 0)),
    );
    writeStatus(this.ctx.store, R.jobs, fresh, trimmed);
    if (requeue !== undefined && Number.isFinite(requeue))
      return { requeueAfterMs: Math.max(1, requeue) };
  }
}

function indexOf(p: Pod): number {
  return Number(p.metadata?.labels?.['batch.kubernetes.io/job-completion-index'] ?? -1);
}

function finishedAt(p: Pod): number {
  const times = (p.status?.containerStatuses ?? []).map(
    (c) => Date.parse(c.state?.terminated?.finishedAt ?? '') || 0,
  );
  return Math.max(0, ...times);
}

/** `1,3-5` style interval list of completed indexes. */
function compress(xs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === (xs[j] ?? 0) + 1) j++;
    out.push(i === j ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
