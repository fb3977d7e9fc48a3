import { describe, expect, it } from 'vitest';
import { defaultContainer, logReadiness, waitingReasonOf, type Pod } from './containers.ts';
import { logsInput } from './schema.ts';

const pod = (p: Partial<Pod>): Pod => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'a' }, { name: 'b' }] },
  ...p,
});

describe('defaultContainer (kubectl logs)', () => {
  it('takes the annotated default when it names a container, else the first', () => {
    expect(defaultContainer(pod({}))).toBe('a');
    const annotated = (name: string) =>
      pod({
        metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': name } },
      });
    expect(defaultContainer(annotated('b'))).toBe('b');
    expect(defaultContainer(annotated('gone'))).toBe('a');
  });
});

describe('logReadiness (the kubelet rules)', () => {
  it('waits for ContainerCreating before any status, and for the waiting reason', () => {
    expect(logReadiness(pod({}), 'a')).toEqual({ ready: false, reason: 'ContainerCreating' });
    const waiting = (reason: string) =>
      pod({
        status: {
          containerStatuses: [
            { name: 'a', state: { waiting: { reason } }, restartCount: 0 } as never,
          ],
        },
      });
    expect(logReadiness(waiting('ContainerCreating'), 'a')).toEqual({
      ready: false,
      reason: 'ContainerCreating',
    });
    expect(logReadiness(waiting('ImagePullBackOff'), 'a')).toEqual({
      ready: false,
      reason: 'trying and failing to pull image',
    });
  });

  it('is ready while running, once terminated, and in back-off after a run (its last instance)', () => {
    const status = (s: object) =>
      pod({ status: { containerStatuses: [{ name: 'a', restartCount: 2, ...s } as never] } });
    expect(logReadiness(status({ state: { running: {} } }), 'a')).toEqual({
      ready: true,
      restarts: 2,
    });
    expect(logReadiness(status({ state: { terminated: { exitCode: 0 } } }), 'a').ready).toBe(true);
    expect(
      logReadiness(
        status({
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1 } },
        }),
        'a',
      ).ready,
    ).toBe(true);
  });
});

describe('waitingReasonOf', () => {
  it('reads the reason of the API 400 for a container that has not started', () => {
    expect(waitingReasonOf('container "a" in pod "p" is waiting to start: ContainerCreating')).toBe(
      'ContainerCreating',
    );
    expect(waitingReasonOf('pods "p" not found')).toBeUndefined();
  });
});

describe('logsInput', () => {
  const base = { clusterId: '4b7c1c1e-2f0a-4d7e-9a55-3d2c1b0a9f8e', namespace: 'default' };
  it('takes a pod or a workload, not both and not neither', () => {
    expect(logsInput.safeParse({ ...base, pod: 'web-1' }).success).toBe(true);
    expect(
      logsInput.safeParse({ ...base, workload: { kind: 'Deployment', name: 'web' } }).success,
    ).toBe(true);
    expect(logsInput.safeParse(base).success).toBe(false);
    expect(
      logsInput.safeParse({ ...base, pod: 'x', workload: { kind: 'Job', name: 'y' } }).success,
    ).toBe(false);
  });

  it('refuses unknown fields, fractional and negative counts', () => {
    expect(logsInput.safeParse({ ...base, pod: 'p', extra: 1 }).success).toBe(false);
    expect(logsInput.safeParse({ ...base, pod: 'p', tailLines: 1.5 }).success).toBe(false);
    expect(logsInput.safeParse({ ...base, pod: 'p', tailLines: -1 }).success).toBe(false);
    expect(logsInput.safeParse({ ...base, pod: 'p', tailLines: 0 }).success).toBe(true);
  });
});
