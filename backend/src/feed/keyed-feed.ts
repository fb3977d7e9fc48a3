/**
 * The generic keyed feed (see ./types.ts for the contract). State per subscriber is what is
 * still to send, never a queue of events:
 * - `snapshot`: a fresh snapshot is due (new subscriber, or the source reset, or it fell too far
 *   behind); it is taken when the subscriber pulls, so a window that does not read holds nothing;
 * - `snap`: the rows of the snapshot being sent (references to the feed's rows), chunk by chunk;
 * - `rows`/`deleted`: pending changes coalesced by uid (the latest row wins; a delete replaces a
 *   pending upsert), so memory is bounded by distinct uids, not by the number of updates;
 * - `status`: the latest connection status not yet sent.
 * Messages are built when the subscriber pulls: tRPC's SSE response pulls the generator only
 * as the HTTP response drains (node-http adapter awaits `drain`), so a stalled window stalls
 * its own generator and nothing else. test/feed-memory.int.test.ts measures that.
 *
 * Reconnects: an SSE client that reconnects subscribes anew and gets a full snapshot; the feed
 * keeps no history to replay from an event id (a history would grow with events). tRPC's
 * `tracked()` ids are not used for that reason.
 *
 * @see ../../../../shared/DESIGN.md §1 (one generic keyed feed)
 * @see https://trpc.io/docs/server/subscriptions#sse
 */
import type { WatchCache } from '@nodeless/cluster-runtime';
import type { ConnectionStatus, FeedMessage } from '../clusters/contract.ts';
import type { KeyedFeed, KeyedFeedOptions } from './types.ts';
import { Wakeup } from './wakeup.ts';

interface Subscriber<R> {
  snapshot: boolean;
  snap: R[] | undefined;
  snapAt: number;
  syncedSent: boolean;
  rows: Map<string, R>;
  deleted: Set<string>;
  status: ConnectionStatus | undefined;
  wakeup: Wakeup;
}

export function createKeyedFeed<R extends { uid: string }>(
  options: KeyedFeedOptions = {},
): KeyedFeed<R> {
  const chunkSize = Math.max(1, options.chunkSize ?? 1000);
  let rows = new Map<string, R>();
  let synced = false;
  let status: ConnectionStatus | undefined;
  const subscribers = new Set<Subscriber<R>>();

  const resnapshot = (sub: Subscriber<R>): void => {
    sub.snapshot = true;
    sub.snap = undefined;
    sub.rows.clear();
    sub.deleted.clear();
    sub.wakeup.wake();
  };

  /** The next message for `sub`, or undefined when there is nothing to send. */
  function next(sub: Subscriber<R>): FeedMessage<R> | undefined {
    if (sub.status) {
      const s = sub.status;
      sub.status = undefined;
      return { type: 'status', status: s };
    }
    if (sub.snapshot) {
      sub.snapshot = false;
      sub.snap = [...rows.values()];
      sub.snapAt = 0;
      sub.syncedSent = false;
      return { type: 'reset', total: sub.snap.length };
    }
    if (sub.snap) {
      const chunk = sub.snap.slice(sub.snapAt, sub.snapAt + chunkSize);
      sub.snapAt += chunk.length;
      if (sub.snapAt >= sub.snap.length) sub.snap = undefined;
      if (chunk.length > 0) return { type: 'rows', rows: chunk };
    }
    if (synced && !sub.syncedSent) {
      sub.syncedSent = true;
      return { type: 'synced' };
    }
    if (sub.deleted.size > 0) return { type: 'deleted', uids: take(sub.deleted, chunkSize) };
    if (sub.rows.size > 0) {
      const chunk: R[] = [];
      for (const [uid, row] of sub.rows) {
        if (chunk.length >= chunkSize) break;
        chunk.push(row);
        sub.rows.delete(uid);
      }
      return { type: 'rows', rows: chunk };
    }
    return undefined;
  }

  const feed: KeyedFeed<R> = {
    reset(next) {
      rows = new Map();
      for (const row of next) rows.set(row.uid, row);
      for (const sub of subscribers) resnapshot(sub);
    },
    upsert(row) {
      rows.set(row.uid, row);
      for (const sub of subscribers) {
        if (sub.snapshot) continue; // the snapshot, taken later, has it
        sub.deleted.delete(row.uid);
        sub.rows.set(row.uid, row);
        sub.wakeup.wake();
      }
    },
    delete(uid) {
      if (!rows.delete(uid)) return;
      // A pending delete per uid the window may hold: with churn (pods created and deleted)
      // that grows with distinct uids, so past the size of the set a new snapshot is cheaper.
      const limit = Math.max(chunkSize, rows.size);
      for (const sub of subscribers) {
        if (sub.snapshot) continue;
        sub.rows.delete(uid);
        sub.deleted.add(uid);
        if (sub.deleted.size > limit) resnapshot(sub);
        else sub.wakeup.wake();
      }
    },
    setSynced(value) {
      if (synced === value) return;
      synced = value;
      if (value) for (const sub of subscribers) sub.wakeup.wake();
    },
    status(s) {
      status = s;
      for (const sub of subscribers) {
        sub.status = s;
        sub.wakeup.wake();
      }
    },
    attach(cache: WatchCache<R>) {
      feed.reset(cache.rows().values());
      feed.setSynced(cache.synced);
      return cache.subscribe((change) => {
        if (change.type === 'reset') feed.reset(change.rows);
        else if (change.type === 'upsert') feed.upsert(change.row);
        else if (change.type === 'delete') feed.delete(change.uid);
        // 'state': a relist sets synced false until its reset; a retry keeps the last set.
        else feed.setSynced(cache.synced);
      });
    },
    async *subscribe(signal, o = {}) {
      if (signal.aborted) return;
      const sub: Subscriber<R> = {
        snapshot: true,
        snap: undefined,
        snapAt: 0,
        syncedSent: false,
        rows: new Map(),
        deleted: new Set(),
        status,
        wakeup: new Wakeup(),
      };
      subscribers.add(sub);
      try {
        while (!signal.aborted) {
          // Waiting here, before the message is built, is what lets changes coalesce.
          if (o.writable) await o.writable();
          if (signal.aborted) break;
          const message = next(sub);
          if (message) yield message;
          else await sub.wakeup.wait(signal);
        }
      } finally {
        subscribers.delete(sub);
      }
    },
    rows: () => rows,
    get subscriberCount() {
      return subscribers.size;
    },
  };
  return feed;
}

/** Removes and returns up to `n` values of `set`, in insertion order. */
function take(set: Set<string>, n: number): string[] {
  const out: string[] = [];
  for (const value of set) {
    if (out.length >= n) break;
    out.push(value);
    set.delete(value);
  }
  return out;
}
