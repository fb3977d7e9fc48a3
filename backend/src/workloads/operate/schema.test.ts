import {
  KubeApiError,
  OperationRefusedError,
  WorkloadNotFoundError,
} from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { fieldErrorsFromIssues } from '../../api/field-errors.ts';
import { InputError } from '../../inventory/errors.ts';
import { operateHpaApplyInput, operateScaleInput } from './schema.ts';
import { hpaFieldErrors, operateError } from './service.ts';

const hpa = {
  clusterId: 'c1',
  namespace: 'shop',
  name: 'web',
  target: { kind: 'Deployment', name: 'web' },
  minReplicas: 1,
  maxReplicas: 4,
  cpuUtilization: 70,
};

const errorsOf = (schema: typeof operateHpaApplyInput | typeof operateScaleInput, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? {} : fieldErrorsFromIssues(r.error.issues);
};

describe('operate inputs', () => {
  it('takes a good HPA', () => {
    expect(operateHpaApplyInput.safeParse(hpa).success).toBe(true);
  });

  it('names the HPA field that is wrong, with the model rules (max ≥ min, a target)', () => {
    expect(errorsOf(operateHpaApplyInput, { ...hpa, minReplicas: 0 })).toEqual({
      minReplicas: 'must be at least 1',
    });
    const { cpuUtilization: _c, ...noTarget } = hpa;
    expect(errorsOf(operateHpaApplyInput, { ...noTarget, minReplicas: 5, maxReplicas: 2 })).toEqual(
      {
        maxReplicas: 'must be at least the minimum (5)',
        metrics: 'set a CPU or a memory target (or both)',
      },
    );
    expect(errorsOf(operateHpaApplyInput, { ...hpa, scaleDownStabilizationSeconds: 3601 })).toEqual(
      { scaleDownStabilizationSeconds: 'must be at most 3600 seconds' },
    );
  });

  it('wants whole, non-negative replicas to scale to', () => {
    const base = { clusterId: 'c1', kind: 'StatefulSet', namespace: 'shop', name: 'db' };
    expect(errorsOf(operateScaleInput, { ...base, replicas: -1 })).toEqual({
      replicas: 'must be at least 0',
    });
    expect(errorsOf(operateScaleInput, { ...base, replicas: 1.5 })).toEqual({
      replicas: 'must be a whole number',
    });
    expect(errorsOf(operateScaleInput, { ...base, kind: 'DaemonSet', replicas: 1 })).toHaveProperty(
      'kind',
    );
  });
});

describe('operate errors', () => {
  it("maps a 422's causes to the HPA form's fields", () => {
    const e = new KubeApiError(422, 'Invalid', 'invalid', 'PATCH', '/x', {
      message: 'HorizontalPodAutoscaler.autoscaling "web" is invalid',
      details: {
        causes: [
          { field: 'spec.maxReplicas', message: 'Invalid value: 0: must be greater than 0' },
          {
            field: 'spec.metrics[0].resource.target.averageUtilization',
            message: 'must be greater than 0',
          },
        ],
      },
    });
    expect(hpaFieldErrors(e)).toEqual({
      maxReplicas: 'Invalid value: 0: must be greater than 0',
      metrics: 'must be greater than 0',
    });
  });

  it("answers kubectl's refusals 412 with the remedy, a gone workload 404, a lost race 409", () => {
    const refused = operateError(
      new OperationRefusedError("can't restart paused deployment", 'Resume the rollout.'),
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: "can't restart paused deployment. Resume the rollout.",
    });
    expect(
      operateError(new WorkloadNotFoundError({ kind: 'Deployment', namespace: 'a', name: 'b' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      operateError(new KubeApiError(409, 'Conflict', 'modified', 'PATCH', '/x')),
    ).toMatchObject({ code: 'CONFLICT' });
    const other = new Error('boom');
    expect(operateError(other)).toBe(other);
    expect(operateError(new InputError({ a: 'b' }))).toBeInstanceOf(InputError);
  });
});
