/**
 * The workloads feed's source on scripted caches: which rows it lists (bare pods yes, owned
 * pods and CronJob-owned Jobs no), size and sandbox taken from a pod when the template does not
 * say, and the pool-full notice appearing and going away with the pods — only after the
 * decoration delay, and with no re-decoration of workloads whose pods do not wait.
 */
import type {
  CacheChange,
  CacheIndex,
  CacheTimers,
  EventRow,
  NodeRow,
  WatchCache,
  WorkloadRow,
} from '@nodeless/cluster-runtime';
import { GIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import type { CapacityPool, WorkspacePodRow } from '../../clusters/contract.ts';
import { WorkloadsSource, type JobEntry } from './workloads-source.ts';

function fakeCache<R extends { uid: string }>(initial: R[] = []) {
  const rows = new Map(initial.map((r) => [r.uid, r]));
  const listeners = new Set<(c: CacheChange<R>) => void>();
  const cache: WatchCache<R> & { put(r: R): void; drop(uid: string): void } = {
    start: () => undefined,
    stop: () => undefined,
    rows: () => rows,
    synced: true,
    state: 'synced',
    resourceVersion: '1',
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    put(r) {
      rows.set(r.uid, r);
      for (const l of listeners) l({ type: 'upsert', row: r });
    },
    drop(uid) {
      rows.delete(uid);
      for (const l of listeners) l({ type: 'delete', uid });
    },
  };
  return cache;
}

const deployment = (name: string, extra: Partial<WorkloadRow> = {}): WorkloadRow => ({
  uid: `d-${name}`,
  kind: 'Deployment',
  namespace: 'ml',
  name,
  ready: 0,
  desired: 1,
  images: ['img'],
  state: 'progressing',
  status: 'Progressing',
  warning: false,
  paused: false,
  ...extra,
});

const pod = (name: string, extra: Partial<WorkspacePodRow> = {}): WorkspacePodRow => ({
  uid: `p-${name}`,
  name,
  namespace: 'ml',
  labels: {},
  phase: 'Running',
  status: 'Running',
  ready: 1,
  total: 1,
  restarts: 0,
  ...extra,
});

function setup() {
  const timeouts: (() => void)[] = [];
  const timers: CacheTimers = {
    now: () => 0,
    setTimeout: (fn) => timeouts.push(fn),
    clearTimeout: () => undefined,
    random: () => 0,
  };
  const caches = {
    deployments: fakeCache<WorkloadRow>([
      deployment('trainer'),
      deployment('web', { size: '1x2', sandbox: 'kata-clh' }),
    ]),
    statefulsets: fakeCache<WorkloadRow>(),
    cronjobs: fakeCache<WorkloadRow>(),
    jobs: fakeCache<JobEntry>([
      {
        uid: 'j-owned',
        key: 'Job\u0000ml\u0000nightly-1',
        owner: { kind: 'CronJob', name: 'nightly' },
      },
    ]),
    pods: fakeCache<WorkspacePodRow>([
      pod('solo', { images: ['busybox'] }),
      pod('web-1', { owner: { kind: 'Deployment', name: 'web' } }),
    ]),
    nodes: fakeCache<NodeRow>(),
    events: fakeCache<EventRow>(),
  };
  const eventsByObject: CacheIndex<EventRow> = {
    get: () => [],
    uids: () => new Set(),
    close: () => undefined,
  };
  let pools = 0;
  const pool = (): CapacityPool => {
    pools++;
    return {
      total: { cpuMilli: 8000, memoryBytes: 32 * GIB },
      taken: { cpuMilli: 6500, memoryBytes: 8 * GIB },
      free: { cpuMilli: 1500, memoryBytes: 24 * GIB },
      fits: [],
    };
  };
  const source = new WorkloadsSource({ ...caches, eventsByObject, timers, pool });
  const row = (uid: string) => source.feed.rows().get(uid);
  return { caches, source, timeouts, row, pools: () => pools };
}

describe('WorkloadsSource', () => {
  it('lists controllers and bare pods, not owned pods or CronJob-owned Jobs', () => {
    const { source } = setup();
    expect([...source.feed.rows().values()].map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
      'Deployment/trainer',
      'Deployment/web',
      'Pod/solo',
    ]);
    expect(source.feed.rows().get('p-solo')?.images).toEqual(['busybox']);
  });

  it('takes size and sandbox from a pod when the template says nothing', () => {
    const { caches, source, timeouts, row } = setup();
    caches.pods.put(
      pod('trainer-1', {
        owner: { kind: 'Deployment', name: 'trainer' },
        size: '16x64',
        runtimeClass: 'kata-clh',
      }),
    );
    expect(row('d-trainer')?.size).toBeUndefined();
    expect(timeouts).toHaveLength(1);
    source.flush();
    expect(row('d-trainer')).toMatchObject({ size: '16x64', sandbox: 'kata-clh' });
  });

  it('says the pool is full while its pods wait for room, and stops when they run', () => {
    const { caches, source, row, pools } = setup();
    const waiting = pod('trainer-1', {
      owner: { kind: 'Deployment', name: 'trainer' },
      phase: 'Pending',
      status: 'Pending',
      ready: 0,
      size: '2x4',
      unscheduled: {
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 3 Insufficient cpu.',
      },
    });
    caches.pods.put(waiting);
    source.flush();
    expect(row('d-trainer')?.poolFull?.message).toBe(
      '1 pod of 2 vCPU / 4 GiB is waiting: the pool has 1.5 vCPU free',
    );
    expect(row('d-trainer')?.warning).toBe(true);
    expect(row('d-web')?.poolFull).toBeUndefined();
    const asked = pools();
    // A running pod of another workload changes: only the waiting workload is redone.
    caches.pods.put(pod('web-1', { owner: { kind: 'Deployment', name: 'web' }, restarts: 1 }));
    source.flush();
    expect(pools()).toBe(asked + 1);
    // A machine joined: the pod is bound and runs; the notice goes away.
    caches.pods.put({
      ...waiting,
      phase: 'Running',
      status: 'Running',
      node: 'm4',
      unscheduled: undefined,
    });
    source.flush();
    expect(row('d-trainer')?.poolFull).toBeUndefined();
    expect(row('d-trainer')?.warning).toBe(false);
  });
});
