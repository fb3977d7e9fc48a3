/**
 * The zustand store of bootstrap runs, one {@link ClusterBootstrap} per cluster. Written only
 * from the backend's `bootstrap.events` (and the `bootstrap.logs` query), coalesced per frame.
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
  applyBootstrap,
  emptyBootstrap,
  type BootstrapInput,
  type ClusterBootstrap,
} from './run-model.ts';

/** What the views read: per-cluster run state and stream problems. */
export type InstallStoreState = ClusterEventState<ClusterBootstrap>;

/** The store plus its only writers. */
export type InstallStore = ClusterEventStore<ClusterBootstrap, BootstrapInput>;

/** Creates the store; `schedule` decides when queued inputs are applied (tests: at once). */
export function createInstallStore(schedule?: Scheduler): InstallStore {
  return createClusterEventStore({ empty: emptyBootstrap, apply: applyBootstrap }, schedule);
}
