/**
 * What the log viewer needs from the backend (`pods.logs`, a subscription over the window's
 * WebSocket), as a narrow interface so the viewer runs on a fake stream in units, the dev entry
 * and the bench, and the transport changes in one place.
 *
 * @see ../../../backend/src/pods/logs-types.ts — the contract
 * @see ../../../backend/src/api/routers/pods.ts — the procedure behind it
 */
import type { TRPCClient } from '@trpc/client';
import type { AppRouter, LogsMessage, PodLogsInput } from '@nodeless/backend/api';
import { createTrpc } from './trpc-client.ts';
import type { StreamHandlers } from './workspace-api.ts';

export interface PodsLogsApi {
  /** Opens a log stream; returns the function that closes it (the backend then stops it). */
  logs(input: PodLogsInput, handlers: StreamHandlers<LogsMessage>): () => void;
}

/** Binds {@link PodsLogsApi} to a tRPC client (share the window's one). */
export function createPodsLogsApi(trpc: TRPCClient<AppRouter> = createTrpc()): PodsLogsApi {
  return {
    logs(input, handlers) {
      const sub = trpc.pods.logs.subscribe(input, {
        onData: (m) => handlers.onData(m),
        onError: (err) => handlers.onFailed(err),
      });
      return () => sub.unsubscribe();
    },
  };
}

let shared: PodsLogsApi | undefined;

/**
 * The window's logs API when none is handed in: one, made on first use. It opens its own
 * lazy WebSocket (closed 10 s after its last stream) until the app context hands the window's
 * shared client in.
 */
export function defaultPodsLogsApi(): PodsLogsApi {
  shared ??= createPodsLogsApi();
  return shared;
}
