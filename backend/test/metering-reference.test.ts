/**
 * The metering acceptance tests' reference on pod states shaped as the kubelet (and KWOK's
 * stages) write them: it must be right before an integration test may trust it.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { referenceCostMicros, referenceOf, type ReferenceBill } from './metering-reference.ts';

const T = Date.parse('2026-12-02T10:00:00Z');
const at = (s: number) => new Date(T + s * 1000).toISOString().replace('.000Z', 'Z');
const epoch = (s: number) => (T + s * 1000) / 1000;

function pod(
  phase: string,
  sandbox: { status: 'True' | 'False'; at: number } | undefined,
  containers: V1ContainerStatus[],
  init: V1ContainerStatus[] = [],
): V1Pod {
  return {
    metadata: { uid: 'u1', namespace: 'team', name: 'p' },
    status: {
      phase,
      conditions: sandbox
        ? [
            {
              type: 'PodReadyToStartContainers',
              status: sandbox.status,
              lastTransitionTime: at(sandbox.at) as unknown as Date,
            },
          ]
        : [],
      containerStatuses: containers,
      ...(init.length ? { initContainerStatuses: init } : {}),
    },
  };
}
const running = (name: string, start: number): V1ContainerStatus =>
  ({ name, state: { running: { startedAt: at(start) } } }) as unknown as V1ContainerStatus;
const done = (name: string, start: number, end: number): V1ContainerStatus =>
  ({
    name,
    state: { terminated: { exitCode: 0, startedAt: at(start), finishedAt: at(end) } },
  }) as unknown as V1ContainerStatus;
const waiting = (name: string): V1ContainerStatus =>
  ({ name, state: { waiting: { reason: 'ContainerCreating' } } }) as unknown as V1ContainerStatus;

describe('the metering reference', () => {
  it('starts at the sandbox seen True, not at the False transition of the finished pod', () => {
    const r = referenceOf([
      pod('Pending', { status: 'True', at: 0 }, [waiting('work')]),
      pod('Running', { status: 'True', at: 0 }, [running('work', 1)]),
      pod('Succeeded', { status: 'False', at: 91 }, [done('work', 1, 91)]),
    ]);
    expect(r).toMatchObject({ settled: true, start: epoch(0), end: epoch(91), seconds: 91 });
  });

  it('falls back to the earliest container start (init containers too) without the condition', () => {
    const r = referenceOf([
      pod('Succeeded', undefined, [done('work', 5, 65)], [done('prepare', 3, 4)]),
    ]);
    expect(r).toMatchObject({ settled: true, start: epoch(3), seconds: 62 });
  });

  it('ends a deleted pod when its containers stopped, the latest finishedAt over all', () => {
    const r = referenceOf([
      pod('Running', { status: 'True', at: 10 }, [running('a', 11), running('b', 11)]),
      pod('Running', { status: 'False', at: 40 }, [done('a', 11, 38), done('b', 11, 40)]),
    ]);
    expect(r).toMatchObject({ settled: true, seconds: 30 });
  });

  it('has no answer while a container runs, or for a pod that never started', () => {
    expect(referenceOf([pod('Running', { status: 'True', at: 0 }, [running('w', 1)])])).toEqual(
      expect.objectContaining({ settled: false, why: 'container w still running' }),
    );
    expect(referenceOf([pod('Pending', undefined, [waiting('w')])])).toEqual(
      expect.objectContaining({ settled: false, why: 'never started' }),
    );
    expect(referenceOf([])).toEqual(expect.objectContaining({ settled: false }));
  });

  it('rounds a fractional start down and a fractional end up', () => {
    const frac = (s: number) => new Date(T + s).toISOString();
    const p = pod('Succeeded', undefined, [
      {
        name: 'w',
        state: { terminated: { exitCode: 0, startedAt: frac(1500), finishedAt: frac(3200) } },
      } as unknown as V1ContainerStatus,
    ]);
    expect(referenceOf([p])).toMatchObject({ start: epoch(1), end: epoch(4), seconds: 3 });
  });

  it('prices each UTC hour of the life separately, rounded half up once per hour', () => {
    const prices = { nanosPerVcpuHour: 40_480_000, nanosPerGibHour: 4_445_000 };
    const bill = (start: number, end: number, cpuMilli: number, gib: number): ReferenceBill => ({
      uid: 'u',
      namespace: 'n',
      name: 'p',
      start,
      end,
      seconds: end - start,
      spec: { cpuMilli, memoryBytes: gib * 2 ** 30 },
    });
    // 0.04048 + 2 × 0.004445 = 0.04937 per hour.
    expect(referenceCostMicros(bill(36_000, 39_600, 1000, 2), prices)).toBe(49_370);
    // 0.25 vCPU / 0.5 GiB: 3.43 micro-units a second; 1 s either side of 11:00 is 3 + 3, not 7.
    expect(referenceCostMicros(bill(39_599, 39_601, 250, 0.5), prices)).toBe(6);
    expect(referenceCostMicros(bill(39_600, 39_602, 250, 0.5), prices)).toBe(7);
  });
});
