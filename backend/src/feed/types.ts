/**
 * The generic keyed feed's surface: one mechanism that carries any keyed rows (pods, nodes,
 * events …) from a source — usually a cluster-runtime watch cache — to every subscribed window
 * as the contract's {@link FeedMessage}s. Implementation: {@link ./keyed-feed.ts}.
 *
 * Per subscriber it sends a snapshot in chunks (`reset` with the total, `rows` chunks, `synced`
 * when the source is synced), then changes coalesced by uid (50 updates of one pod while the
 * window is slow become one row), and a fresh snapshot whenever the source resets. A subscriber
 * holds at most one pending entry per distinct uid (a reference to the shared row), so a window
 * that never reads cannot make the backend's memory grow with the number of events.
 *
 * @see ../../../../shared/DESIGN.md §1 (one generic keyed feed)
 * @see ../clusters/contract.ts FeedMessage
 */
import type { CacheChange, WatchCache } from '@nodeless/cluster-runtime';
import type { ConnectionStatus, FeedMessage } from '../clusters/contract.ts';

export interface KeyedFeed<R extends { uid: string }> {
  // source side
  /** Replaces the whole set: every subscriber drops its pending changes and gets a new snapshot. */
  reset(rows: Iterable<R>): void;
  upsert(row: R): void;
  delete(uid: string): void;
  /** Whether the source's set is complete (a list finished); sent as `synced` in snapshots. */
  setSynced(synced: boolean): void;
  /** The connection's status; subscribers get the latest only. */
  status(status: ConnectionStatus): void;
  /** Feeds a watch cache's current rows and then its changes; returns the detach function. */
  attach(cache: WatchCache<R>): () => void;

  // subscriber side
  /** Snapshot, then coalesced changes, until `signal` aborts or the generator is returned. */
  subscribe(
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): AsyncGenerator<FeedMessage<R>, void, undefined>;
  /** The current rows by uid. */
  rows(): ReadonlyMap<string, R>;
  readonly subscriberCount: number;
}

/**
 * What the transport tells the feed. tRPC's SSE response pulls the generator only as the HTTP
 * response drains, so SSE needs nothing here. tRPC's WebSocket adapter pulls eagerly and
 * `ws.send()` buffers without bound: over a WebSocket, pass `writable` (see
 * `socketWritable` in ./backpressure.ts) so a window that stops reading leaves changes coalescing in the feed
 * instead of piling up serialized in the socket's buffer.
 */
export interface SubscribeOptions {
  /** Resolves when the transport can take the next message; awaited before each one. */
  writable?: () => Promise<void>;
}

export interface KeyedFeedOptions {
  /** Rows per `rows` message (snapshot and changes); default 1,000. */
  chunkSize?: number;
}

export type { CacheChange };
