/**
 * The zustand store of onboarding state, one {@link ClusterOnboarding} per cluster. Like the
 * inventory store it is written only from the backend's events (and the `lastReport` query),
 * coalesced per frame.
 *
 * @see ../store/cluster-event-store.ts — the shared batching
 */
import {
  createClusterEventStore,
  type ClusterEventState,
  type ClusterEventStore,
} from '../store/cluster-event-store.ts';
import type { Scheduler } from '../store/inventory-store.ts';
import {
  applyOnboarding,
  emptyOnboarding,
  type ClusterOnboarding,
  type OnboardingInput,
} from './check-model.ts';

/** What the views read: per-cluster onboarding state and stream problems. */
export type OnboardingStoreState = ClusterEventState<ClusterOnboarding>;

/** The store plus its only writers (the event stream and `lastReport`). */
export type OnboardingStore = ClusterEventStore<ClusterOnboarding, OnboardingInput>;

/** Creates the store; `schedule` decides when queued inputs are applied (tests: at once). */
export function createOnboardingStore(schedule?: Scheduler): OnboardingStore {
  return createClusterEventStore({ empty: emptyOnboarding, apply: applyOnboarding }, schedule);
}
