import { KubeApiError } from '@nodeless/cluster-runtime';
import { describe, expect, it } from 'vitest';
import { quotaAmount, quotaShortfall } from './quota.ts';
import { refusalOf } from './status.ts';

const pod = (cpu: string, memory: string, overhead?: Record<string, string>) => ({
  spec: {
    containers: [{ resources: { requests: { cpu, memory }, limits: { cpu, memory } } }],
    ...(overhead ? { overhead } : {}),
  },
});
const quota = (hard: Record<string, string>, used: Record<string, string>) => ({
  metadata: { name: 'q' },
  spec: { hard },
  status: { hard, used },
});

describe('quotaShortfall', () => {
  it('counts the size plus the sandbox overhead, as quota does', () => {
    expect(quotaAmount(pod('500m', '1Gi', { cpu: '250m', memory: '130Mi' }))).toEqual({
      cpuMilli: 750,
      memoryBytes: (1024 + 130) * 2 ** 20,
    });
  });

  it('lets replicas through while they fit, names replicas when they do not', () => {
    const q = [quota({ 'limits.cpu': '2', pods: '10' }, { 'limits.cpu': '500m', pods: '1' })];
    expect(quotaShortfall(q, pod('500m', '1Gi'), 3, [])).toBeUndefined();
    const short = quotaShortfall(q, pod('500m', '1Gi'), 4, []);
    expect(short?.field).toBe('replicas');
    expect(short?.message).toMatch(
      /limits\.cpu is limited to 2 vCPU and other pods use 0\.5 vCPU; at most 3 fit/,
    );
  });

  it('names the size when not even one pod fits', () => {
    const q = [quota({ 'requests.memory': '2Gi' }, { 'requests.memory': '1536Mi' })];
    expect(quotaShortfall(q, pod('250m', '1Gi'), 1, [])?.field).toBe('size');
  });

  it('takes the Deployment’s own running pods out of what is used', () => {
    const q = [quota({ pods: '3' }, { pods: '3' })];
    const mine = [
      pod('250m', '512Mi'),
      pod('250m', '512Mi'),
      { ...pod('250m', '512Mi'), status: { phase: 'Succeeded' } },
    ];
    expect(quotaShortfall(q, pod('250m', '512Mi'), 3, mine)?.message).toMatch(/other pods use 1;/);
    expect(quotaShortfall(q, pod('250m', '512Mi'), 2, mine)).toBeUndefined();
  });
});

describe('refusalOf', () => {
  const error = (code: number, body: object) =>
    new KubeApiError(code, (body as { reason?: string }).reason ?? '', 'x', 'PATCH', '/p', body);

  it('reads SSA conflicts: the path and the manager', () => {
    const r = refusalOf(
      error(409, {
        reason: 'Conflict',
        message:
          'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "kubectl" using apps/v1',
              field: '.spec.replicas',
            },
          ],
        },
      }),
    );
    expect(r?.conflicts).toEqual([{ path: '.spec.replicas', manager: 'kubectl' }]);
    expect(r?.causes).toEqual([]);
  });

  it('reads the subresource of a manager that wrote through one (kubectl scale)', () => {
    const r = refusalOf(
      error(409, {
        reason: 'Conflict',
        message:
          'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "kubectl" with subresource "scale" using apps/v1',
              field: '.spec.replicas',
            },
          ],
        },
      }),
    );
    expect(r?.conflicts).toEqual([
      { path: '.spec.replicas', manager: 'kubectl', subresource: 'scale' },
    ]);
  });

  it('reads 422 causes by field, and keeps an admission message whole', () => {
    const invalid = refusalOf(
      error(422, {
        reason: 'Invalid',
        message:
          'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
        details: {
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value',
              field: 'spec.template.spec.containers[0].image',
            },
          ],
        },
      }),
    );
    expect(invalid?.causes).toEqual([
      { field: 'spec.template.spec.containers[0].image', message: 'Required value' },
    ]);
    const quota = refusalOf(
      error(403, { reason: 'Forbidden', message: 'pods "p" is forbidden: exceeded quota: q' }),
    );
    expect(quota).toMatchObject({
      code: 403,
      message: 'pods "p" is forbidden: exceeded quota: q',
      causes: [],
    });
    expect(refusalOf(new Error('ECONNREFUSED'))).toBeUndefined();
  });
});
