/**
 * The renderer's end of a keyed feed (DESIGN.md §1): FeedMessages of one cluster and kind are
 * queued and folded once per frame into a Map keyed by uid, so a burst of watch deltas costs
 * one render and never a findIndex per event.
 *
 * Memory: the rows are the objects the transport decoded, shared with every view (never
 * copied), and the Map is updated in place; `version` tells subscribers it changed, and
 * `change` says what changed in that batch (the uids touched and their rows before it), so
 * derived views (filtered and sorted arrays) update incrementally instead of rescanning.
 *
 * Snapshots: the first one is applied straight into the map, so the first rows paint while
 * the rest arrive. A later one (after a relist or reconnect) is gathered aside and swapped in
 * on `synced`, so the table keeps the last known rows instead of blinking empty.
 *
 * @see ../../../backend/src/clusters/contract.ts (FeedMessage)
 * @see ../store/cluster-event-store.ts — the same per-frame folding for install events
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionStatus, FeedMessage } from '@nodeless/backend/api';
import { frameScheduler, type Scheduler } from '../store/inventory-store.ts';

/** What one applied batch changed. */
export interface FeedChange<R> {
  /** The map was replaced or cleared: derived views recompute from scratch. */
  reset: boolean;
  /**
   * Every uid upserted or deleted in the batch → its row before the batch (undefined: it was
   * not there). Empty when `reset`.
   */
  before: ReadonlyMap<string, R | undefined>;
}

export interface FeedState<R> {
  /** The rows by uid. The same Map instance is updated in place; read `version` to notice. */
  rows: ReadonlyMap<string, R>;
  /** Bumps once per applied batch that changed anything. */
  version: number;
  /** The first snapshot is complete (`synced`): an empty map now means "no rows". */
  loaded: boolean;
  /** The connection's state as the backend last reported it. */
  status: ConnectionStatus | undefined;
  /** What the latest batch changed (see {@link FeedChange}). */
  change: FeedChange<R>;
  /** Plain words when the subscription itself ended for good. */
  streamError: string | undefined;
}

export interface FeedStore<R extends { uid: string }> {
  store: StoreApi<FeedState<R>>;
  /** Queues a message; the batch is applied on the next scheduled flush. */
  push(message: FeedMessage<R>): void;
  /** Applies queued messages now (also what the scheduler calls). */
  flush(): void;
  setStreamError(reason: string | undefined): void;
}

const NO_CHANGE: FeedChange<never> = { reset: false, before: new Map() };

export function createFeedStore<R extends { uid: string }>(
  schedule: Scheduler = frameScheduler,
): FeedStore<R> {
  const store = createStore<FeedState<R>>(() => ({
    rows: new Map<string, R>(),
    version: 0,
    loaded: false,
    status: undefined,
    change: NO_CHANGE,
    streamError: undefined,
  }));
  let live = store.getState().rows as Map<string, R>;
  /** A later snapshot being gathered; swapped in on `synced`. */
  let pending: Map<string, R> | null = null;
  let queue: FeedMessage<R>[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const prev = store.getState();
    let { loaded, status } = prev;
    let reset = false;
    let touched = false;
    const before = new Map<string, R | undefined>();
    const remember = (uid: string): void => {
      if (!reset && !before.has(uid)) before.set(uid, live.get(uid));
    };

    for (const m of batch) {
      switch (m.type) {
        case 'reset':
          if (loaded) {
            pending = new Map();
          } else {
            live.clear();
            reset = touched = true;
            before.clear();
          }
          break;
        case 'rows':
          if (pending) {
            for (const r of m.rows) pending.set(r.uid, r);
          } else {
            for (const r of m.rows) {
              remember(r.uid);
              live.set(r.uid, r);
            }
            touched ||= m.rows.length > 0;
          }
          break;
        case 'deleted':
          if (pending) {
            for (const uid of m.uids) pending.delete(uid);
          } else {
            for (const uid of m.uids) {
              if (!live.has(uid)) continue;
              remember(uid);
              live.delete(uid);
              touched = true;
            }
          }
          break;
        case 'synced':
          if (pending) {
            live = pending;
            pending = null;
            reset = touched = true;
            before.clear();
          }
          loaded = true;
          break;
        case 'status':
          status = m.status;
          break;
      }
    }

    if (!touched && loaded === prev.loaded && status === prev.status) return;
    store.setState({
      rows: live,
      loaded,
      status,
      ...(touched ? { version: prev.version + 1, change: { reset, before } } : {}),
    });
  };

  return {
    store,
    flush,
    push(message) {
      queue.push(message);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    setStreamError(reason) {
      if (store.getState().streamError !== reason) store.setState({ streamError: reason });
    },
  };
}
