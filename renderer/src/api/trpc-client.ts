/**
 * The tRPC implementation of {@link InventoryApi}: one HTTP request per query or mutation
 * (not batched: a batch answers only when its slowest call does, so a quick "trust this key"
 * would wait behind a slow preview or check), Server-Sent Events for the live streams. Same-origin, so the HttpOnly session
 * cookie set by the backend's `/?token=…` redirect rides along on both; no token in JS.
 *
 * @see https://trpc.io/docs/client/links/splitLink
 * @see https://trpc.io/docs/client/links/httpSubscriptionLink
 */
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import type { AppRouter } from '@nodeless/backend/api';
import type { InventoryApi } from './inventory-api.ts';

/** Path the backend mounts the tRPC router at. */
export const API_PATH = '/api/trpc';

export function createTrpc(baseUrl: string = API_PATH): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: baseUrl }),
        false: httpLink({ url: baseUrl }),
      }),
    ],
  });
}

export function createInventoryApi(trpc: TRPCClient<AppRouter> = createTrpc()): InventoryApi {
  return {
    createCluster: (input) => trpc.clusters.create.mutate(input),
    renameCluster: (input) => trpc.clusters.rename.mutate(input),
    deleteCluster: (input) => trpc.clusters.delete.mutate(input),
    addHost: (input) => trpc.hosts.add.mutate(input),
    updateHost: (input) => trpc.hosts.update.mutate(input),
    removeHost: (input) => trpc.hosts.remove.mutate(input),
    subscribe(handlers) {
      const sub = trpc.inventory.events.subscribe(undefined, {
        onData: (event) => handlers.onEvent(event),
        onStarted: () => handlers.onLive(),
        onConnectionStateChange: (state) => {
          if (state.state === 'pending') handlers.onLive();
          else if (state.state === 'connecting' && state.error) {
            handlers.onReconnecting(state.error.message);
          }
        },
        onError: (err) => handlers.onFailed(err),
      });
      return () => sub.unsubscribe();
    },
  };
}
