import { describe, expect, it } from 'vitest';
import type { PodRow } from '../api/workspace-api.ts';
import { createFeedStore } from '../workspace/feed-store.ts';
import { DEFAULT_QUERY } from './pods-query.ts';
import { createPodsView } from './pods-view.ts';

const pod = (name: string, namespace: string, restarts = 0): PodRow => ({
  uid: `${namespace}/${name}`,
  name,
  namespace,
  labels: {},
  phase: 'Running',
  status: 'Running',
  ready: 1,
  total: 1,
  restarts,
});

describe('pods view', () => {
  it('follows the feed: visible rows, total and namespaces, once per batch', () => {
    const feed = createFeedStore<PodRow>(() => undefined);
    const view = createPodsView(feed.store, { ...DEFAULT_QUERY, namespace: 'a' });
    let updates = 0;
    view.store.subscribe(() => (updates += 1));
    feed.push({ type: 'reset', total: 3 });
    // Fillers, so that one touched row is patched in place rather than rebuilt.
    const fillers = Array.from({ length: 10 }, (_, i) => pod(`f${i}`, 'f'));
    feed.push({ type: 'rows', rows: [pod('x', 'a'), pod('y', 'b'), pod('z', 'a'), ...fillers] });
    feed.push({ type: 'synced' });
    feed.flush();
    expect(updates).toBe(1);
    const s = view.store.getState();
    expect(s.visible.map((r) => r.name)).toEqual(['x', 'z']);
    expect(s.total).toBe(13);
    expect(s.namespaces).toEqual(['a', 'b', 'f']);

    // A change to a hidden row touches nothing the table shows but the total stays right.
    feed.push({ type: 'rows', rows: [pod('y', 'b', 2)] });
    feed.flush();
    expect(view.store.getState()).toBe(s);

    feed.push({ type: 'deleted', uids: ['b/y'] });
    feed.push({ type: 'rows', rows: [pod('w', 'c')] });
    feed.flush();
    expect(view.store.getState().namespaces).toEqual(['a', 'c', 'f']);
    expect(view.store.getState().total).toBe(13);

    view.setQuery({ ...DEFAULT_QUERY, text: 'w', descending: true });
    expect(view.store.getState().visible.map((r) => r.name)).toEqual(['w']);
    view.setQuery({ ...DEFAULT_QUERY, namespace: 'a', descending: true });
    expect(view.store.getState().visible.map((r) => r.name)).toEqual(['z', 'x']);

    view.dispose();
    feed.push({ type: 'deleted', uids: ['a/x'] });
    feed.flush();
    expect(view.store.getState().total).toBe(13);
  });
});
