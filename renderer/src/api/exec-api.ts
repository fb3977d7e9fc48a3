/**
 * Terminals (exec into a pod) from the backend: one WebSocket per terminal at `/api/terminal`
 * (backend/src/exec/terminal-route.ts), speaking JSON messages (terminal-types.ts). Not over the
 * window's tRPC socket: a terminal's keystrokes and output are a byte stream with its own life,
 * and closing its own socket is what ends exactly that exec on the API server. Same origin, so
 * the HttpOnly session cookie rides along and the handshake's `Origin` passes the guards.
 *
 * @see ../../../backend/src/exec/terminal-route.ts
 * @see https://developer.mozilla.org/en-US/docs/Web/API/WebSocket
 */
import type { TerminalInput, TerminalOutput, TerminalTarget } from '@nodeless/backend/api';

/** Path of the backend's terminal WebSocket (backend's TERMINAL_PATH). */
export const TERMINAL_PATH = '/api/terminal';

export interface TerminalHandlers {
  onMessage(message: TerminalOutput): void;
  /** The socket closed; `clean` when the backend closed it after saying why. */
  onClose(clean: boolean): void;
}

/** One open terminal. Sends made before the socket opens are queued (the first resize). */
export interface TerminalSocket {
  send(input: TerminalInput): void;
  close(): void;
}

export interface ExecApi {
  open(target: TerminalTarget, handlers: TerminalHandlers): TerminalSocket;
}

/** `ws://host/api/terminal?…` for the page's own origin. */
export function terminalUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  target: TerminalTarget,
): string {
  const q = new URLSearchParams({
    clusterId: target.clusterId,
    namespace: target.namespace,
    pod: target.pod,
    ...(target.container === undefined ? {} : { container: target.container }),
  });
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${TERMINAL_PATH}?${q.toString()}`;
}

/** Binds {@link ExecApi} to the browser's WebSocket (injectable for tests). */
export function createExecApi(
  makeSocket: (url: string) => WebSocket = (url) => new WebSocket(url),
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): ExecApi {
  return {
    open(target, handlers) {
      const ws = makeSocket(terminalUrl(location, target));
      const queue: string[] = [];
      ws.addEventListener('open', () => {
        for (const m of queue.splice(0)) ws.send(m);
      });
      ws.addEventListener('message', (e: MessageEvent) => {
        if (typeof e.data !== 'string') return;
        try {
          handlers.onMessage(JSON.parse(e.data) as TerminalOutput);
        } catch {
          // Not one of ours: ignored.
        }
      });
      ws.addEventListener('close', (e: CloseEvent) => handlers.onClose(e.wasClean));
      return {
        send(input) {
          const text = JSON.stringify(input);
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
          else if (ws.readyState === WebSocket.CONNECTING) queue.push(text);
        },
        close() {
          ws.close(1000);
        },
      };
    },
  };
}

let defaultApi: ExecApi | undefined;
/** The window's exec API, made on first use (the lazy default of workloads-yaml-api.ts). */
export function defaultExecApi(): ExecApi {
  defaultApi ??= createExecApi();
  return defaultApi;
}
