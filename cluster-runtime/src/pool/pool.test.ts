/** The capacity pool's math, table-driven: totals, taken, free and per-size fits. */
import { GIB, MIB, type PodSize } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { capacityPool, podPoolRequest, type PoolNode, type PoolPod } from './pool.ts';

const node = (name: string, cpu: string, memory: string, extra: Partial<PoolNode> = {}) => ({
  name,
  ready: true,
  unschedulable: false,
  allocatable: { cpu, memory, pods: '110' },
  ...extra,
});
const pod = (
  nodeName: string | undefined,
  cpuMilli: number,
  memoryGiB: number,
  phase = 'Running',
) => ({ node: nodeName, phase, request: { cpuMilli, memoryBytes: memoryGiB * GIB } }) as PoolPod;

const ONE_BY_TWO: PodSize = { cpuMilli: 1000, memoryBytes: 2 * GIB };
const TWO_BY_FOUR: PodSize = { cpuMilli: 2000, memoryBytes: 4 * GIB };
const NO_OVERHEAD = { cpuMilli: 0, memoryBytes: 0 };

describe('podPoolRequest', () => {
  const cases: [string, Parameters<typeof podPoolRequest>[0], number, number][] = [
    ['no spec', undefined, 0, 0],
    ['nothing requested', { containers: [{}] }, 0, 0],
    [
      'containers summed (limits win, as common says)',
      {
        containers: [
          { resources: { requests: { cpu: '100m', memory: '64Mi' } } },
          { resources: { requests: { cpu: '100m' }, limits: { cpu: '300m', memory: '128Mi' } } },
        ],
      },
      400,
      192 * MIB,
    ],
    [
      'pod-level requests win per resource',
      {
        containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
        resources: { requests: { cpu: '2' } },
      },
      2000,
      64 * MIB,
    ],
    [
      'overhead added',
      {
        containers: [{ resources: { limits: { cpu: '1', memory: '2Gi' } } }],
        overhead: { cpu: '250m', memory: '130Mi' },
      },
      1250,
      2 * GIB + 130 * MIB,
    ],
    [
      'unreadable quantity counts 0, not a crash',
      { containers: [{ resources: { requests: { cpu: 'lots' } } }] },
      0,
      0,
    ],
  ];
  it.each(cases)('%s', (_name, spec, cpuMilli, memoryBytes) => {
    expect(podPoolRequest(spec)).toEqual({ cpuMilli, memoryBytes });
  });
});

describe('capacityPool', () => {
  interface Case {
    name: string;
    nodes: PoolNode[];
    pods: PoolPod[];
    overhead?: { cpuMilli: number; memoryBytes: number };
    sizes?: PodSize[];
    total: [number, number];
    taken: [number, number];
    free: [number, number];
    fits: number[];
  }
  const cases: Case[] = [
    {
      name: 'empty cluster: nothing',
      nodes: [],
      pods: [],
      total: [0, 0],
      taken: [0, 0],
      free: [0, 0],
      fits: [0, 0],
    },
    {
      name: 'two idle machines',
      nodes: [node('a', '4', '8Gi'), node('b', '4', '8Gi')],
      pods: [],
      total: [8000, 16 * GIB],
      taken: [0, 0],
      free: [8000, 16 * GIB],
      fits: [8, 4],
    },
    {
      name: 'not Ready and cordoned machines do not count, nor pods on them',
      nodes: [
        node('a', '4', '8Gi'),
        node('b', '4', '8Gi', { ready: false }),
        node('c', '4', '8Gi', { unschedulable: true }),
      ],
      pods: [pod('b', 1000, 1), pod('c', 1000, 1)],
      total: [4000, 8 * GIB],
      taken: [0, 0],
      free: [4000, 8 * GIB],
      fits: [4, 2],
    },
    {
      name: 'finished and unscheduled pods take nothing',
      nodes: [node('a', '4', '8Gi')],
      pods: [
        pod('a', 1000, 2, 'Succeeded'),
        pod('a', 1000, 2, 'Failed'),
        pod(undefined, 1000, 2, 'Pending'),
        pod('a', 1000, 2, 'Pending'),
      ],
      total: [4000, 8 * GIB],
      taken: [1000, 2 * GIB],
      free: [3000, 6 * GIB],
      fits: [3, 1],
    },
    {
      name: 'a pod cannot span machines: 1.5 + 1.5 free vCPU fit no 2x4',
      nodes: [node('a', '2', '8Gi'), node('b', '2', '8Gi')],
      pods: [pod('a', 500, 0), pod('b', 500, 0)],
      total: [4000, 16 * GIB],
      taken: [1000, 0],
      free: [3000, 16 * GIB],
      fits: [2, 0],
    },
    {
      name: 'sandbox overhead counted per new pod',
      nodes: [node('a', '4', '16Gi')],
      pods: [],
      overhead: { cpuMilli: 250, memoryBytes: 130 * MIB },
      total: [4000, 16 * GIB],
      taken: [0, 0],
      free: [4000, 16 * GIB],
      // 4000 / 1250 = 3; 4000 / 2250 = 1
      fits: [3, 1],
    },
    {
      name: 'memory bounds the count',
      nodes: [node('a', '16', '5Gi')],
      pods: [],
      total: [16000, 5 * GIB],
      taken: [0, 0],
      free: [16000, 5 * GIB],
      fits: [2, 1],
    },
    {
      name: 'free pod slots bound the count',
      nodes: [
        { ...node('a', '16', '64Gi'), allocatable: { cpu: '16', memory: '64Gi', pods: '3' } },
      ],
      pods: [pod('a', 0, 0)],
      total: [16000, 64 * GIB],
      taken: [0, 0],
      free: [16000, 64 * GIB],
      fits: [2, 2],
    },
    {
      name: 'over-committed machine: free never negative, fits 0',
      nodes: [node('a', '1', '1Gi')],
      pods: [pod('a', 2000, 2)],
      total: [1000, GIB],
      taken: [2000, 2 * GIB],
      free: [0, 0],
      fits: [0, 0],
    },
  ];
  it.each(cases)('$name', (c) => {
    const pool = capacityPool(
      c.nodes,
      c.pods,
      c.overhead ?? NO_OVERHEAD,
      c.sizes ?? [ONE_BY_TWO, TWO_BY_FOUR],
    );
    expect([pool.total.cpuMilli, pool.total.memoryBytes]).toEqual(c.total);
    expect([pool.taken.cpuMilli, pool.taken.memoryBytes]).toEqual(c.taken);
    expect([pool.free.cpuMilli, pool.free.memoryBytes]).toEqual(c.free);
    expect(pool.fits).toEqual([
      { size: '1x2', count: c.fits[0] },
      { size: '2x4', count: c.fits[1] },
    ]);
  });

  it('lists every size of the table by default, integers only', () => {
    const pool = capacityPool([node('a', '8', '32Gi')], [], NO_OVERHEAD);
    expect(pool.fits[0]).toEqual({ size: '0.25x0.5', count: 32 });
    expect(pool.fits.find((f) => f.size === '16x128')?.count).toBe(0);
    for (const f of pool.fits) expect(Number.isInteger(f.count)).toBe(true);
  });
});
