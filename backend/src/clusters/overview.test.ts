/**
 * The Overview: counts, pool and warnings from the caches' rows; pushed at most twice a second
 * however fast the rows change, and shared by the subscribers of one connection.
 */
import type { CacheTimers, EventRow, NodeRow, RuntimeClassRow } from '@nodeless/cluster-runtime';
import { GIB, MIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import type { Connection } from './connection.ts';
import type { Overview, WorkspacePodRow } from './contract.ts';
import { computeOverview, overviewStream } from './overview.ts';

const node = (name: string, ready = true): NodeRow => ({
  uid: name,
  name,
  status: ready ? 'Ready' : 'NotReady',
  ready,
  unschedulable: false,
  roles: [],
  labels: {},
  kubeletVersion: 'v1.36.3',
  kernelVersion: '',
  capacity: {},
  allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  runtimeHandlers: [],
});
const pod = (name: string, phase: string, nodeName?: string): WorkspacePodRow => ({
  uid: name,
  name,
  namespace: 'shop',
  labels: {},
  phase,
  status: phase,
  ready: 0,
  total: 1,
  restarts: 0,
  ...(nodeName ? { node: nodeName } : {}),
  runtimeClass: 'kata-clh',
  request: { cpuMilli: 1250, memoryBytes: 2 * GIB + 130 * MIB },
});
const kata: RuntimeClassRow = {
  uid: 'rc',
  name: 'kata-clh',
  handler: 'kata-clh',
  overhead: { cpu: '250m', memory: '130Mi' },
  nodeSelector: {},
};

function fakeConnection(
  pods: WorkspacePodRow[],
  nodes: NodeRow[],
  metrics = false,
  events: EventRow[] = [],
) {
  const listeners = new Set<() => void>();
  const map = <R extends { uid: string }>(rows: R[]) => new Map(rows.map((r) => [r.uid, r]));
  const c = {
    eventsByObject: { get: (uid: string) => events.filter((e) => e.regarding.uid === uid) },
    podRows: map(pods),
    pods: { rows: () => c.podRows },
    nodes: { rows: () => map(nodes) },
    runtimeClasses: { rows: () => map([kata]) },
    status: { state: 'live', since: 0 },
    metricsAvailable: metrics,
    onChange: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    change: () => listeners.forEach((l) => l()),
    listeners,
  };
  return c;
}

describe('computeOverview', () => {
  it('counts pods and machines, pools with the sandbox overhead, warns', () => {
    const c = fakeConnection(
      [
        pod('a', 'Running', 'n1'),
        pod('b', 'Pending'),
        pod('c', 'Failed', 'n1'),
        pod('d', 'Succeeded', 'n2'),
      ],
      [node('n1'), node('n2'), node('n3', false)],
    );
    const o = computeOverview(c as unknown as Connection);
    expect(o.machines).toEqual({ total: 3, ready: 2 });
    expect(o.pods).toEqual({ total: 4, running: 1, pending: 1, failed: 1, succeeded: 1 });
    expect(o.pool.total).toEqual({ cpuMilli: 8000, memoryBytes: 16 * GIB });
    expect(o.pool.taken).toEqual({ cpuMilli: 1250, memoryBytes: 2 * GIB + 130 * MIB });
    // n1: 2750m free → 2 × (1000 + 250); n2: 4000m → 3.
    expect(o.pool.fits.find((f) => f.size === '1x2')?.count).toBe(5);
    expect(o.metricsAvailable).toBe(false);
    expect(o.warnings.map((w) => [w.kind, w.count])).toEqual([
      ['pending-pods', 1],
      ['failed-pods', 1],
      ['machines-not-ready', 1],
      ['metrics-missing', undefined],
    ]);
  });

  it('says in one sentence that pods wait for room, from the condition or the events', () => {
    const waitingPod = (name: string, message?: string): WorkspacePodRow => ({
      ...pod(name, 'Pending'),
      size: '2x4',
      ...(message ? { unscheduled: { reason: 'Unschedulable', message } } : {}),
    });
    const failedScheduling: EventRow = {
      uid: 'e1',
      name: 'e1',
      namespace: 'shop',
      type: 'Warning',
      reason: 'FailedScheduling',
      message: '0/2 nodes are available: 2 Insufficient cpu.',
      regarding: { kind: 'Pod', name: 'w3', uid: 'w3' },
      count: 1,
      source: 'default-scheduler',
    };
    const busy = { ...pod('big', 'Running', 'n1'), request: { cpuMilli: 3500, memoryBytes: GIB } };
    const c = fakeConnection(
      [
        waitingPod('w1', '0/2 nodes are available: 2 Insufficient cpu.'),
        waitingPod('w2', '0/2 nodes are available: 2 Insufficient cpu.'),
        waitingPod('w3'),
        waitingPod('tainted', '0/2 nodes are available: 2 node(s) had untolerated taint.'),
        busy,
      ],
      [node('n1'), node('n2')],
      true,
      [failedScheduling],
    );
    const o = computeOverview(c as unknown as Connection);
    // n1: 4000 − 3500 = 500m free, n2: 4000m: 4.5 vCPU free.
    expect(o.warnings.map((w) => [w.kind, w.count, w.message])).toEqual([
      ['pool-full', 3, '3 pods of 2 vCPU / 4 GiB are waiting: the pool has 4.5 vCPU free.'],
      ['pending-pods', 1, '1 pod is Pending: not placed on a machine or not started yet.'],
    ]);
    expect(o.warnings[0]?.poolFull).toMatchObject({
      pods: 3,
      sizes: [{ size: '2x4', count: 3 }],
      short: ['cpu'],
      free: { cpuMilli: 4500 },
    });
  });

  it('says nothing is wrong when nothing is', () => {
    const c = fakeConnection([pod('a', 'Running', 'n1')], [node('n1')], true);
    expect(computeOverview(c as unknown as Connection).warnings).toEqual([]);
  });
});

describe('overviewStream', () => {
  it('pushes at most every 500 ms however fast rows change, one computation for all', async () => {
    let time = 0;
    const timeouts: { at: number; fn: () => void }[] = [];
    const timers: CacheTimers = {
      now: () => time,
      setTimeout: (fn, ms) => timeouts.push({ at: time + ms, fn }),
      clearTimeout: () => undefined,
      random: () => 0,
    };
    const c = fakeConnection([], [node('n1')]);
    const abort = new AbortController();
    const a = overviewStream(c as unknown as Connection, timers, abort.signal);
    const b = overviewStream(c as unknown as Connection, timers, abort.signal);
    const first = (await a.next()).value as Overview;
    expect(first.pods.total).toBe(0);
    expect((await b.next()).value).toBe(first);
    const nextA = a.next();
    const nextB = b.next();
    // 100 changes within 100 ms.
    for (let i = 0; i < 100; i++) {
      c.podRows.set(`p${i}`, pod(`p${i}`, 'Running', 'n1'));
      c.change();
      time += 1;
    }
    await new Promise((r) => setImmediate(r));
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]?.at).toBe(500);
    time = 500;
    timeouts.shift()?.fn();
    const [ra, rb] = await Promise.all([nextA, nextB]);
    expect((ra.value as Overview).pods.total).toBe(100);
    expect(rb.value).toBe(ra.value); // shared, not computed twice
    abort.abort();
    await a.return();
    await b.return();
    expect(c.listeners.size).toBe(0);
  });
});
