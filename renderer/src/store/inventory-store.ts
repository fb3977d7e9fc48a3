/**
 * The zustand store the views read. It is fed only by the backend's event stream: mutations
 * do not patch it locally, the resulting `cluster.upserted`/`cluster.deleted` event does, so
 * every open window converges on the same state the same way.
 *
 * @see https://zustand.docs.pmnd.rs/apis/create-store — vanilla store, bound to React by `useStore`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { InventoryEvent } from '@nodeless/backend/api';
import { applyInventoryEvents, emptyInventory, type InventoryState } from './inventory-model.ts';

/** Health of the live event stream, shown as a banner when it is not `live`. */
export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; reason: string }
  | { kind: 'failed'; reason: string };

export interface InventoryStoreState extends InventoryState {
  connection: ConnectionStatus;
}

/** Schedules `flush` once; returns nothing. Injected so tests flush synchronously. */
export type Scheduler = (flush: () => void) => void;

/**
 * Coalesces events that arrive within one frame (~16 ms). A timer rather than
 * requestAnimationFrame: rAF is paused in hidden windows, and a second window in the
 * background must still catch up so it is current the moment it is shown.
 */
export const frameScheduler: Scheduler = (flush) => {
  setTimeout(flush, 16);
};

export interface InventoryStore {
  store: StoreApi<InventoryStoreState>;
  /** Queues one event; the batch is applied on the next scheduled flush. */
  push(event: InventoryEvent): void;
  setConnection(status: ConnectionStatus): void;
  /** Applies queued events now (also what the scheduler calls). */
  flush(): void;
}

export function createInventoryStore(schedule: Scheduler = frameScheduler): InventoryStore {
  const store = createStore<InventoryStoreState>(() => ({
    ...emptyInventory,
    connection: { kind: 'connecting' },
  }));
  let queue: InventoryEvent[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const current = store.getState();
    const next = applyInventoryEvents(current, batch);
    if (next !== current) store.setState(next);
  };

  return {
    store,
    flush,
    push(event) {
      queue.push(event);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    setConnection(connection) {
      const prev = store.getState().connection;
      if (prev.kind === connection.kind && reasonOf(prev) === reasonOf(connection)) return;
      store.setState({ connection });
    },
  };
}

function reasonOf(status: ConnectionStatus): string | undefined {
  return 'reason' in status ? status.reason : undefined;
}
