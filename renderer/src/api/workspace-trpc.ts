/**
 * The tRPC implementation of {@link WorkspaceApi}, sharing the window's one client: calls over
 * HTTP, the cluster list, the feeds and the overview as subscriptions over the shared WebSocket (which
 * reconnects and re-subscribes by itself; the backend then starts the feed with a new
 * snapshot, which the feed store swaps in without blanking the view).
 *
 * @see https://trpc.io/docs/client/vanilla/setup
 * @see ../../../backend/src/api/routers/workspace.ts
 */
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '@nodeless/backend/api';
import type { WorkspaceApi } from './workspace-api.ts';

export function createWorkspaceApi(trpc: TRPCClient<AppRouter>): WorkspaceApi {
  const w = trpc.workspace;
  return {
    clusterEvents(handlers) {
      const sub = w.clusterEvents.subscribe(undefined, {
        onData: (event) => handlers.onData(event),
        onError: (err) => handlers.onFailed(err),
      });
      return () => sub.unsubscribe();
    },
    previewKubeconfig: (input) => w.previewKubeconfig.mutate(input),
    importKubeconfig: (input) => w.importKubeconfig.mutate(input),
    remove: (input) => w.remove.mutate(input),
    pod: (input) => w.pod.query(input),
    feed(clusterId, kind, handlers) {
      const sub = w.feed.subscribe(
        { clusterId, kind },
        {
          // One procedure serves every kind; the kind asked for is the kind that comes back.
          onData: (m) => handlers.onData(m as Parameters<typeof handlers.onData>[0]),
          onError: (err) => handlers.onFailed(err),
        },
      );
      return () => sub.unsubscribe();
    },
    overview(clusterId, handlers) {
      const sub = w.overview.subscribe(
        { clusterId },
        { onData: (o) => handlers.onData(o), onError: (err) => handlers.onFailed(err) },
      );
      return () => sub.unsubscribe();
    },
  };
}
