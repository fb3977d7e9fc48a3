/**
 * The keyed feed per subscriber: chunked snapshot, coalescing by uid while the subscriber does
 * not pull, a source reset dropping what was pending, latest status only, a resync when churn
 * outgrows the set, and a watch cache attached. Memory under a window that never reads, through
 * real SSE: test/feed-memory.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { CacheChange, WatchCache } from '@nodeless/cluster-runtime';
import type { ConnectionStatus, FeedMessage } from '../clusters/contract.ts';
import { createKeyedFeed } from './keyed-feed.ts';

interface Row {
  uid: string;
  v: number;
}
const row = (uid: string, v = 0): Row => ({ uid, v });

/** A subscriber that pulls one message at a time (no timers involved). */
function subscriber(feed: ReturnType<typeof createKeyedFeed<Row>>) {
  const ac = new AbortController();
  const it = feed.subscribe(ac.signal);
  return {
    ac,
    it,
    async pull(n: number): Promise<FeedMessage<Row>[]> {
      const out: FeedMessage<Row>[] = [];
      for (let i = 0; i < n; i++) {
        const r = await it.next();
        if (r.done) break;
        out.push(r.value);
      }
      return out;
    },
  };
}

describe('createKeyedFeed', () => {
  it('sends a snapshot in chunks: reset with the total, rows, then synced', async () => {
    const feed = createKeyedFeed<Row>({ chunkSize: 2 });
    feed.reset([row('a'), row('b'), row('c')]);
    feed.setSynced(true);
    const s = subscriber(feed);
    expect(await s.pull(4)).toEqual([
      { type: 'reset', total: 3 },
      { type: 'rows', rows: [row('a'), row('b')] },
      { type: 'rows', rows: [row('c')] },
      { type: 'synced' },
    ]);
    s.ac.abort();
  });

  it('coalesces 50 updates of one uid into one row while the subscriber does not pull', async () => {
    const feed = createKeyedFeed<Row>();
    feed.reset([row('a'), row('b')]);
    feed.setSynced(true);
    const s = subscriber(feed);
    await s.pull(3); // reset, rows, synced
    for (let v = 1; v <= 50; v++) feed.upsert(row('a', v));
    feed.upsert(row('b', 7));
    expect(await s.pull(1)).toEqual([{ type: 'rows', rows: [row('a', 50), row('b', 7)] }]);
    s.ac.abort();
  });

  it('a delete replaces a pending upsert and an upsert replaces a pending delete', async () => {
    const feed = createKeyedFeed<Row>();
    feed.reset([row('a'), row('b')]);
    const s = subscriber(feed);
    await s.pull(2);
    feed.upsert(row('a', 1));
    feed.delete('a');
    feed.delete('b');
    feed.upsert(row('b', 2)); // the same uid back (a keep filter matching again)
    feed.delete('nope'); // never held: nothing to send
    expect(await s.pull(2)).toEqual([
      { type: 'deleted', uids: ['a'] },
      { type: 'rows', rows: [row('b', 2)] },
    ]);
    s.ac.abort();
  });

  it('a source reset drops what was pending and starts a new snapshot', async () => {
    const feed = createKeyedFeed<Row>();
    feed.reset([row('a')]);
    feed.setSynced(true);
    const s = subscriber(feed);
    await s.pull(3);
    feed.upsert(row('a', 1));
    feed.setSynced(false);
    feed.reset([row('x'), row('y')]);
    feed.setSynced(true);
    expect(await s.pull(3)).toEqual([
      { type: 'reset', total: 2 },
      { type: 'rows', rows: [row('x'), row('y')] },
      { type: 'synced' },
    ]);
    s.ac.abort();
  });

  it('passes the latest status only, before rows', async () => {
    const feed = createKeyedFeed<Row>();
    const live: ConnectionStatus = { state: 'live', since: 1 };
    feed.status({ state: 'connecting', since: 0 });
    const s = subscriber(feed);
    expect(await s.pull(2)).toEqual([
      { type: 'status', status: { state: 'connecting', since: 0 } },
      { type: 'reset', total: 0 },
    ]);
    feed.status({ state: 'stale', since: 0.5 });
    feed.status(live);
    feed.upsert(row('a'));
    expect(await s.pull(2)).toEqual([
      { type: 'status', status: live },
      { type: 'rows', rows: [row('a')] },
    ]);
    s.ac.abort();
  });

  it('resyncs a subscriber whose pending deletes outgrow the set (churn of distinct uids)', async () => {
    const feed = createKeyedFeed<Row>({ chunkSize: 10 });
    feed.reset([row('keep')]);
    const s = subscriber(feed);
    await s.pull(2);
    for (let i = 0; i < 1000; i++) {
      feed.upsert(row(`churn-${i}`));
      feed.delete(`churn-${i}`);
    }
    const [first] = await s.pull(1);
    expect(first?.type).toBe('reset');
    expect(await s.pull(1)).toEqual([{ type: 'rows', rows: [row('keep')] }]);
    s.ac.abort();
  });

  it('ends when the signal aborts, even while waiting, and forgets the subscriber', async () => {
    const feed = createKeyedFeed<Row>();
    const s = subscriber(feed);
    await s.pull(1);
    const waiting = s.it.next();
    expect(feed.subscriberCount).toBe(1);
    s.ac.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(feed.subscriberCount).toBe(0);
  });

  it('attach() feeds a watch cache: its rows, then its changes; a relist becomes a new snapshot', async () => {
    let listener: ((c: CacheChange<Row>) => void) | undefined;
    let synced = true;
    const cache = {
      rows: () => new Map([['a', row('a')]]),
      get synced() {
        return synced;
      },
      subscribe: (l: (c: CacheChange<Row>) => void) => {
        listener = l;
        return () => (listener = undefined);
      },
    } as unknown as WatchCache<Row>;
    const feed = createKeyedFeed<Row>();
    const detach = feed.attach(cache);
    const s = subscriber(feed);
    expect(await s.pull(3)).toEqual([
      { type: 'reset', total: 1 },
      { type: 'rows', rows: [row('a')] },
      { type: 'synced' },
    ]);
    listener?.({ type: 'upsert', row: row('b') });
    listener?.({ type: 'delete', uid: 'a' });
    expect(await s.pull(2)).toEqual([
      { type: 'deleted', uids: ['a'] },
      { type: 'rows', rows: [row('b')] },
    ]);
    synced = false;
    listener?.({ type: 'state', state: 'syncing' });
    listener?.({ type: 'reset', rows: [row('c')] });
    synced = true;
    listener?.({ type: 'state', state: 'synced' });
    expect(await s.pull(3)).toEqual([
      { type: 'reset', total: 1 },
      { type: 'rows', rows: [row('c')] },
      { type: 'synced' },
    ]);
    detach();
    expect(listener).toBeUndefined();
    s.ac.abort();
  });
});
