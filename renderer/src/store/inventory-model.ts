/**
 * The inventory as the renderer holds it, and the pure reducer that applies the backend's
 * event stream to it. Kept free of React and zustand so it can be unit-tested directly.
 *
 * @see ../../../backend/src/inventory/types.ts — `InventoryEvent`, the contract applied here.
 * @see ../../../shared/DESIGN.md §7 — deltas go into maps keyed by id, applied in batches.
 */
import type { ClusterView, InventoryEvent } from '@nodeless/backend/api';

/** Snapshot of the inventory. `clusters` is keyed by cluster id; treat it as immutable. */
export interface InventoryState {
  clusters: ReadonlyMap<string, ClusterView>;
  /** False until the first `snapshot` arrived: the UI shows "loading" rather than "empty". */
  loaded: boolean;
  /** Bumped on every applied batch that changed something; cheap change detection. */
  revision: number;
}

export const emptyInventory: InventoryState = { clusters: new Map(), loaded: false, revision: 0 };

/**
 * Applies a batch of events in order and returns the new state. The map is copied at most
 * once per batch (never per event) and the input state is returned unchanged when the batch
 * is empty, so a burst of thousands of events costs one copy and one re-render.
 */
export function applyInventoryEvents(
  state: InventoryState,
  events: readonly InventoryEvent[],
): InventoryState {
  if (events.length === 0) return state;
  let clusters: Map<string, ClusterView> | undefined;
  let loaded = state.loaded;
  // Copy-on-first-write: later events in the batch mutate the private copy.
  const draft = (): Map<string, ClusterView> => (clusters ??= new Map(state.clusters));
  for (const event of events) {
    switch (event.type) {
      case 'snapshot': {
        // A snapshot is the whole truth (first connect or reconnect): replace, do not merge,
        // so clusters deleted while we were disconnected disappear.
        clusters = new Map(event.clusters.map((c) => [c.id, c]));
        loaded = true;
        break;
      }
      case 'cluster.upserted':
        draft().set(event.cluster.id, event.cluster);
        break;
      case 'cluster.deleted':
        if ((clusters ?? state.clusters).has(event.id)) draft().delete(event.id);
        break;
    }
  }
  if (clusters === undefined && loaded === state.loaded) return state;
  return { clusters: clusters ?? state.clusters, loaded, revision: state.revision + 1 };
}

/** Clusters sorted by name for display (the map itself has no meaningful order). */
export function sortedClusters(clusters: ReadonlyMap<string, ClusterView>): ClusterView[] {
  return [...clusters.values()].sort((a, b) => a.name.localeCompare(b.name));
}
