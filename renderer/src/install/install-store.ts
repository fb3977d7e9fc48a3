/**
 * The zustand store of bootstrap runs, one {@link ClusterBootstrap} per cluster. Written only
 * from the backend's `bootstrap.events` (and the `bootstrap.logs` query), coalesced per
 * frame, so every window converges the same way.
 *
 * @see ../onboarding/onboarding-store.ts — the same batching, for checks.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { frameScheduler, type Scheduler } from '../store/inventory-store.ts';
import {
  applyBootstrap,
  emptyBootstrap,
  type BootstrapInput,
  type ClusterBootstrap,
} from './run-model.ts';

/** What the views read: per-cluster run state and stream problems. */
export interface InstallStoreState {
  clusters: ReadonlyMap<string, ClusterBootstrap>;
  /** Plain-words reason when a cluster's stream ended for good. */
  streamErrors: ReadonlyMap<string, string>;
}

/** The store plus its only writers. */
export interface InstallStore {
  store: StoreApi<InstallStoreState>;
  push(clusterId: string, input: BootstrapInput): void;
  setStreamError(clusterId: string, reason: string | null): void;
  flush(): void;
}

/** Creates the store; `schedule` decides when queued inputs are applied (tests: at once). */
export function createInstallStore(schedule: Scheduler = frameScheduler): InstallStore {
  const store = createStore<InstallStoreState>(() => ({
    clusters: new Map(),
    streamErrors: new Map(),
  }));
  let queue: [string, BootstrapInput][] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const current = store.getState().clusters;
    const byCluster = new Map<string, BootstrapInput[]>();
    for (const [id, input] of batch) {
      const list = byCluster.get(id);
      if (list) list.push(input);
      else byCluster.set(id, [input]);
    }
    let next: Map<string, ClusterBootstrap> | undefined;
    for (const [id, inputs] of byCluster) {
      const before = current.get(id) ?? emptyBootstrap;
      const after = applyBootstrap(before, inputs);
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
