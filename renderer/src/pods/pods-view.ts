/**
 * The Pods table's derived state: a vanilla store that follows one pods feed and one query.
 * A query change rebuilds the visible rows once; a feed batch patches them (see
 * pods-query.ts). The namespaces of the select are counted incrementally from the batch's
 * before/after rows, and their sorted list is rebuilt only when one appears or disappears.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PodRow } from '../api/workspace-api.ts';
import type { FeedChange, FeedState } from '../workspace/feed-store.ts';
import { fullView, updateView, type PodQuery } from './pods-query.ts';

export interface PodsViewState {
  query: PodQuery;
  /** The rows that match, in order. A new array only when it changed. */
  visible: readonly PodRow[];
  /** Every pod of the feed. */
  total: number;
  /** Namespaces that have pods, sorted. */
  namespaces: readonly string[];
}

export interface PodsView {
  store: StoreApi<PodsViewState>;
  setQuery(query: PodQuery): void;
  /** Stops following the feed. */
  dispose(): void;
}

function countAll(rows: ReadonlyMap<string, PodRow>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows.values()) counts.set(r.namespace, (counts.get(r.namespace) ?? 0) + 1);
  return counts;
}

/** Applies a batch to the counts; true when a namespace appeared or vanished. */
function countChange(
  counts: Map<string, number>,
  change: FeedChange<PodRow>,
  rows: ReadonlyMap<string, PodRow>,
): boolean {
  let keysChanged = false;
  const add = (ns: string, d: number): void => {
    const n = (counts.get(ns) ?? 0) + d;
    if (n <= 0) {
      counts.delete(ns);
      keysChanged = true;
    } else {
      if (!counts.has(ns)) keysChanged = true;
      counts.set(ns, n);
    }
  };
  for (const [uid, was] of change.before) {
    const now = rows.get(uid);
    if (was?.namespace === now?.namespace) continue;
    if (was) add(was.namespace, -1);
    if (now) add(now.namespace, 1);
  }
  return keysChanged;
}

const sortedKeys = (counts: Map<string, number>): string[] =>
  [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function createPodsView(feed: StoreApi<FeedState<PodRow>>, query: PodQuery): PodsView {
  const first = feed.getState();
  let counts = countAll(first.rows);
  let seen = first.version;
  const store = createStore<PodsViewState>(() => ({
    query,
    visible: fullView(first.rows.values(), query),
    total: first.rows.size,
    namespaces: sortedKeys(counts),
  }));

  const unsubscribe = feed.subscribe((s) => {
    if (s.version === seen) return;
    seen = s.version;
    const prev = store.getState();
    let namespaces = prev.namespaces;
    if (s.change.reset) {
      counts = countAll(s.rows);
      namespaces = sortedKeys(counts);
    } else if (countChange(counts, s.change, s.rows)) {
      namespaces = sortedKeys(counts);
    }
    const visible = updateView(prev.visible, s.change, s.rows, prev.query);
    if (visible === prev.visible && namespaces === prev.namespaces && s.rows.size === prev.total)
      return;
    store.setState({ visible, namespaces, total: s.rows.size });
  });

  return {
    store,
    setQuery(next) {
      if (next === store.getState().query) return;
      store.setState({ query: next, visible: fullView(feed.getState().rows.values(), next) });
    },
    dispose: unsubscribe,
  };
}
