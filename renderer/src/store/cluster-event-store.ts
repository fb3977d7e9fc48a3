/**
 * A zustand store of per-cluster state folded from backend events: inputs are queued and
 * applied once per frame, grouped by cluster, so a burst of events (a whole run's progress, a
 * check of many hosts) costs one render, and every window converges the same way. Also keeps
 * each cluster's stream problem in plain words.
 *
 * @see ../install/install-store.ts — bootstrap runs
 * @see ../onboarding/onboarding-store.ts — onboarding checks
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { frameScheduler, type Scheduler } from './inventory-store.ts';

/** What the views read: per-cluster state and stream problems. */
export interface ClusterEventState<S> {
  clusters: ReadonlyMap<string, S>;
  /** Plain-words reason when a cluster's stream ended for good. */
  streamErrors: ReadonlyMap<string, string>;
}

/** The store plus its only writers. */
export interface ClusterEventStore<S, I> {
  store: StoreApi<ClusterEventState<S>>;
  push(clusterId: string, input: I): void;
  setStreamError(clusterId: string, reason: string | null): void;
  flush(): void;
}

/** How one cluster's state folds inputs: `apply` returns `before` itself when nothing changed. */
export interface ClusterFold<S, I> {
  empty: S;
  apply(before: S, inputs: readonly I[]): S;
}

/** Creates the store; `schedule` decides when queued inputs are applied (tests: at once). */
export function createClusterEventStore<S, I>(
  fold: ClusterFold<S, I>,
  schedule: Scheduler = frameScheduler,
): ClusterEventStore<S, I> {
  const store = createStore<ClusterEventState<S>>(() => ({
    clusters: new Map(),
    streamErrors: new Map(),
  }));
  let queue: [string, I][] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const current = store.getState().clusters;
    const byCluster = new Map<string, I[]>();
    for (const [id, input] of batch) {
      const list = byCluster.get(id);
      if (list) list.push(input);
      else byCluster.set(id, [input]);
    }
    let next: Map<string, S> | undefined;
    for (const [id, inputs] of byCluster) {
      const before = current.get(id) ?? fold.empty;
      const after = fold.apply(before, inputs);
      if (after !== before) (next ??= new Map(current)).set(id, after);
    }
    if (next) store.setState({ clusters: next });
  };

  return {
    store,
    flush,
    push(clusterId, input) {
      queue.push([clusterId, input]);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    setStreamError(clusterId, reason) {
      const prev = store.getState().streamErrors;
      if ((prev.get(clusterId) ?? null) === reason) return;
      const next = new Map(prev);
      if (reason === null) next.delete(clusterId);
      else next.set(clusterId, reason);
      store.setState({ streamErrors: next });
    },
  };
}
