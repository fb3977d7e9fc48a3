/**
 * The watch cache's surface: what a connection (backend/src/clusters) and the keyed feed
 * (backend/src/feed) code against. The implementation is {@link ./watch-cache.ts}.
 *
 * A cache holds one kind's rows (slim projections, no `managedFields`) keyed by uid. It lists in
 * pages, watches from the list's resourceVersion with bookmarks, relists on 410 Gone (one
 * `reset` change with the new full set) and restarts with backoff on any other error.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/client-api.ts';
import type { ResourceRef } from '../kube/discovery.ts';

/** A cache's state: listing, serving (list done, watch open), or waiting to retry. */
export type CacheState = 'syncing' | 'synced' | 'retrying';

/**
 * One change of a cache. `reset` carries the whole new set after a (re)list: consumers replace
 * what they hold (never a burst of deletes and adds). `state` reports syncing/synced/retrying;
 * `error` is the cause of a retry (a KubeApiError with its code, or a network error).
 */
export type CacheChange<R extends { uid: string }> =
  | { type: 'reset'; rows: readonly R[] }
  | { type: 'upsert'; row: R }
  | { type: 'delete'; uid: string }
  | { type: 'state'; state: CacheState; error?: unknown };

/** Timers and clock, injected so units run on fake time. */
export interface CacheTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1): jitter for backoff and liveness. */
  random(): number;
}

export interface WatchCacheOptions<T extends KubernetesObject, R extends { uid: string }> {
  /**
   * The client to use, called at every (re)list and watch (re)start: a connection may hand out
   * another server's client after a failover or new credentials.
   */
  client: () => KubeClient;
  /** apiVersion + kind, e.g. `POD` from the kinds modules. */
  type: ResourceRef;
  /** Omit for cluster-scoped kinds or all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** The row projection (e.g. `podRow`). Rows must be slim: no managedFields, no blobs. */
  project: (object: T) => R;
  /** Objects for which this returns false are not kept (and are removed when they stop matching). */
  keep?: (object: T) => boolean;
  /** LIST page size (`limit`); default 500. */
  pageSize?: number;
  /** First retry delay; doubles per failure up to {@link maxBackoffMs}, with jitter. Default 500. */
  backoffMs?: number;
  /** Default 30,000. */
  maxBackoffMs?: number;
  /**
   * No event and no BOOKMARK within this long (plus up to 20 % jitter) means the stream is dead
   * (client-node 1.4.0's watch has no read timeout): the watch restarts from the last
   * resourceVersion. The API server sends bookmarks about once a minute. Default 300,000.
   */
  livenessMs?: number;
  /**
   * How long a watch may take to answer with its headers before it is restarted (node-fetch
   * waits forever on a server that accepts and never answers). Default 30,000.
   */
  connectTimeoutMs?: number;
  timers?: CacheTimers;
  /** Every error the cache meets (list, watch, 410 included), so the owner can classify it. */
  onError?: (error: unknown) => void;
}

export interface WatchCache<R extends { uid: string }> {
  /** Starts listing and watching (idempotent). */
  start(): void;
  /** Stops the watch and every timer; rows stay readable. A stopped cache can start again. */
  stop(): void;
  /** The current rows by uid (a new map after each reset). Do not mutate. */
  rows(): ReadonlyMap<string, R>;
  /** True once a list completed and the watch since then has not needed a relist. */
  readonly synced: boolean;
  readonly state: CacheState;
  /** The last resourceVersion seen (list, event or bookmark); '' before the first list. */
  readonly resourceVersion: string;
  /** Listens to changes; returns the unsubscribe function. Listeners must not throw. */
  subscribe(listener: (change: CacheChange<R>) => void): () => void;
}

/**
 * A secondary index over a cache: key → uids (e.g. an event's `regarding.uid` → event uids), kept
 * up to date from the cache's changes, so a join costs one lookup, never a scan per row.
 */
export interface CacheIndex<R extends { uid: string }> {
  /** The rows under `key` (empty when none). */
  get(key: string): R[];
  /** The uids under `key`. Do not mutate. */
  uids(key: string): ReadonlySet<string>;
  /** Stops following the cache. */
  close(): void;
}
