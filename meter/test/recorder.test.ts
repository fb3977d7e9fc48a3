import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  chunkFromConfigMap,
  followOwners,
  METER_FINALIZER,
  OwnerIndex,
  ownerEntry,
  RESOURCES,
  type CacheChange,
  type LedgerRecord,
  type OwnerEntry,
  type WatchCache,
} from '@nodeless/cluster-runtime';
import { createLedgerStore } from '../src/ledger-store.ts';
import { createRecorder } from '../src/recorder.ts';
import { createSampleBook } from '../src/samples.ts';
import { fakeClient, fakeTimers, type FakeClient, type FakeTimers } from './fake-client.ts';

const NS = 'nodeless-system';
const HOUR = 3_600_000;
/** 2026-12-02T10:00:00Z */
const T0 = Date.UTC(2026, 11, 2, 10);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

interface PodShape {
  uid: string;
  startMs: number;
  endMs?: number;
  deletedMs?: number;
  running?: boolean;
  finalizer?: boolean;
  phase?: string;
  /** The Job that controls the pod. */
  job?: string;
}

function pod(s: PodShape): V1Pod {
  const running = s.running ?? s.endMs === undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: s.uid,
      namespace: 'team',
      uid: s.uid,
      resourceVersion: String(Math.random()),
      ...(s.job === undefined
        ? {}
        : {
            ownerReferences: [
              {
                apiVersion: 'batch/v1',
                kind: 'Job',
                name: s.job,
                uid: `u-${s.job}`,
                controller: true,
              },
            ],
          }),
      ...(s.finalizer === false ? {} : { finalizers: [METER_FINALIZER] }),
      ...(s.deletedMs === undefined
        ? {}
        : { deletionTimestamp: iso(s.deletedMs) as unknown as Date }),
    },
    spec: {
      containers: [
        { name: 'c', image: 'x', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
      ],
    },
    status: {
      phase:
        s.phase ?? (s.endMs !== undefined && s.deletedMs === undefined ? 'Succeeded' : 'Running'),
      conditions: [
        {
          type: 'PodReadyToStartContainers',
          status: running ? 'True' : 'False',
          lastTransitionTime: iso(s.startMs) as unknown as Date,
        },
      ],
      containerStatuses: [
        {
          name: 'c',
          image: 'x',
          imageID: '',
          ready: running,
          restartCount: 0,
          state: running
            ? { running: { startedAt: iso(s.startMs) as unknown as Date } }
            : {
                terminated: {
                  exitCode: 0,
                  startedAt: iso(s.startMs) as unknown as Date,
                  finishedAt: iso(s.endMs ?? s.startMs) as unknown as Date,
                },
              },
        },
      ],
    },
  };
}

function setup(
  api: FakeClient,
  t: FakeTimers,
  leader = { on: true },
  owners?: OwnerIndex,
  roundMs?: number,
) {
  const log: string[] = [];
  const store = createLedgerStore({
    client: api,
    namespace: NS,
    canWrite: () => leader.on,
    log: () => {},
  });
  const recorder = createRecorder({
    client: api,
    store,
    samples: createSampleBook(),
    timers: t,
    log: (e) => log.push(e),
    isLeader: () => leader.on,
    ...(owners ? { owners } : {}),
    ...(roundMs === undefined ? {} : { roundMs }),
  });
  return { recorder, log };
}

const records = (api: FakeClient): LedgerRecord[] =>
  api
    .all<V1ConfigMap>('ConfigMap')
    .filter((c) => c.metadata?.labels?.['nodeless.dev/ledger'] === 'records')
    .flatMap((c) => chunkFromConfigMap(c).records);

/** The meter's Job cache as the owner index sees it: changes pushed by the test. */
function jobCache(): { cache: WatchCache<OwnerEntry>; emit(c: CacheChange<OwnerEntry>): void } {
  const listeners = new Set<(c: CacheChange<OwnerEntry>) => void>();
  const cache: WatchCache<OwnerEntry> = {
    start: () => {},
    stop: () => {},
    rows: () => new Map(),
    synced: true,
    state: 'synced',
    resourceVersion: '1',
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { cache, emit: (c) => listeners.forEach((l) => l(c)) };
}
const cronJobRun = (n: number): OwnerEntry =>
  ownerEntry('Job', {
    uid: `u-nightly-report-${n}`,
    name: `nightly-report-${n}`,
    namespace: 'team',
    owner: { kind: 'CronJob', name: 'nightly-report' },
  });

/** Puts pods into the fake API and hands the recorder the same view (a relist). */
function seed(api: FakeClient, pods: V1Pod[]) {
  for (const p of pods) api.put(RESOURCES.pods, p);
  return api.all<V1Pod>('Pod').map((p) => ({ uid: p.metadata?.uid ?? '', pod: p }));
}

describe('recorder', () => {
  it('records an ended finalizer-held pod, THEN removes its finalizer', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 20 * 60_000);
    const { recorder } = setup(api, t);
    const rows = seed(api, [pod({ uid: 'job', startMs: T0 + 60_000, endMs: T0 + 70_000 })]);
    recorder.onChange({ type: 'reset', rows });
    await recorder.startLeading();
    await recorder.idle();
    const got = records(api);
    expect(got).toHaveLength(1);
    // From the pod's own timestamps: sandbox up → last finishedAt.
    expect(got[0]).toMatchObject({
      uid: 'job',
      from: (T0 + 60_000) / 1000,
      to: (T0 + 70_000) / 1000,
      final: true,
    });
    expect(got[0]?.usage).toEqual({ state: 'missing' });
    const order = api.calls.filter((c) => !c.includes('nodeless-meter-state'));
    expect(order).toEqual(['create ConfigMap nodeless-ledger-000000000000', 'patch Pod job']);
    const stored = await api.get<V1Pod>(RESOURCES.pods, 'job', 'team');
    expect(stored?.metadata?.finalizers).toBeUndefined();
  });

  it('waits for a deleted pod’s containers to stop, then bills it to their finishedAt', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 10 * 60_000);
    const { recorder } = setup(api, t);
    const deleting = pod({ uid: 'web', startMs: T0, deletedMs: T0 + 10 * 60_000 + 30_000 });
    recorder.onChange({ type: 'reset', rows: seed(api, [deleting]) });
    await recorder.startLeading();
    await recorder.idle();
    expect(records(api)).toEqual([]);
    const stopped = pod({
      uid: 'web',
      startMs: T0,
      endMs: T0 + 10 * 60_000 + 30_000,
      deletedMs: T0 + 10 * 60_000 + 30_000,
      running: false,
    });
    api.put(RESOURCES.pods, stopped);
    const live = await api.get<V1Pod>(RESOURCES.pods, 'web', 'team');
    recorder.onChange({ type: 'upsert', row: { uid: 'web', pod: live as V1Pod } });
    await t.advance(10);
    await recorder.idle();
    expect(records(api).map((r) => [r.from, r.to, r.final])).toEqual([
      [T0 / 1000, T0 / 1000 + 630, true],
    ]);
    expect(
      (await api.get<V1Pod>(RESOURCES.pods, 'web', 'team'))?.metadata?.finalizers,
    ).toBeUndefined();
  });

  it('pods that lived and ended while the meter was down are recorded exactly once across restarts', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 3 * HOUR + 120_000);
    const pods = [
      pod({ uid: 'p1', startMs: T0 + HOUR - 60_000, endMs: T0 + HOUR + 60_000 }), // two hours
      pod({ uid: 'p2', startMs: T0 + 2 * HOUR, endMs: T0 + 2 * HOUR + 5_000 }),
    ];
    const first = setup(api, t);
    first.recorder.onChange({ type: 'reset', rows: seed(api, pods) });
    // The meter dies after appending, before removing the finalizers.
    api.beforeWrite = (verb) => {
      if (verb === 'patch') throw new Error('killed');
    };
    await first.recorder.startLeading();
    await first.recorder.idle();
    first.recorder.stop();
    api.beforeWrite = undefined;
    const second = setup(api, t);
    second.recorder.onChange({
      type: 'reset',
      rows: api.all<V1Pod>('Pod').map((p) => ({ uid: p.metadata?.uid ?? '', pod: p })),
    });
    await second.recorder.startLeading();
    await second.recorder.idle();
    const keys = records(api).map((r) => `${r.uid}/${r.segment}`);
    expect(keys.sort()).toEqual(
      [`p1/${T0 / HOUR}`, `p1/${T0 / HOUR + 1}`, `p2/${T0 / HOUR + 2}`].sort(),
    );
    expect(records(api).reduce((s, r) => s + r.to - r.from, 0)).toBe(120 + 5);
    for (const p of api.all<V1Pod>('Pod')) expect(p.metadata?.finalizers).toBeUndefined();
  });

  it('pods ending within a round window go in one append, each finalizer only after it', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 20 * 60_000);
    const { recorder } = setup(api, t, { on: true }, undefined, 200);
    await recorder.startLeading();
    await recorder.idle();
    // The recorder sees the pod as stored (its resourceVersion: the finalizer patch's precondition).
    const end = async (uid: string) => {
      api.put(RESOURCES.pods, pod({ uid, startMs: T0 + 60_000, endMs: T0 + 70_000 }));
      const live = (await api.get<V1Pod>(RESOURCES.pods, uid, 'team')) as V1Pod;
      recorder.onChange({ type: 'upsert', row: { uid, pod: live } });
    };
    const finalizers = async (uid: string) =>
      (await api.get<V1Pod>(RESOURCES.pods, uid, 'team'))?.metadata?.finalizers;
    // Right after the leading round: this change waits for the window, and the next two join it.
    await end('a');
    await t.advance(100);
    await end('b');
    await t.advance(50);
    await end('c');
    await t.advance(10);
    await recorder.idle();
    expect(records(api)).toEqual([]);
    expect(await finalizers('a')).toEqual([METER_FINALIZER]);
    await t.advance(100);
    await recorder.idle();
    expect(records(api).map((r) => r.uid)).toEqual(['a', 'b', 'c']);
    const writes = api.calls.filter((c) => !c.includes('nodeless-meter-state'));
    expect(writes).toEqual([
      'create ConfigMap nodeless-ledger-000000000000',
      'patch Pod a',
      'patch Pod b',
      'patch Pod c',
    ]);
    for (const uid of ['a', 'b', 'c']) expect(await finalizers(uid)).toBeUndefined();
    // After a quiet spell longer than the window, a change is recorded at once.
    await t.advance(1_000);
    await end('d');
    await t.advance(10);
    await recorder.idle();
    expect(records(api).map((r) => r.uid)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a pod without the finalizer that disappears is recorded once from its last view', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 30 * 60_000);
    const { recorder } = setup(api, t);
    const p = pod({ uid: 'sys', startMs: T0 + 29 * 60_000, finalizer: false });
    await recorder.startLeading();
    recorder.onChange({ type: 'upsert', row: { uid: 'sys', pod: p } });
    await t.advance(30_000);
    recorder.onChange({ type: 'delete', uid: 'sys' });
    await t.advance(10);
    await recorder.idle();
    expect(records(api).map((r) => [r.uid, r.to - r.from, r.final])).toEqual([['sys', 90, true]]);
  });

  it('flushes the complete hours of running pods after each hour closes, with the watermark', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 30 * 60_000);
    const { recorder } = setup(api, t);
    const rows = seed(api, [pod({ uid: 'svc', startMs: T0 + 15 * 60_000 })]);
    recorder.onChange({ type: 'reset', rows });
    await recorder.startLeading();
    await t.advance(HOUR);
    await recorder.idle();
    expect(records(api).map((r) => [r.from, r.to, r.final])).toEqual([
      [(T0 + 15 * 60_000) / 1000, (T0 + HOUR) / 1000, false],
    ]);
    const state = await api.get<V1ConfigMap>(RESOURCES.configMaps, 'nodeless-meter-state', NS);
    expect(state?.data?.['watermark']).toBe(String((T0 + HOUR) / 1000));
    // A restarted meter reads the watermark and writes the next hour only.
    recorder.stop();
    const again = setup(api, t);
    again.recorder.onChange({ type: 'reset', rows });
    await t.advance(HOUR);
    await again.recorder.startLeading();
    await again.recorder.idle();
    expect(records(api).map((r) => r.segment)).toEqual([T0 / HOUR, T0 / HOUR + 1]);
  });

  it('bills a CronJob’s pods to the CronJob, resolved at record time; a Job already gone falls back to the Job', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0 + 20 * 60_000);
    const owners = new OwnerIndex();
    const jobs = jobCache();
    followOwners(jobs.cache, owners);
    const { recorder } = setup(api, t, { on: true }, owners);
    // Run 2 ended during an outage and the CronJob's history limit deleted its Job since: the
    // Job's delete reached the cache before the pod was recorded.
    jobs.emit({ type: 'reset', rows: [cronJobRun(2)] });
    jobs.emit({ type: 'delete', uid: 'u-nightly-report-2' });
    const old = { uid: 'run-2', job: 'nightly-report-2', startMs: T0, endMs: T0 + 10_000 };
    recorder.onChange({ type: 'reset', rows: seed(api, [pod(old)]) });
    // Run 3's pod is seen running before its Job reaches the cache.
    const run = { uid: 'run-3', job: 'nightly-report-3', startMs: T0 + 19 * 60_000 };
    recorder.onChange({ type: 'upsert', row: { uid: 'run-3', pod: pod(run) } });
    await recorder.startLeading();
    jobs.emit({ type: 'upsert', row: cronJobRun(3) });
    const ended = pod({ ...run, endMs: T0 + 19 * 60_000 + 5_000 });
    recorder.onChange({ type: 'upsert', row: { uid: 'run-3', pod: ended } });
    await t.advance(10);
    await recorder.idle();
    expect(records(api).map((r) => [r.uid, r.owner])).toEqual([
      ['run-2', { kind: 'Job', name: 'nightly-report-2' }],
      ['run-3', { kind: 'CronJob', name: 'nightly-report' }],
    ]);
  });

  it('writes nothing while another replica leads', async () => {
    const api = fakeClient();
    const t = fakeTimers(T0);
    const leader = { on: false };
    const { recorder } = setup(api, t, leader);
    recorder.onChange({
      type: 'reset',
      rows: seed(api, [pod({ uid: 'j', startMs: T0 - 5000, endMs: T0 - 1000 })]),
    });
    await recorder.process();
    await t.advance(2 * HOUR);
    expect(api.calls).toEqual([]);
  });
});
