import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deploymentProgress, statefulSetProgress } from './rollout-status.ts';

const deployment = (over: Partial<V1Deployment> = {}): V1Deployment => ({
  metadata: { name: 'web', namespace: 'shop', generation: 3 },
  spec: { selector: {}, template: {}, replicas: 3 },
  ...over,
});

describe('progress as data (kubectl rollout status)', () => {
  it('counts updated and available replicas of the desired ones, in kubectl words', () => {
    const d = deployment({
      status: { observedGeneration: 3, replicas: 4, updatedReplicas: 2, availableReplicas: 3 },
    });
    expect(deploymentProgress(d)).toEqual({
      current: 2,
      max: 3,
      done: false,
      description:
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...',
      summary: '2 of 3 updated',
    });
    d.status = { observedGeneration: 3, replicas: 4, updatedReplicas: 3, availableReplicas: 3 };
    expect(deploymentProgress(d)).toMatchObject({
      done: false,
      description:
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
      summary: '1 old replica terminating',
    });
    d.status = { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 2 };
    expect(deploymentProgress(d)).toMatchObject({ done: false, summary: '2 of 3 available' });
    d.status = { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
    expect(deploymentProgress(d)).toMatchObject({
      current: 3,
      max: 3,
      done: true,
      description: 'deployment "web" successfully rolled out',
    });
    d.status = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
    expect(deploymentProgress(d)).toMatchObject({
      done: false,
      description: 'Waiting for deployment spec update to be observed...',
    });
  });

  it('reports a passed progress deadline as failed, and a paused one as done', () => {
    const d = deployment({
      status: {
        observedGeneration: 3,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      },
    });
    expect(deploymentProgress(d)).toMatchObject({
      done: true,
      failed: 'deployment "web" exceeded its progress deadline',
    });
    const paused = deployment({
      spec: { selector: {}, template: {}, replicas: 3, paused: true },
      status: { observedGeneration: 3, replicas: 3, updatedReplicas: 1 },
    });
    expect(deploymentProgress(paused)).toMatchObject({ done: true, summary: 'paused' });
  });

  it('waits for a StatefulSet to have its pods ready, then for its update revision', () => {
    const base = {
      metadata: { name: 'db', generation: 1 },
      spec: { replicas: 3, selector: {}, serviceName: 'db', template: {} },
    };
    expect(
      statefulSetProgress({
        ...base,
        status: { observedGeneration: 1, replicas: 3, readyReplicas: 1 },
      }),
    ).toEqual({
      current: 1,
      max: 3,
      done: false,
      description: 'Waiting for 2 pods to be ready...',
      summary: '1 of 3 ready',
    });
    const status = { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 1 };
    expect(
      statefulSetProgress({
        ...base,
        status: { ...status, currentRevision: 'db-a', updateRevision: 'db-b' },
      }),
    ).toMatchObject({ current: 1, done: false, summary: '1 of 3 updated' });
    expect(
      statefulSetProgress({
        ...base,
        status: { ...status, currentReplicas: 3, currentRevision: 'db-b', updateRevision: 'db-b' },
      }),
    ).toMatchObject({
      current: 3,
      done: true,
      description: 'statefulset rolling update complete 3 pods at revision db-b...',
    });
  });
});
