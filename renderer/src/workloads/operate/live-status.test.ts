import type { HpaFeedRow, RolloutProgress, WorkloadRow } from '@nodeless/backend/api';
import { describe, expect, it } from 'vitest';
import { followStep, SETTLE_MS } from './follow-model.ts';
import { hpaFor, statusOf } from './operate-model.ts';

const web = { kind: 'Deployment', namespace: 'shop', name: 'web' } as const;

const progress = (done: boolean, description = 'd'): RolloutProgress => ({
  current: 1,
  max: 3,
  description,
  summary: 's',
  done,
});

const row = (over: Partial<WorkloadRow> = {}): WorkloadRow => ({
  uid: 'u-web',
  ...web,
  ready: 2,
  desired: 3,
  images: ['nginx'],
  state: 'progressing',
  status: 'Progressing: s',
  warning: false,
  paused: false,
  progress: progress(false),
  ...over,
});

const hpa = (name: string, target: string, createdAt: number, namespace = 'shop'): HpaFeedRow => ({
  uid: `h-${name}`,
  name,
  namespace,
  createdAt,
  target: { kind: 'Deployment', name: target },
  targets: 'cpu: <unknown>/80%',
  min: 1,
  max: 3,
  current: 2,
  desired: 2,
  conditions: [],
  currentReplicas: 2,
  desiredReplicas: 2,
  metrics: [],
});

describe('the panel status from the feeds', () => {
  it("takes replicas, ready, paused and progress from the workload's row", () => {
    const h = hpa('web', 'web', 1);
    expect(statusOf(row({ paused: true }), h)).toEqual({
      uid: 'u-web',
      replicas: 3,
      readyReplicas: 2,
      paused: true,
      progress: progress(false),
      hpa: h,
    });
    // A Job has no replicas to scale.
    expect(statusOf(row({ kind: 'Job', progress: undefined }), undefined)).toEqual({
      uid: 'u-web',
    });
  });

  it('finds the oldest HPA targeting the workload in its namespace', () => {
    const rows = [
      hpa('other', 'api', 0),
      hpa('elsewhere', 'web', 0, 'staging'),
      hpa('newer', 'web', 20),
      hpa('older', 'web', 10),
    ];
    expect(hpaFor(rows, web)?.name).toBe('older');
    expect(hpaFor(rows, { ...web, name: 'db' })).toBeUndefined();
  });
});

describe('following an operation', () => {
  const started = { what: 'Scaling to 3', since: 1000, moved: false };
  it('is done once its rollout was seen moving and is done again', () => {
    const moving = followStep(started, progress(false), 1100);
    expect(moving).toEqual({ kind: 'following', followed: { ...started, moved: true } });
    if (moving.kind !== 'following') return;
    expect(followStep(moving.followed, progress(true, 'rolled out'), 1200)).toEqual({
      kind: 'finished',
      text: 'Scaling to 3: rolled out',
    });
  });

  it("does not take the previous rollout's end for its own until the grace period is over", () => {
    expect(followStep(started, progress(true), 1000 + SETTLE_MS - 1).kind).toBe('following');
    expect(followStep(started, progress(true, 'rolled out'), 1000 + SETTLE_MS)).toEqual({
      kind: 'finished',
      text: 'Scaling to 3: rolled out',
    });
  });

  it('says a failed rollout', () => {
    const failed = { ...progress(true), failed: 'deadline exceeded' };
    expect(followStep({ ...started, moved: true }, failed, 1100)).toEqual({
      kind: 'finished',
      text: 'Scaling to 3: deadline exceeded',
    });
  });
});
