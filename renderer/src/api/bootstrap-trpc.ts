/**
 * The tRPC implementation of {@link BootstrapApi}, sharing the window's one client (HTTP calls,
 * the event stream over the shared WebSocket).
 *
 * @see https://trpc.io/docs/client/vanilla/setup
 * @see ../../../backend/src/api/routers/bootstrap.ts
 */
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '@nodeless/backend/api';
import type { BootstrapApi } from './bootstrap-api.ts';
import { createTrpc } from './trpc-client.ts';

/** Binds {@link BootstrapApi} to a tRPC client (share the inventory API's one). */
export function createBootstrapApi(trpc: TRPCClient<AppRouter> = createTrpc()): BootstrapApi {
  const b = trpc.bootstrap;
  return {
    defaults: (input) => b.defaults.query(input),
    preview: (input) => b.preview.mutate(input),
    start: (input) => b.start.mutate(input),
    cancel: (input) => b.cancel.mutate(input),
    resume: (input) => b.resume.mutate(input),
    runs: (input) => b.runs.query(input),
    logs: (input) => b.logs.query(input),
    cluster: (input) => b.cluster.query(input),
    exportKubeconfig: (input) => b.exportKubeconfig.mutate(input),
    addHosts: (input) => b.addHosts.mutate(input),
    removeHost: (input) => b.removeHost.mutate(input),
    reset: (input) => b.reset.mutate(input),
    subscribe(clusterId, handlers) {
      const sub = b.events.subscribe(
        { clusterId },
        {
          onData: (event) => handlers.onEvent(event),
          onError: (err) => handlers.onFailed(err),
        },
      );
      return () => sub.unsubscribe();
    },
  };
}
