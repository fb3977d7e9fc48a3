/**
 * Feeds the inventory store from the API's live event stream. This is the only writer of
 * the store: UI action → API → backend → event → here → views (DESIGN.md §1, data flow).
 */
import type { InventoryApi } from '../api/inventory-api.ts';
import { toProblem } from '../api/problems.ts';
import type { InventoryStore } from './inventory-store.ts';

/** Opens the stream; returns the function that closes it. */
export function connectInventory(api: InventoryApi, inventory: InventoryStore): () => void {
  return api.subscribe({
    onEvent: (event) => inventory.push(event),
    onLive: () => inventory.setConnection({ kind: 'live' }),
    onReconnecting: () =>
      inventory.setConnection({
        kind: 'reconnecting',
        reason: 'Lost the connection to the Nodeless backend. Reconnecting…',
      }),
    onFailed: (err) => inventory.setConnection({ kind: 'failed', reason: toProblem(err).message }),
  });
}
