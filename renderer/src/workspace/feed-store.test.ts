import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '@nodeless/backend/api';
import { createFeedStore } from './feed-store.ts';

interface Row {
  uid: string;
  v: number;
}
const row = (uid: string, v = 0): Row => ({ uid, v });

/** A store whose flushes happen only when the test says so, counting scheduled flushes. */
function setup() {
  let scheduled = 0;
  const feed = createFeedStore<Row>(() => {
    scheduled += 1;
  });
  return { feed, state: () => feed.store.getState(), scheduled: () => scheduled };
}

describe('feed store', () => {
  it('folds a burst into one batch, applying rows as they arrive on first load', () => {
    const { feed, state, scheduled } = setup();
    feed.push({ type: 'reset', total: 3 });
    feed.push({ type: 'rows', rows: [row('a'), row('b')] });
    feed.push({ type: 'rows', rows: [row('c')] });
    expect(scheduled()).toBe(1);
    expect(state().rows.size).toBe(0);
    feed.flush();
    expect([...state().rows.keys()]).toEqual(['a', 'b', 'c']);
    expect(state().version).toBe(1);
    expect(state().loaded).toBe(false);
    expect(state().change.reset).toBe(true);
    feed.push({ type: 'synced' });
    feed.flush();
    expect(state().loaded).toBe(true);
    expect(state().version).toBe(1);
  });

  it('reports each touched uid once with its row before the batch', () => {
    const { feed, state } = setup();
    const a0 = row('a', 0);
    feed.push({ type: 'reset', total: 1 });
    feed.push({ type: 'rows', rows: [a0, row('b')] });
    feed.push({ type: 'synced' });
    feed.flush();
    const rowsMap = state().rows;
    feed.push({ type: 'rows', rows: [row('a', 1)] });
    feed.push({ type: 'rows', rows: [row('a', 2), row('c')] });
    feed.push({ type: 'deleted', uids: ['b', 'nope'] });
    feed.flush();
    const { change, rows } = state();
    expect(rows).toBe(rowsMap); // updated in place, not copied
    expect(change.reset).toBe(false);
    expect([...change.before.entries()]).toEqual([
      ['a', a0],
      ['c', undefined],
      ['b', row('b')],
    ]);
    expect(rows.get('a')?.v).toBe(2);
    expect(rows.has('b')).toBe(false);
  });

  it('keeps the last rows during a resync and swaps on synced', () => {
    const { feed, state } = setup();
    feed.push({ type: 'reset', total: 2 });
    feed.push({ type: 'rows', rows: [row('a'), row('b')] });
    feed.push({ type: 'synced' });
    feed.flush();
    feed.push({ type: 'reset', total: 2 });
    feed.push({ type: 'rows', rows: [row('b', 5)] });
    feed.flush();
    expect([...state().rows.keys()]).toEqual(['a', 'b']);
    expect(state().rows.get('b')?.v).toBe(0);
    feed.push({ type: 'rows', rows: [row('c')] });
    feed.push({ type: 'deleted', uids: ['c'] });
    feed.push({ type: 'synced' });
    feed.flush();
    expect([...state().rows.entries()]).toEqual([['b', row('b', 5)]]);
    expect(state().change.reset).toBe(true);
  });

  it('keeps the connection status and skips batches that change nothing', () => {
    const { feed, state } = setup();
    const stale: ConnectionStatus = { state: 'stale', since: 1 };
    feed.push({ type: 'status', status: stale });
    feed.flush();
    expect(state().status).toBe(stale);
    const before = state();
    feed.push({ type: 'deleted', uids: ['unknown'] });
    feed.flush();
    expect(state()).toBe(before);
  });
});
