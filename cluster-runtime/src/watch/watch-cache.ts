/**
 * A watch cache (the informer pattern, without client-node's informer): LIST in pages
 * (`limit`/`continue`), then WATCH from the list's resourceVersion with bookmarks, keeping one
 * slim row per object keyed by uid.
 *
 * Why not client-node's `makeInformer`: its ListWatch stops for good on any error other than
 * 410 (a server restart, a dropped connection, a 401 while credentials rotate), lists in one
 * unpaged request and keeps whole objects (managedFields included). Here:
 * - 410 Gone (watch ERROR event, refused watch, or an expired `continue` mid-list) → relist,
 *   then ONE `reset` change with the full new set;
 * - any other error → `retrying`, backoff (0.5 s doubling to 30 s, ±20 % jitter), then resume
 *   the watch from the last resourceVersion; relist only when that is gone or no list completed;
 * - a watch that ends cleanly (the server's request timeout) resumes at once;
 * - a watch with no event and no BOOKMARK for `livenessMs` (+ up to 20 %) is restarted: client-node
 *   1.4.0's watch has no read timeout, and the API server sends a bookmark about once a minute.
 * The client is asked for at every round (`options.client()`), so the owner can fail over.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see https://github.com/kubernetes-client/javascript/blob/release-1.x/src/cache.ts (what we do not inherit)
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchEventType } from '../kube/client-api.ts';
import { isGone, watchStatusError, WatchStalledError } from './errors.ts';
import type {
  CacheChange,
  CacheState,
  CacheTimers,
  WatchCache,
  WatchCacheOptions,
} from './types.ts';

export const systemTimers: CacheTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

/** A LIST whose continue token expired is restarted this many times before it counts as failed. */
const LIST_RESTARTS = 3;
/** A watch that ends cleanly sooner than this without an event counts as a failure (no hot loop). */
const MIN_WATCH_MS = 1000;

/** Backoff before retry `n` (1-based): base × 2^(n−1), capped, ±20 % jitter. */
export function backoffDelay(n: number, baseMs: number, maxMs: number, random: number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, n - 1)));
  return Math.round(raw * (0.8 + 0.4 * random));
}

export function createWatchCache<T extends KubernetesObject, R extends { uid: string }>(
  options: WatchCacheOptions<T, R>,
): WatchCache<R> {
  const timers = options.timers ?? systemTimers;
  const pageSize = options.pageSize ?? 500;
  const baseMs = options.backoffMs ?? 500;
  const maxMs = options.maxBackoffMs ?? 30_000;
  const livenessMs = options.livenessMs ?? 300_000;
  const connectMs = Math.min(options.connectTimeoutMs ?? 30_000, livenessMs);
  const { type, namespace, labelSelector, fieldSelector } = options;
  const selectors = {
    ...(namespace === undefined ? {} : { namespace }),
    ...(labelSelector === undefined ? {} : { labelSelector }),
    ...(fieldSelector === undefined ? {} : { fieldSelector }),
  };
  const listeners = new Set<(change: CacheChange<R>) => void>();

  let rows = new Map<string, R>();
  let resourceVersion = '';
  let synced = false;
  let state: CacheState = 'syncing';
  let running = false;
  /** Bumped by stop() and at the end of every watch: callbacks of older rounds are ignored. */
  let generation = 0;
  let failures = 0;
  let retryTimer: unknown;
  let livenessTimer: unknown;
  let stopWatch: (() => void) | undefined;
  /** Aborts the LIST in flight when the cache stops. */
  let listing: AbortController | undefined;

  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // The owner's classifier must not break the cache.
    }
  };
  const emit = (change: CacheChange<R>): void => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        report(error);
      }
    }
  };
  /** Emits on a change, on every retry (with its error) and at every (re)list. */
  const setState = (next: CacheState, error?: unknown): void => {
    if (next === state && next === 'synced') return;
    state = next;
    emit(error === undefined ? { type: 'state', state } : { type: 'state', state, error });
  };
  const clearLiveness = (): void => {
    if (livenessTimer !== undefined) timers.clearTimeout(livenessTimer);
    livenessTimer = undefined;
  };
  const armLiveness = (gen: number, ms: number): void => {
    clearLiveness();
    livenessTimer = timers.setTimeout(() => {
      livenessTimer = undefined;
      end(gen, new WatchStalledError(`no watch event or bookmark for ${Math.round(ms / 1000)} s`));
    }, ms);
  };
  const livenessDelay = (): number => Math.round(livenessMs * (1 + 0.2 * timers.random()));

  async function relist(gen: number): Promise<void> {
    synced = false;
    setState('syncing');
    const next = new Map<string, R>();
    let listRv = '';
    let cont: string | undefined;
    let restarts = 0;
    const abort = new AbortController();
    listing = abort;
    try {
      // Inside the try: a provider with no usable server throws, and that is a retry too.
      const client = options.client();
      for (;;) {
        let page;
        try {
          page = await client.list<T>(type, {
            ...selectors,
            limit: pageSize,
            continue: cont,
            signal: abort.signal,
          });
        } catch (error) {
          // The continue token expired mid-list (410): the pages so far are from an older
          // snapshot; start over rather than mix two.
          if (cont === undefined || !isGone(error) || restarts >= LIST_RESTARTS) throw error;
          report(error);
          restarts++;
          next.clear();
          cont = undefined;
          continue;
        }
        if (gen !== generation) return;
        for (const object of page.items) {
          const row = rowOf(object);
          if (row) next.set(row.uid, row);
        }
        listRv = page.resourceVersion;
        cont = page.continue;
        if (cont === undefined) break;
      }
    } catch (error) {
      if (gen !== generation) return;
      report(error);
      retry(gen, error);
      return;
    } finally {
      if (listing === abort) listing = undefined;
    }
    if (gen !== generation) return;
    rows = next;
    resourceVersion = listRv;
    synced = true;
    failures = 0;
    emit({ type: 'reset', rows: [...next.values()] });
    setState('synced');
    watch(gen);
  }

  /**
   * The object's row, or undefined when `keep` refuses it — or when `keep` or `project` throws
   * on an object nobody foresaw: reported and left out, never a failed list (which would retry
   * forever) nor an exception in client-node's line handler (which swallows it with the event).
   */
  function rowOf(object: T): R | undefined {
    try {
      return options.keep && !options.keep(object) ? undefined : options.project(object);
    } catch (error) {
      report(error);
      return undefined;
    }
  }

  function apply(kind: WatchEventType, object: T): void {
    const uid = object.metadata?.uid;
    if (!uid) return;
    const row = kind === 'DELETED' ? undefined : rowOf(object);
    if (!row) {
      if (rows.delete(uid)) emit({ type: 'delete', uid });
      return;
    }
    rows.set(row.uid, row);
    emit({ type: 'upsert', row });
  }

  function watch(gen: number): void {
    const startedAt = timers.now();
    let events = 0;
    armLiveness(gen, connectMs);
    const onEvent = (kind: WatchEventType, object: T): void => {
      if (gen !== generation) return;
      if (kind === 'ERROR') return end(gen, watchStatusError(object));
      events++;
      failures = 0;
      armLiveness(gen, livenessDelay());
      if (kind !== 'BOOKMARK') apply(kind, object);
      const rv = object.metadata?.resourceVersion;
      if (rv) resourceVersion = rv;
    };
    const onEnd = (error?: unknown): void => {
      if (gen !== generation) return;
      if (error !== undefined && error !== null) return end(gen, error);
      // The server closes watches after its request timeout (minutes): resume at once —
      // unless it closed at once without a word, which would otherwise spin.
      if (events > 0 || timers.now() - startedAt >= MIN_WATCH_MS) return end(gen, undefined);
      end(gen, new Error('the watch closed at once'));
    };
    let started: Promise<() => void>;
    try {
      started = options
        .client()
        .watch<T>(
          type,
          { ...selectors, resourceVersion, allowWatchBookmarks: true },
          onEvent,
          onEnd,
        );
    } catch (error) {
      return end(gen, error);
    }
    started.then(
      (stop) => {
        if (gen !== generation) return stop();
        stopWatch = stop;
        if (livenessTimer !== undefined && events === 0) armLiveness(gen, livenessDelay());
        if (synced) setState('synced');
      },
      (error: unknown) => end(gen, error),
    );
  }

  /** The watch of round `gen` is over: resume, relist or retry. */
  function end(gen: number, error: unknown): void {
    if (gen !== generation) return;
    const next = ++generation;
    stopWatch?.();
    stopWatch = undefined;
    clearLiveness();
    if (error === undefined) return watch(next);
    report(error);
    if (isGone(error)) void relist(next);
    else retry(next, error);
  }

  function retry(gen: number, error: unknown): void {
    failures++;
    setState('retrying', error);
    retryTimer = timers.setTimeout(
      () => {
        retryTimer = undefined;
        if (gen !== generation) return;
        if (synced && resourceVersion) watch(gen);
        else void relist(gen);
      },
      backoffDelay(failures, baseMs, maxMs, timers.random()),
    );
  }

  return {
    start() {
      if (running) return;
      running = true;
      void relist(++generation);
    },
    stop() {
      if (!running) return;
      running = false;
      generation++;
      listing?.abort();
      listing = undefined;
      stopWatch?.();
      stopWatch = undefined;
      clearLiveness();
      if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
      retryTimer = undefined;
    },
    rows: () => rows,
    get synced() {
      return synced;
    },
    get state() {
      return state;
    },
    get resourceVersion() {
      return resourceVersion;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
