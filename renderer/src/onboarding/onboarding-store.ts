/**
 * The zustand store of onboarding state, one {@link ClusterOnboarding} per cluster. Like the
 * inventory store it is written only from the backend's events (and the `lastReport`
 * query), coalesced per frame, so every window converges the same way.
 *
 * @see ../store/inventory-store.ts — the same batching, for the inventory.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { frameScheduler, type Scheduler } from '../store/inventory-store.ts';
import {
  applyOnboarding,
  emptyOnboarding,
  type ClusterOnboarding,
  type OnboardingInput,
} from './check-model.ts';

/** What the views read: per-cluster onboarding state and stream problems. */
export interface OnboardingStoreState {
  clusters: ReadonlyMap<string, ClusterOnboarding>;
  /** Plain-words reason when a cluster's stream ended for good. */
  streamErrors: ReadonlyMap<string, string>;
}

/** The store plus its only writers (the event stream and `lastReport`). */
export interface OnboardingStore {
  store: StoreApi<OnboardingStoreState>;
  push(clusterId: string, input: OnboardingInput): void;
  setStreamError(clusterId: string, reason: string | null): void;
  flush(): void;
}

/** Creates the store; `schedule` decides when queued inputs are applied (tests: at once). */
export function createOnboardingStore(schedule: Scheduler = frameScheduler): OnboardingStore {
  const store = createStore<OnboardingStoreState>(() => ({
    clusters: new Map(),
    streamErrors: new Map(),
  }));
  let queue: [string, OnboardingInput][] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const current = store.getState().clusters;
    const byCluster = new Map<string, OnboardingInput[]>();
    for (const [id, input] of batch) {
      const list = byCluster.get(id);
      if (list) list.push(input);
      else byCluster.set(id, [input]);
    }
    let next: Map<string, ClusterOnboarding> | undefined;
    for (const [id, inputs] of byCluster) {
      const before = current.get(id) ?? emptyOnboarding;
      const after = applyOnboarding(before, inputs);
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
