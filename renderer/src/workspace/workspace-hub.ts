/**
 * The window's workspace state: the list of clusters the workspace can open (pushed by the
 * backend: an import or removal in any window, or through the API, shows at once), and the live
 * subscriptions (keyed feeds, overviews) the views lease. A subscription opens when the first
 * view needs it and closes a little after the last one leaves (`linger`), so switching
 * between sections does not drop and re-download 100,000 rows, while a cluster nobody looks
 * at any more costs the backend nothing (its connection closes when the last window leaves).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  FeedKind,
  FeedRows,
  Overview,
  WorkspaceCluster,
  WorkspaceClustersEvent,
} from '@nodeless/backend/api';
import type { WorkspaceApi } from '../api/workspace-api.ts';
import { toProblem } from '../api/problems.ts';
import type { Scheduler } from '../store/inventory-store.ts';
import { createFeedStore, type FeedStore } from './feed-store.ts';

export interface WorkspaceClustersState {
  clusters: readonly WorkspaceCluster[];
  loaded: boolean;
  /** Plain words when the list could not be read. */
  error: string | undefined;
}

export interface OverviewState {
  overview: Overview | undefined;
  streamError: string | undefined;
}

/** Timers, injected so units run without waiting. */
export interface HubTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WorkspaceHubOptions {
  /** How long a subscription stays open after its last view left. */
  lingerMs?: number;
  timers?: HubTimers;
  /** Per-frame batching of feed messages (tests: manual). */
  schedule?: Scheduler;
}

export interface WorkspaceHub {
  clusters: StoreApi<WorkspaceClustersState>;
  /** Follows the backend's cluster list until the returned function is called. */
  connectClusters(): () => void;
  /**
   * Resolves once the list has the cluster (after an import, before opening it), or after
   * `timeoutMs` — the list is pushed, so the answer to the import can come first.
   */
  whenListed(clusterId: string, timeoutMs?: number): Promise<void>;
  /** The feed store of a cluster and kind (created on first ask, not yet subscribed). */
  feed<K extends FeedKind>(clusterId: string, kind: K): FeedStore<FeedRows[K]>;
  overview(clusterId: string): StoreApi<OverviewState>;
  /** Holds the subscription of `feed`/`overview` open; returns its release. */
  acquire(clusterId: string, what: FeedKind | 'overview'): () => void;
}

interface Entry {
  feed?: FeedStore<{ uid: string }>;
  overview?: StoreApi<OverviewState>;
  refs: number;
  close?: () => void;
  timer?: unknown;
}

/** The list after an event of the backend's cluster stream: the stream sends it whole. */
export function applyClustersEvent(
  state: WorkspaceClustersState,
  event: WorkspaceClustersEvent,
): WorkspaceClustersState {
  return { ...state, clusters: event.clusters, loaded: true, error: undefined };
}

const defaultTimers: HubTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export function createWorkspaceHub(
  api: WorkspaceApi,
  options: WorkspaceHubOptions = {},
): WorkspaceHub {
  const lingerMs = options.lingerMs ?? 30_000;
  const timers = options.timers ?? defaultTimers;
  const clusters = createStore<WorkspaceClustersState>(() => ({
    clusters: [],
    loaded: false,
    error: undefined,
  }));
  const entries = new Map<string, Entry>();
  const keyOf = (clusterId: string, what: string): string => `${clusterId}\u0000${what}`;

  function entry(clusterId: string, what: FeedKind | 'overview'): Entry {
    const key = keyOf(clusterId, what);
    let e = entries.get(key);
    if (!e) {
      e = { refs: 0 };
      if (what === 'overview') {
        e.overview = createStore<OverviewState>(() => ({
          overview: undefined,
          streamError: undefined,
        }));
      } else {
        e.feed = createFeedStore(options.schedule);
      }
      entries.set(key, e);
    }
    return e;
  }

  function open(clusterId: string, what: FeedKind | 'overview', e: Entry): () => void {
    const ov = e.overview;
    if (ov) {
      return api.overview(clusterId, {
        onData: (overview) => ov.setState({ overview, streamError: undefined }),
        onFailed: (err) => ov.setState({ streamError: toProblem(err).message }),
      });
    }
    const feed = e.feed as FeedStore<{ uid: string }>;
    return api.feed(clusterId, what as FeedKind, {
      onData: (m) => {
        feed.setStreamError(undefined);
        feed.push(m);
      },
      onFailed: (err) => feed.setStreamError(toProblem(err).message),
    });
  }

  return {
    clusters,
    connectClusters() {
      return api.clusterEvents({
        onData: (event) => clusters.setState((s) => applyClustersEvent(s, event)),
        onFailed: (err) => clusters.setState({ loaded: true, error: toProblem(err).message }),
      });
    },
    whenListed(clusterId, timeoutMs = 5_000) {
      const listed = (s: WorkspaceClustersState) => s.clusters.some((c) => c.id === clusterId);
      if (listed(clusters.getState())) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          unsubscribe();
          timers.clearTimeout(timer);
          resolve();
        };
        const unsubscribe = clusters.subscribe((s) => {
          if (listed(s)) done();
        });
        const timer = timers.setTimeout(done, timeoutMs);
      });
    },
    feed<K extends FeedKind>(clusterId: string, kind: K) {
      return entry(clusterId, kind).feed as unknown as FeedStore<FeedRows[K]>;
    },
    overview(clusterId) {
      return entry(clusterId, 'overview').overview as StoreApi<OverviewState>;
    },
    acquire(clusterId, what) {
      const e = entry(clusterId, what);
      e.refs += 1;
      if (e.timer !== undefined) {
        timers.clearTimeout(e.timer);
        e.timer = undefined;
      }
      e.close ??= open(clusterId, what, e);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        e.refs -= 1;
        if (e.refs > 0) return;
        e.timer = timers.setTimeout(() => {
          e.timer = undefined;
          e.close?.();
          // Dropped, not kept: the next view starts from a fresh snapshot, and the rows go.
          entries.delete(keyOf(clusterId, what));
        }, lingerMs);
      };
    },
  };
}
