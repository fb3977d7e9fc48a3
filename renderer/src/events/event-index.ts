/**
 * The window's index of a cluster's events by the uid of the object they regard — the
 * renderer's twin of the connection's `eventsByObject`, over the same `events` feed. It is
 * kept per batch from what the batch changed (`change.before`), so the events of one pod or
 * workload are a map lookup, never a scan of every event per row or per render. One index per
 * feed store, shared by every {@link ObjectEvents} mounted on it.
 */
import type { EventRow } from './event-groups.ts';
import type { FeedState, FeedStore } from '../workspace/feed-store.ts';

export interface EventIndex {
  /** The events regarding `uid` (a stable array until they change). */
  get(uid: string): readonly EventRow[];
  /** Called after each batch that changed `uid`'s events (or on a reset, for every uid). */
  subscribe(uid: string, listener: () => void): () => void;
}

const EMPTY: readonly EventRow[] = Object.freeze([]);

export function createEventIndex(feed: Pick<FeedStore<EventRow>, 'store'>): EventIndex {
  const buckets = new Map<string, Map<string, EventRow>>();
  const arrays = new Map<string, readonly EventRow[]>();
  const listeners = new Map<string, Set<() => void>>();
  let version = -1;

  const add = (e: EventRow): string | undefined => {
    const key = e.regarding.uid;
    if (!key) return undefined;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = new Map()));
    b.set(e.uid, e);
    return key;
  };
  const remove = (e: EventRow): string | undefined => {
    const key = e.regarding.uid;
    if (!key) return undefined;
    const b = buckets.get(key);
    b?.delete(e.uid);
    if (b?.size === 0) buckets.delete(key);
    return key;
  };

  const apply = (s: FeedState<EventRow>): void => {
    if (s.version === version) return;
    const incremental = version >= 0 && s.version === version + 1 && !s.change.reset;
    version = s.version;
    let changed: Set<string>;
    if (incremental) {
      changed = new Set();
      for (const [uid, old] of s.change.before) {
        const k1 = old ? remove(old) : undefined;
        const now = s.rows.get(uid);
        const k2 = now ? add(now) : undefined;
        if (k1) changed.add(k1);
        if (k2) changed.add(k2);
      }
    } else {
      // First sight, a reset, or batches this index did not see one by one: rebuild.
      changed = new Set([...buckets.keys(), ...listeners.keys()]);
      buckets.clear();
      for (const e of s.rows.values()) {
        const k = add(e);
        if (k) changed.add(k);
      }
    }
    for (const k of changed) arrays.delete(k);
    for (const k of changed) for (const l of listeners.get(k) ?? []) l();
  };

  apply(feed.store.getState());
  // Lives as long as its feed store (see `eventIndexOf`): no unsubscribe needed.
  feed.store.subscribe(apply);

  return {
    get(uid) {
      let a = arrays.get(uid);
      if (!a) {
        const b = buckets.get(uid);
        a = b ? [...b.values()] : EMPTY;
        arrays.set(uid, a);
      }
      return a;
    },
    subscribe(uid, listener) {
      let set = listeners.get(uid);
      if (!set) listeners.set(uid, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(uid);
      };
    },
  };
}

const indexes = new WeakMap<object, EventIndex>();

/** The one index of a feed store (created on first use). */
export function eventIndexOf(feed: FeedStore<EventRow>): EventIndex {
  let index = indexes.get(feed.store);
  if (!index) indexes.set(feed.store, (index = createEventIndex(feed)));
  return index;
}
