import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hpaConditionsInWords, hpaRow } from '../../kinds/hpa.ts';
import { hpaModelOf, hpaObject, hpaState, validateHpaModel, type HpaModel } from './hpa-model.ts';

const model: HpaModel = {
  namespace: 'shop',
  name: 'web',
  target: { kind: 'Deployment', name: 'web' },
  minReplicas: 2,
  maxReplicas: 6,
  cpuUtilization: 70,
  memoryUtilization: 80,
  scaleDownStabilizationSeconds: 60,
};

describe('HPA model ↔ object', () => {
  it('is the plain autoscaling/v2 object kubectl autoscale would write, plus memory and behaviour', () => {
    expect(hpaObject(model)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      },
    });
  });

  it('reads back the same model, with or without the optional parts', () => {
    expect(hpaModelOf(hpaObject(model))).toEqual(model);
    const cpuOnly: HpaModel = {
      namespace: 'shop',
      name: 'db',
      target: { kind: 'StatefulSet', name: 'db' },
      minReplicas: 1,
      maxReplicas: 3,
      cpuUtilization: 50,
    };
    expect(hpaObject(cpuOnly).spec?.behavior).toBeUndefined();
    expect(hpaModelOf(hpaObject(cpuOnly))).toEqual(cpuOnly);
  });

  it('has no model for metrics the form does not show, and says why', () => {
    const h = hpaObject(model);
    h.spec?.metrics?.push({
      type: 'Pods',
      pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
    });
    expect(hpaModelOf(h)).toBeUndefined();
    expect(hpaState(h).unsupported).toBe('it has metrics other than CPU and memory utilisation');
  });
});

describe('HPA field validation', () => {
  it('accepts a good model', () => {
    expect(validateHpaModel(model)).toEqual({});
  });

  it('names each wrong field', () => {
    expect(
      validateHpaModel({
        ...model,
        name: 'Web!',
        minReplicas: 0,
        maxReplicas: 2.5,
        cpuUtilization: 0,
        memoryUtilization: 5000,
        scaleDownStabilizationSeconds: 4000,
      }),
    ).toEqual({
      name: 'must be lower-case letters, digits, "-" or "." (at most 253)',
      minReplicas: 'must be at least 1',
      maxReplicas: 'must be a whole number',
      cpuUtilization: 'must be at least 1 %',
      memoryUtilization: 'must be at most 1000 %',
      scaleDownStabilizationSeconds: 'must be at most 3600 seconds',
    });
  });

  it('wants max ≥ min and at least one target', () => {
    const { cpuUtilization: _c, memoryUtilization: _m, ...none } = model;
    expect(validateHpaModel({ ...none, minReplicas: 5, maxReplicas: 3 })).toEqual({
      maxReplicas: 'must be at least the minimum (5)',
      metrics: 'set a CPU or a memory target (or both)',
    });
  });
});

describe('HPA state and conditions in words', () => {
  const live: V2HorizontalPodAutoscaler = {
    ...hpaObject(model),
    status: {
      currentReplicas: 2,
      desiredReplicas: 4,
      lastScaleTime: '2026-01-01T00:00:00Z' as unknown as Date,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 140, averageValue: '350m' } },
        },
      ],
      conditions: [
        {
          type: 'ScalingLimited',
          status: 'False',
          reason: 'DesiredWithinRange',
          message: 'the desired count is within the acceptable range',
        },
        {
          type: 'AbleToScale',
          status: 'True',
          reason: 'SucceededRescale',
          message: 'the HPA controller was able to update the target scale to 4',
        },
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'FailedGetResourceMetric',
          message:
            'the HPA was unable to compute the replica count: failed to get memory utilization',
        },
      ] as never,
    },
  };

  it('shows current and desired replicas, each metric against its target', () => {
    const state = hpaState(live);
    expect(state).toMatchObject({
      currentReplicas: 2,
      desiredReplicas: 4,
      lastScaleTime: Date.parse('2026-01-01T00:00:00Z'),
      metrics: [
        {
          resource: 'cpu',
          targetUtilization: 70,
          currentUtilization: 140,
          currentAverageValue: '350m',
        },
        { resource: 'memory', targetUtilization: 80 },
      ],
      model,
    });
  });

  it('orders AbleToScale, ScalingActive, ScalingLimited with a headline and the controller words', () => {
    expect(hpaConditionsInWords(live.status?.conditions)).toEqual([
      {
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededRescale',
        message: 'the HPA controller was able to update the target scale to 4',
        headline: 'Able to scale',
      },
      {
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetResourceMetric',
        message:
          'the HPA was unable to compute the replica count: failed to get memory utilization',
        headline: 'Cannot compute the replicas',
      },
      {
        type: 'ScalingLimited',
        status: 'False',
        reason: 'DesiredWithinRange',
        message: 'the desired count is within the acceptable range',
        headline: 'Within the minimum and maximum',
      },
    ]);
    expect(hpaRow(live).conditions.map((c) => c.headline)).toEqual([
      'Able to scale',
      'Cannot compute the replicas',
      'Within the minimum and maximum',
    ]);
    expect(hpaConditionsInWords([{ type: 'Other', status: 'Unknown' }])[0]?.headline).toBe(
      'Other: Unknown',
    );
  });
});
