/**
 * What the views need from the backend, as a narrow interface. Views depend on this, not on
 * tRPC, so they can be driven by a fake in tests and the transport can change in one place.
 *
 * @see ../../../backend/src/inventory/schema.ts — the input contract (validated server-side).
 */
import type {
  AddHostInput,
  ClusterView,
  CreateClusterInput,
  DeleteClusterInput,
  InventoryEvent,
  RemoveHostInput,
  RenameClusterInput,
  UpdateHostInput,
} from '@nodeless/backend/api';

/** Callbacks of the live inventory stream. */
export interface InventoryStreamHandlers {
  onEvent(event: InventoryEvent): void;
  /** Stream is open and delivering (the backend sends a `snapshot` first). */
  onLive(): void;
  /** Stream dropped; the transport retries by itself. */
  onReconnecting(reason: string): void;
  /** Stream ended for good (e.g. the backend refused our session). */
  onFailed(error: unknown): void;
}

export interface InventoryApi {
  createCluster(input: CreateClusterInput): Promise<ClusterView>;
  renameCluster(input: RenameClusterInput): Promise<unknown>;
  deleteCluster(input: DeleteClusterInput): Promise<unknown>;
  addHost(input: AddHostInput): Promise<unknown>;
  updateHost(input: UpdateHostInput): Promise<unknown>;
  removeHost(input: RemoveHostInput): Promise<unknown>;
  /** Opens the event stream; returns a function that closes it. */
  subscribe(handlers: InventoryStreamHandlers): () => void;
}
