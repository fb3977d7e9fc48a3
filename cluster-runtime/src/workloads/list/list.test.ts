import type {
  V1CronJob,
  V1Deployment,
  V1Job,
  V1PodTemplateSpec,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { GIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { podRow } from '../../kinds/pod.ts';
import {
  capacityShortage,
  cronJobWorkload,
  deploymentWorkload,
  isListedJob,
  jobWorkload,
  podWorkload,
  poolFullNotice,
  statefulSetWorkload,
} from './index.ts';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'shop',
  uid: `uid-${name}`,
  creationTimestamp: new Date('2025-01-01T00:00:00Z'),
  generation: 2,
  ...extra,
});

function template(
  resources?: Record<string, string>,
  labels?: Record<string, string>,
): V1PodTemplateSpec {
  return {
    metadata: { labels: { app: 'x', ...labels } },
    spec: {
      runtimeClassName: 'kata-clh',
      containers: [
        {
          name: 'a',
          image: 'nginx:1.27',
          ...(resources ? { resources: { limits: resources } } : {}),
        },
      ],
    },
  };
}

function deployment(
  spec: Partial<V1Deployment['spec']>,
  status: V1Deployment['status'],
): V1Deployment {
  return {
    metadata: meta('web'),
    spec: { selector: {}, template: template({ cpu: '7', memory: '13Gi' }), replicas: 3, ...spec },
    status: { observedGeneration: 2, ...status },
  };
}

describe('deploymentWorkload', () => {
  it('is available with its size rounded up from the template, sandbox and image', () => {
    const row = deploymentWorkload(
      deployment({}, { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }),
    );
    expect(row).toMatchObject({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      ready: 3,
      desired: 3,
      size: '8x16',
      sandbox: 'kata-clh',
      images: ['nginx:1.27'],
      state: 'available',
      status: 'Available',
      warning: false,
      paused: false,
    });
    // The rollout's progress is always there, done: the operations panel follows it.
    expect(row.progress).toMatchObject({ current: 3, max: 3, done: true, summary: 'rolled out' });
    expect(row.progress?.description).toBe('deployment "web" successfully rolled out');
    expect(row).not.toHaveProperty('spec');
  });

  it("is progressing with kubectl rollout status's reading as progress data", () => {
    const row = deploymentWorkload(
      deployment({}, { replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 1 }),
    );
    expect(row.state).toBe('progressing');
    expect(row.progress).toEqual({
      current: 1,
      max: 3,
      description:
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...',
      summary: '2 of 3 updated',
      done: false,
    });
    expect(row.status).toBe('Progressing: 2 of 3 updated');
    const terminating = deploymentWorkload(
      deployment({}, { replicas: 4, updatedReplicas: 3, readyReplicas: 4, availableReplicas: 3 }),
    );
    expect(terminating.status).toBe('Progressing: 1 old replica terminating');
  });

  it('fails with the reason of its conditions: ProgressDeadlineExceeded, ReplicaFailure', () => {
    const stuck = deploymentWorkload(
      deployment(
        {},
        {
          updatedReplicas: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-1" has timed out progressing.',
            },
          ],
        },
      ),
    );
    expect(stuck).toMatchObject({
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      status: 'Failed: ProgressDeadlineExceeded — ReplicaSet "web-1" has timed out progressing.',
      warning: true,
    });
    const refused = deploymentWorkload(
      deployment(
        {},
        {
          conditions: [
            { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'denied' },
          ],
        },
      ),
    );
    expect(refused).toMatchObject({ state: 'failed', reason: 'FailedCreate' });
  });

  it('says paused, scaled to zero, and not sized when neither resources nor label say', () => {
    const paused = deploymentWorkload(
      deployment({ paused: true }, { updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 }),
    );
    expect(paused).toMatchObject({ state: 'paused', status: 'Paused', paused: true });
    const zero = deploymentWorkload(deployment({ replicas: 0, template: template() }, {}));
    expect(zero).toMatchObject({ state: 'scaled-to-zero', desired: 0 });
    expect(zero.size).toBeUndefined();
    const labelled = deploymentWorkload(
      deployment({ template: template(undefined, { 'nodeless.dev/size': '2x4' }) }, {}),
    );
    expect(labelled.size).toBe('2x4');
  });
});

describe('statefulSetWorkload', () => {
  const sts = (status: Omit<NonNullable<V1StatefulSet['status']>, 'replicas'>): V1StatefulSet => ({
    metadata: meta('db'),
    spec: {
      selector: {},
      serviceName: 'db',
      replicas: 2,
      template: template({ cpu: '500m', memory: '1Gi' }),
    },
    status: { observedGeneration: 2, replicas: 2, ...status },
  });
  it('is progressing while a revision rolls out, then available', () => {
    const rolling = statefulSetWorkload(
      sts({ readyReplicas: 2, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' }),
    );
    expect(rolling).toMatchObject({ state: 'progressing', size: '0.5x1' });
    expect(rolling.progress).toMatchObject({ current: 1, max: 2, done: false });
    expect(rolling.status).toBe('Progressing: 1 of 2 updated');
    expect(rolling.revision).toBe('b');
    const done = statefulSetWorkload(
      sts({ readyReplicas: 2, updatedReplicas: 2, currentRevision: 'b', updateRevision: 'b' }),
    );
    expect(done).toMatchObject({ state: 'available', ready: 2, desired: 2 });
  });
});

describe('jobWorkload and cronJobWorkload', () => {
  const job = (status: V1Job['status'], owned = false): V1Job => ({
    metadata: meta(
      'backfill',
      owned
        ? {
            ownerReferences: [
              {
                apiVersion: 'batch/v1',
                kind: 'CronJob',
                name: 'nightly',
                uid: 'c',
                controller: true,
              },
            ],
          }
        : {},
    ),
    spec: { completions: 3, template: template({ cpu: '1', memory: '2Gi' }) },
    status,
  });
  it('says complete, failed with its reason, and running with completions as progress', () => {
    expect(
      jobWorkload(job({ succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] })),
    ).toMatchObject({ state: 'complete', status: 'Complete', ready: 3, desired: 3, size: '1x2' });
    expect(
      jobWorkload(
        job({
          failed: 6,
          conditions: [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
          ],
        }),
      ),
    ).toMatchObject({
      state: 'failed',
      reason: 'BackoffLimitExceeded',
      status: 'Failed: BackoffLimitExceeded — Job has reached the specified backoff limit',
    });
    const running = jobWorkload(job({ succeeded: 1, active: 2 }));
    expect(running.progress).toEqual({
      current: 1,
      max: 3,
      description: '1 of 3 completed, 2 running',
      summary: '1 of 3 completed',
      done: false,
    });
    expect(isListedJob(job({}))).toBe(true);
    expect(isListedJob(job({}, true))).toBe(false);
  });

  it('says suspended or scheduled with the last schedule time', () => {
    const cron = (suspend: boolean): V1CronJob => ({
      metadata: meta('nightly'),
      spec: {
        schedule: '0 3 * * *',
        suspend,
        jobTemplate: { spec: { template: template({ cpu: '250m', memory: '512Mi' }) } },
      },
      status: {
        lastScheduleTime: new Date('2025-01-02T03:00:00Z'),
        active: [{ name: 'j' }],
      },
    });
    expect(cronJobWorkload(cron(true))).toMatchObject({
      state: 'suspended',
      status: 'Suspended (0 3 * * *)',
    });
    expect(cronJobWorkload(cron(false))).toMatchObject({
      state: 'scheduled',
      status: 'Scheduled 0 3 * * *, 1 running',
      ready: 1,
      size: '0.25x0.5',
      lastScheduleAt: Date.parse('2025-01-02T03:00:00Z'),
    });
  });
});

describe('bare pods and pool full', () => {
  const pending = podRow({
    metadata: meta('trainer'),
    spec: { containers: [{ name: 'a', resources: { limits: { cpu: '16', memory: '64Gi' } } }] },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory.',
        },
      ],
    },
  });

  it('a bare pod row is sized from its resources and says why it is pending', () => {
    expect(podWorkload(pending)).toMatchObject({
      kind: 'Pod',
      size: '16x64',
      ready: 0,
      desired: 1,
      state: 'pending',
      status: 'Pending: Unschedulable',
      warning: true,
    });
  });

  it('finds the shortage in the condition, else in FailedScheduling events', () => {
    expect(capacityShortage(pending, [])).toEqual(['cpu', 'memory']);
    const noCondition = { phase: 'Pending' };
    expect(
      capacityShortage(noCondition, [
        { reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient memory.' },
      ]),
    ).toEqual(['memory']);
    expect(
      capacityShortage(
        {
          phase: 'Pending',
          unscheduled: { reason: 'Unschedulable', message: '1 node(s) had untolerated taint' },
        },
        [],
      ),
    ).toBeUndefined();
    expect(capacityShortage({ phase: 'Running', node: 'm1' }, [])).toBeUndefined();
  });

  it('says it in one sentence, rounding the free amount down', () => {
    const notice = poolFullNotice(
      [1, 2, 3].map(() => ({ size: '2x4', short: ['cpu' as const] })),
      { cpuMilli: 1_509, memoryBytes: 10 * GIB },
    );
    expect(notice?.message).toBe(
      '3 pods of 2 vCPU / 4 GiB are waiting: the pool has 1.5 vCPU free',
    );
    expect(notice).toMatchObject({ pods: 3, sizes: [{ size: '2x4', count: 3 }], short: ['cpu'] });
    const scattered = poolFullNotice(
      [{ size: '16x64', short: ['cpu', 'memory'] }],
      { cpuMilli: 18_000, memoryBytes: 70 * GIB },
      new Map([['16x64', 0]]),
    );
    expect(scattered?.message).toBe(
      '1 pod of 16 vCPU / 64 GiB is waiting: the pool has 18 vCPU and 70 GiB free, but no single machine has room for one',
    );
    expect(poolFullNotice([], { cpuMilli: 0, memoryBytes: 0 })).toBeUndefined();
  });
});
