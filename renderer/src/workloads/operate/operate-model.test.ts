import type { HpaState } from '@nodeless/backend/api';
import { describe, expect, it } from 'vitest';
import {
  changeText,
  hpaFormOf,
  hpaInputOf,
  metricText,
  newHpaForm,
  progressText,
  revisionText,
  stepReplicas,
} from './operate-model.ts';

const web = { kind: 'Deployment', namespace: 'shop', name: 'web' } as const;

describe('HPA form', () => {
  it("starts from kubectl autoscale's defaults around the current replicas", () => {
    expect(newHpaForm(web, 3)).toEqual({
      name: 'web',
      minReplicas: '3',
      maxReplicas: '6',
      cpuUtilization: '80',
      memoryUtilization: '',
      scaleDownStabilizationSeconds: '',
    });
    expect(newHpaForm(web, 0).minReplicas).toBe('1');
  });

  it('turns text into the API input, leaving empty optional fields out', () => {
    const form = { ...newHpaForm(web, 1), memoryUtilization: ' 75 ' };
    expect(hpaInputOf('c1', web, form)).toEqual({
      ok: true,
      input: {
        clusterId: 'c1',
        namespace: 'shop',
        name: 'web',
        target: { kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 2,
        cpuUtilization: 80,
        memoryUtilization: 75,
      },
    });
  });

  it('names the fields whose text is not a whole number; rules on numbers are the backend’s', () => {
    expect(
      hpaInputOf('c1', web, {
        ...newHpaForm(web, 1),
        minReplicas: '',
        maxReplicas: '2.5',
        scaleDownStabilizationSeconds: 'soon',
      }),
    ).toEqual({
      ok: false,
      errors: {
        minReplicas: 'is required',
        maxReplicas: 'must be a whole number',
        scaleDownStabilizationSeconds: 'must be a whole number',
      },
    });
    // 0 is a number: the backend answers that it must be at least 1, under the field.
    expect(hpaInputOf('c1', web, { ...newHpaForm(web, 1), minReplicas: '0' }).ok).toBe(true);
  });

  it('edits an existing HPA from its model, and has no form for one it cannot edit', () => {
    const state: HpaState = {
      name: 'web',
      model: {
        namespace: 'shop',
        name: 'web',
        target: { kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 5,
        memoryUtilization: 70,
        scaleDownStabilizationSeconds: 30,
      },
      currentReplicas: 2,
      desiredReplicas: 2,
      metrics: [],
      conditions: [],
    };
    expect(hpaFormOf(state)).toEqual({
      name: 'web',
      minReplicas: '2',
      maxReplicas: '5',
      cpuUtilization: '',
      memoryUtilization: '70',
      scaleDownStabilizationSeconds: '30',
    });
    const { model: _m, ...unsupported } = state;
    expect(hpaFormOf({ ...unsupported, unsupported: 'other metrics' })).toBeUndefined();
  });
});

describe('words', () => {
  it('says metrics against their target, and when none was measured yet', () => {
    expect(metricText({ resource: 'cpu', targetUtilization: 80, currentUtilization: 45 })).toBe(
      'CPU: 45 % of the 80 % target',
    );
    expect(metricText({ resource: 'memory', targetUtilization: 70 })).toBe(
      'Memory: target 70 %, not measured yet',
    );
  });

  it('steps replicas within 0 and the maximum', () => {
    expect(stepReplicas('2', 1, 1000)).toBe('3');
    expect(stepReplicas('0', -1, 1000)).toBe('0');
    expect(stepReplicas('1000', 1, 1000)).toBe('1000');
    expect(stepReplicas('x', 1, 1000)).toBe('1');
  });

  it('writes progress, revisions and changes', () => {
    expect(
      progressText({ current: 2, max: 3, description: 'Waiting…', summary: 's', done: false }),
    ).toBe('2 of 3 updated and ready — Waiting…');
    expect(
      progressText({
        current: 0,
        max: 3,
        description: 'x',
        summary: 's',
        done: true,
        failed: 'deadline',
      }),
    ).toBe('Failed: deadline');
    expect(
      revisionText({
        revision: 2,
        replicaSet: 'web-1',
        images: ['a:1', 'b:2'],
        changeCause: 'bump',
        replicas: 0,
        current: false,
      }),
    ).toBe('a:1, b:2 — bump');
    expect(changeText({ path: 'p', before: 'a', after: 'b' })).toBe('a → b');
    expect(changeText({ path: 'p', after: 'b' })).toBe('added b');
    expect(changeText({ path: 'p', before: 'a' })).toBe('removed a');
  });
});
