/**
 * The watch cache's state machine on a scripted client and manual timers: paged list, watch
 * from the list's resourceVersion, 410 → one reset, other errors → backoff and resume from the
 * last resourceVersion, liveness restart, keep filter, stop. The same behaviour against the real
 * control plane: test/watch-cache.int.test.ts.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FakeClient, flush, gone, ManualTimers, pod } from '../../test/watch-fakes.ts';
import type { CacheChange } from './types.ts';
import { backoffDelay, createWatchCache } from './watch-cache.ts';

interface Row {
  uid: string;
  name: string;
  phase: string;
}
const project = (o: KubernetesObject): Row => {
  const status = (o as { status?: { phase?: string } }).status;
  return { uid: o.metadata?.uid ?? '', name: o.metadata?.name ?? '', phase: status?.phase ?? '' };
};
const POD_REF = { apiVersion: 'v1', kind: 'Pod' };

function setup(extra: { keep?: (o: KubernetesObject) => boolean; livenessMs?: number } = {}) {
  const fake = new FakeClient();
  const timers = new ManualTimers();
  const errors: unknown[] = [];
  let clientCalls = 0;
  const cache = createWatchCache<KubernetesObject, Row>({
    client: () => {
      clientCalls++;
      return fake.client;
    },
    type: POD_REF,
    project,
    pageSize: 2,
    timers,
    onError: (e) => errors.push(e),
    ...extra,
  });
  const changes: CacheChange<Row>[] = [];
  cache.subscribe((c) => changes.push(c));
  return { fake, timers, cache, changes, errors, clientCalls: () => clientCalls };
}

const kinds = (changes: CacheChange<Row>[]) =>
  changes.map((c) => (c.type === 'state' ? `state:${c.state}` : c.type));

describe('createWatchCache', () => {
  it('lists in pages, emits one reset, then watches from the list RV with bookmarks', async () => {
    const { fake, cache, changes } = setup();
    fake.listAnswers.push(
      { items: [pod('a', '5'), pod('b', '5')], resourceVersion: '10', continue: 'c1' },
      { items: [pod('c', '6')], resourceVersion: '10' },
    );
    cache.start();
    await flush();
    expect(fake.lists.map((l) => [l.limit, l.continue])).toEqual([
      [2, undefined],
      [2, 'c1'],
    ]);
    expect(kinds(changes)).toEqual(['state:syncing', 'reset', 'state:synced']);
    const reset = changes[1] as { type: 'reset'; rows: Row[] };
    expect(reset.rows.map((r) => r.uid)).toEqual(['a', 'b', 'c']);
    expect(cache.synced).toBe(true);
    expect(cache.resourceVersion).toBe('10');
    expect(fake.watches).toHaveLength(1);
    expect(fake.watches[0]?.options).toMatchObject({
      resourceVersion: '10',
      allowWatchBookmarks: true,
    });
    cache.stop();
  });

  it('applies ADDED/MODIFIED/DELETED by uid and follows RVs and bookmarks', async () => {
    const { fake, cache, changes } = setup();
    cache.start();
    await flush();
    const w = fake.watch(0);
    w.emit('ADDED', pod('x', '11'));
    w.emit('MODIFIED', pod('x', '12', { status: { phase: 'Running' } }));
    w.emit('ADDED', pod('y', '13'));
    w.emit('DELETED', pod('x', '14'));
    w.emit('BOOKMARK', { metadata: { resourceVersion: '20' } });
    expect([...cache.rows().keys()]).toEqual(['y']);
    expect(cache.resourceVersion).toBe('20');
    expect(kinds(changes).slice(3)).toEqual(['upsert', 'upsert', 'upsert', 'delete']);
    expect(changes[4]).toEqual({
      type: 'upsert',
      row: { uid: 'x', name: 'p-x', phase: 'Running' },
    });
    cache.stop();
  });

  it('relists on a watch ERROR 410 and emits ONE reset with the new set (no deletes)', async () => {
    const { fake, cache, changes } = setup();
    fake.listAnswers.push({ items: [pod('a', '1'), pod('b', '1')], resourceVersion: '5' });
    cache.start();
    await flush();
    fake.listAnswers.push({ items: [pod('b', '9'), pod('c', '9')], resourceVersion: '30' });
    changes.length = 0;
    fake.watch(0).emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired' } as never);
    await flush();
    expect(fake.watch(0).stopped).toBe(true);
    expect(kinds(changes)).toEqual(['state:syncing', 'reset', 'state:synced']);
    expect((changes[1] as { type: 'reset'; rows: Row[] }).rows.map((r) => r.uid)).toEqual([
      'b',
      'c',
    ]);
    expect([...cache.rows().keys()]).toEqual(['b', 'c']);
    expect(fake.watches[1]?.options.resourceVersion).toBe('30');
    cache.stop();
  });

  it('restarts a list whose continue token expired (410 mid-list) from the first page', async () => {
    const { fake, cache, changes } = setup();
    fake.listAnswers.push(
      { items: [pod('old', '1')], resourceVersion: '3', continue: 'c1' },
      gone(),
      { items: [pod('a', '7')], resourceVersion: '8' },
    );
    cache.start();
    await flush();
    expect(fake.lists.map((l) => l.continue)).toEqual([undefined, 'c1', undefined]);
    expect([...cache.rows().keys()]).toEqual(['a']);
    expect(kinds(changes)).toEqual(['state:syncing', 'reset', 'state:synced']);
    cache.stop();
  });

  it('on other errors retries with backoff and resumes the watch from the last RV (no relist)', async () => {
    const { fake, timers, cache, changes, errors, clientCalls } = setup();
    cache.start();
    await flush();
    fake.watch(0).emit('ADDED', pod('a', '42'));
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    fake.watch(0).end(refused);
    await flush();
    expect(cache.state).toBe('retrying');
    expect(changes.at(-1)).toEqual({ type: 'state', state: 'retrying', error: refused });
    expect(errors).toContain(refused);
    expect(timers.pending()).toEqual([500]); // 0.5 s × jitter 1.0 (random 0.5)
    // The next attempt fails too: the delay doubles.
    fake.refuseNextWatch = Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    await timers.advance(500);
    expect(timers.pending()).toEqual([1000]);
    await timers.advance(1000);
    expect(fake.lists).toHaveLength(1);
    expect(fake.watches.map((w) => w.options.resourceVersion)).toEqual(['1', '42', '42']);
    expect(cache.state).toBe('synced');
    expect([...cache.rows().keys()]).toEqual(['a']);
    expect(clientCalls()).toBe(4); // a client asked for per round: a failover takes effect
    cache.stop();
  });

  it('relists when resuming is refused with 410', async () => {
    const { fake, timers, cache } = setup();
    cache.start();
    await flush();
    fake.watch(0).end(new Error('socket hang up'));
    fake.refuseNextWatch = Object.assign(new Error('Gone'), { statusCode: 410 });
    fake.listAnswers.push({ items: [pod('n', '77')], resourceVersion: '77' });
    await timers.advance(500);
    expect(fake.lists).toHaveLength(2);
    expect(fake.watches.at(-1)?.options.resourceVersion).toBe('77');
    expect(cache.rows().has('n')).toBe(true);
    cache.stop();
  });

  it('retries a failed list with doubling backoff capped at 30 s', async () => {
    const { fake, timers, cache } = setup();
    fake.listDefault = new Error('connect ECONNREFUSED');
    cache.start();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      await flush();
      delays.push(timers.next());
      await timers.advance(timers.next());
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    fake.listDefault = { items: [pod('a', '1')], resourceVersion: '2' };
    await timers.advance(30_000);
    expect(cache.synced).toBe(true);
    cache.stop();
  });

  it('restarts a watch that goes quiet past the liveness bound, from the last RV', async () => {
    const { fake, timers, cache, errors } = setup({ livenessMs: 60_000 });
    cache.start();
    await flush();
    fake.watch(0).emit('BOOKMARK', { metadata: { resourceVersion: '9' } });
    await timers.advance(71_000); // 60 s × (1 + 0.2 × 0.5) = 66 s
    expect(fake.watch(0).stopped).toBe(true);
    expect(errors.map((e) => (e as Error).name)).toContain('WatchStalledError');
    await timers.advance(500);
    expect(fake.watches).toHaveLength(2);
    expect(fake.watches[1]?.options.resourceVersion).toBe('9');
    expect(fake.lists).toHaveLength(1);
    cache.stop();
  });

  it('resumes at once when the server closes a long watch; backs off when it closes at once', async () => {
    const { fake, timers, cache } = setup();
    cache.start();
    await flush();
    await timers.advance(5_000);
    fake.watch(0).end();
    await flush();
    expect(fake.watches).toHaveLength(2);
    fake.watch(1).end();
    await flush();
    expect(fake.watches).toHaveLength(2);
    expect(cache.state).toBe('retrying');
    await timers.advance(500);
    expect(fake.watches).toHaveLength(3);
    cache.stop();
  });

  it('keeps only objects `keep` accepts and drops one that stops matching', async () => {
    const running = (o: KubernetesObject) => project(o).phase !== 'Succeeded';
    const { fake, cache } = setup({ keep: running });
    fake.listAnswers.push({
      items: [pod('a', '1'), pod('b', '1', { status: { phase: 'Succeeded' } })],
      resourceVersion: '2',
    });
    cache.start();
    await flush();
    expect([...cache.rows().keys()]).toEqual(['a']);
    fake.watch(0).emit('MODIFIED', pod('a', '3', { status: { phase: 'Succeeded' } }));
    expect(cache.rows().size).toBe(0);
    cache.stop();
  });

  it('retries when the client provider throws (no server usable yet), then serves', async () => {
    const fake = new FakeClient();
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    let usable = false;
    const cache = createWatchCache<KubernetesObject, Row>({
      client: () => {
        if (!usable) throw new Error('no server answered');
        return fake.client;
      },
      type: POD_REF,
      project,
      timers,
      onError: (e) => errors.push(e),
    });
    cache.start();
    await flush();
    expect(cache.state).toBe('retrying');
    expect(errors.map((e) => (e as Error).message)).toEqual(['no server answered']);
    usable = true;
    await timers.advance(timers.next());
    expect(cache.synced).toBe(true);
    cache.stop();
  });

  it('reports and leaves out an object its projection throws on, keeping the rest', async () => {
    const fake = new FakeClient();
    const errors: unknown[] = [];
    const cache = createWatchCache<KubernetesObject, Row>({
      client: () => fake.client,
      type: POD_REF,
      project: (o) => {
        if (o.metadata?.name === 'p-bad') throw new Error('unexpected shape');
        return project(o);
      },
      timers: new ManualTimers(),
      onError: (e) => errors.push(e),
    });
    fake.listAnswers.push({ items: [pod('ok', '1'), pod('bad', '1')], resourceVersion: '2' });
    cache.start();
    await flush();
    expect([...cache.rows().keys()]).toEqual(['ok']);
    fake.watch(0).emit('ADDED', pod('bad', '3'));
    fake.watch(0).emit('ADDED', pod('new', '4'));
    expect([...cache.rows().keys()]).toEqual(['ok', 'new']);
    expect(errors).toHaveLength(2);
    expect(cache.state).toBe('synced');
    cache.stop();
  });

  it('stop ends the watch and every timer; events of the old watch are ignored', async () => {
    const { fake, timers, cache } = setup();
    cache.start();
    await flush();
    const w = fake.watch(0);
    cache.stop();
    expect(w.stopped).toBe(true);
    expect(fake.lists[0]?.signal?.aborted).toBe(false); // that list had finished
    cache.start();
    cache.stop(); // mid-list: the LIST in flight is aborted
    expect(fake.lists[1]?.signal?.aborted).toBe(true);
    w.emit('ADDED', pod('late', '99'));
    expect(cache.rows().has('late')).toBe(false);
    expect(timers.pending()).toEqual([]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, caps, and jitters ±20 %', () => {
    expect(backoffDelay(1, 500, 30_000, 0)).toBe(400);
    expect(backoffDelay(1, 500, 30_000, 0.999999)).toBe(600);
    expect(backoffDelay(3, 500, 30_000, 0.5)).toBe(2000);
    expect(backoffDelay(100, 500, 30_000, 0.5)).toBe(30_000);
  });
});
