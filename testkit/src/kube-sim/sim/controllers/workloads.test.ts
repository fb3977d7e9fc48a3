import { afterEach, describe, expect, it } from 'vitest';
import {
  CRASH_SENTINEL,
  R,
  type CronJob,
  type DaemonSet,
  type Job,
  type Pod,
  type StatefulSet,
} from '../model.ts';
import { isReady } from '../pods.ts';
import { container, harness, waitFor, type Harness } from '../testing/harness.ts';
import { scheduleTimes } from './cronjob.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
  h = undefined;
});

const template = (
  labels: Record<string, string>,
  image = 'img',
  extra: Record<string, unknown> = {},
) => ({
  metadata: { labels },
  spec: { containers: [container('main', image)], ...extra },
});
const cond = (j: Job | undefined, type: string) =>
  j?.status?.conditions?.find((c) => c.type === type)?.status;

describe('Job', () => {
  it('runs completions with parallelism and reports Complete', async () => {
    h = harness({
      nodes: 2,
      scale: 200,
      jobDurationMs: 2000,
      sandboxStartMs: { p50: 100, p99: 300 },
    });
    const x = h;
    let maxActive = 0;
    x.store.watch(R.pods, () => {
      maxActive = Math.max(
        maxActive,
        x.pods().filter((p) => p.status?.phase !== 'Succeeded' && !p.metadata?.deletionTimestamp)
          .length,
      );
    });
    h.create(R.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        completions: 4,
        parallelism: 2,
        template: template({}, 'perl', { restartPolicy: 'Never' }),
      },
    });
    const done = await waitFor(
      'Complete',
      () => {
        const j = x.get<Job>(R.jobs, 'default', 'pi');
        return cond(j, 'Complete') === 'True' ? j : undefined;
      },
      15_000,
    );
    expect(done.status?.succeeded).toBe(4);
    expect(cond(done, 'SuccessCriteriaMet')).toBe('True');
    expect(done.status?.startTime).toBeTruthy();
    expect(done.status?.completionTime).toBeTruthy();
    expect(maxActive).toBe(2);
    expect(
      x
        .pods()
        .every((p) => p.metadata?.labels?.['job-name'] === 'pi' && p.status?.phase === 'Succeeded'),
    ).toBe(true);
  });

  it('fails after backoffLimit with BackoffLimitExceeded', async () => {
    h = harness({ nodes: 1, scale: 1000, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    h.create(R.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'bad', namespace: 'default' },
      spec: {
        backoffLimit: 1,
        template: template({}, `img-${CRASH_SENTINEL}`, { restartPolicy: 'Never' }),
      },
    });
    const j = await waitFor(
      'Failed',
      () => {
        const v = x.get<Job>(R.jobs, 'default', 'bad');
        return cond(v, 'Failed') === 'True' ? v : undefined;
      },
      15_000,
    );
    expect(j.status?.failed).toBe(2);
    expect(j.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe(
      'BackoffLimitExceeded',
    );
  });
});

describe('StatefulSet', () => {
  it('creates pods in order, each after its predecessor is ready, and scales down in reverse', async () => {
    h = harness({ nodes: 2, scale: 100, sandboxStartMs: { p50: 200, p99: 500 } });
    const x = h;
    const created: string[] = [];
    const violations: string[] = [];
    x.store.watch(R.pods, (type, o) => {
      const name = o.metadata.name ?? '';
      if (type !== 'ADDED') return;
      created.push(name);
      const ord = Number(name.split('-').pop());
      for (let i = 0; i < ord; i++) {
        const prev = x.get<Pod>(R.pods, 'default', `db-${i}`);
        if (!prev || !isReady(prev)) violations.push(`${name} before db-${i} ready`);
      }
    });
    h.create(R.statefulSets, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 3,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: template({ app: 'db' }),
      },
    });
    await waitFor(
      '3 ready',
      () => x.get<StatefulSet>(R.statefulSets, 'default', 'db')?.status?.readyReplicas === 3,
      15_000,
    );
    expect(created).toEqual(['db-0', 'db-1', 'db-2']);
    expect(violations).toEqual([]);
    expect(x.get<Pod>(R.pods, 'default', 'db-1')?.spec?.hostname).toBe('db-1');
    const deleted: string[] = [];
    x.store.watch(R.pods, (type, o) => type === 'DELETED' && deleted.push(o.metadata.name ?? ''));
    const s = x.get<StatefulSet>(R.statefulSets, 'default', 'db');
    if (!s?.spec) throw new Error('missing');
    s.spec.replicas = 1;
    x.store.update(R.statefulSets, s as never);
    await waitFor('1 left', () => x.pods().length === 1, 15_000);
    expect(deleted).toEqual(['db-2', 'db-1']);
    expect(x.get<StatefulSet>(R.statefulSets, 'default', 'db')?.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
    });
  });
});

describe('DaemonSet', () => {
  it('runs one pod per eligible node, follows node changes, skips tainted nodes', async () => {
    h = harness({ nodes: 3, scale: 100, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    x.sim.addNode({ name: 'gpu', taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    h.create(R.daemonSets, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }) },
    });
    const status = () => x.get<DaemonSet>(R.daemonSets, 'kube-system', 'agent')?.status;
    await waitFor(
      '3 ready',
      () => status()?.numberReady === 3 && status()?.desiredNumberScheduled === 3,
      15_000,
    );
    const nodesOf = () =>
      x
        .pods('kube-system')
        .map((p) => p.spec?.nodeName)
        .sort();
    expect(nodesOf()).toEqual(['sim-node-1', 'sim-node-2', 'sim-node-3']);
    x.sim.addNode({ name: 'late' });
    await waitFor('4 ready', () => status()?.numberReady === 4, 15_000);
    expect(nodesOf()).toContain('late');
    x.sim.removeNode('sim-node-1');
    await waitFor(
      '3 again',
      () => status()?.desiredNumberScheduled === 3 && x.pods('kube-system').length === 3,
      15_000,
    );
    expect(nodesOf()).not.toContain('sim-node-1');
  });
});

describe('CronJob', () => {
  it('parses 5-field schedules', () => {
    const t = Date.parse('2025-01-01T10:07:30Z');
    expect(scheduleTimes('*/5 * * * *', t)).toEqual({
      prev: Date.parse('2025-01-01T10:05:00Z'),
      next: Date.parse('2025-01-01T10:10:00Z'),
    });
    expect(scheduleTimes('0 9 * * 1', t).next).toBe(Date.parse('2025-01-06T09:00:00Z'));
    expect(() => scheduleTimes('not a cron', t)).toThrow();
  });

  it('creates jobs on schedule named by scheduled minute, and trims history', async () => {
    h = harness({
      nodes: 2,
      scale: 600,
      jobDurationMs: 1000,
      sandboxStartMs: { p50: 100, p99: 300 },
    });
    const x = h;
    h.create(R.cronJobs, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: 'default' },
      spec: {
        schedule: '* * * * *',
        successfulJobsHistoryLimit: 2,
        jobTemplate: { spec: { template: template({}, 'img', { restartPolicy: 'OnFailure' }) } },
      },
    });
    const seen = new Set<string>();
    x.store.watch(R.jobs, (type, o) => type === 'ADDED' && seen.add(o.metadata.name ?? ''));
    await waitFor('3 jobs created', () => seen.size >= 3, 20_000);
    for (const n of seen) {
      const minutes = Number(n.replace('tick-', ''));
      expect(Number.isInteger(minutes)).toBe(true);
      expect(minutes * 60_000).toBeLessThanOrEqual(x.clock.now());
    }
    await waitFor(
      'history kept at 2',
      () => {
        const jobs = x.store.list(R.jobs) as unknown as Job[];
        return jobs.filter((j) => cond(j, 'Complete') === 'True').length <= 2 && seen.size >= 4;
      },
      20_000,
    );
    const cj = x.get<CronJob>(R.cronJobs, 'default', 'tick');
    expect(cj?.status?.lastScheduleTime).toBeTruthy();
  });
});
