/**
 * The tRPC implementation of {@link InventoryApi}: one HTTP request per query or mutation
 * (not batched: a batch answers only when its slowest call does, so a quick "trust this key"
 * would wait behind a slow preview or check), and every live stream of the window multiplexed
 * over one WebSocket. Not one Server-Sent-Events stream each: every open stream holds one of
 * the browser's six HTTP/1.1 connections per origin, so two windows watching a check left no
 * connection for the next call (see backend/src/http/websocket.ts). Same-origin, so the
 * HttpOnly session cookie set by the backend's `/?token=…` redirect rides along on both; no
 * token in JS. Every HTTP call also sends `X-Nodeless: 1`: the backend refuses a cookie-only
 * API call without it (or `Sec-Fetch-Site: same-origin`), because other pages on localhost
 * get the cookie sent too (backend/src/http/guard.ts). The WebSocket handshake always carries
 * `Origin`, which is proof enough.
 *
 * @see https://trpc.io/docs/client/links/splitLink
 * @see https://trpc.io/docs/client/links/wsLink
 */
import {
  createTRPCClient,
  createWSClient,
  httpLink,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import type { AppRouter } from '@nodeless/backend/api';
import type { InventoryApi } from './inventory-api.ts';

/** Path the backend mounts the tRPC router at. */
export const API_PATH = '/api/trpc';
/** Sent on every HTTP call; see the module comment. */
export const API_REQUEST_HEADERS = { 'X-Nodeless': '1' } as const;
/** Path of the backend's WebSocket endpoint for subscriptions. */
export const WS_PATH = '/api/ws';

/** `ws://host/api/ws` for the page's own origin (`wss:` if it was ever served over TLS). */
export function webSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
}

export function createTrpc(
  baseUrl: string = API_PATH,
  wsUrl: string = webSocketUrl(window.location),
): TRPCClient<AppRouter> {
  // Opens on the first subscription; reconnects with backoff and re-subscribes on its own.
  const ws = createWSClient({ url: wsUrl, lazy: { enabled: true, closeMs: 10_000 } });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpLink({ url: baseUrl, headers: API_REQUEST_HEADERS }),
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
