/**
 * The API's live streams over one WebSocket per window, at `/api/ws`.
 *
 * Why not Server-Sent Events: a browser keeps at most six HTTP/1.1 connections per origin, and
 * every open SSE stream holds one for good. A window watching the inventory, a check and an
 * install holds three; two windows (or two Electron windows of one session) hold all six, and
 * the next ordinary call, such as "Trust this key", waits forever for a free connection. A
 * WebSocket is outside that pool, and tRPC multiplexes every subscription of a window over it.
 * The SSE endpoint stays for scripts (curl, the tests' readers); the renderer uses this one.
 *
 * Terminals (exec into a pod) have their own WebSocket at {@link TERMINAL_PATH}, one per terminal
 * (exec/terminal-route.ts); its upgrade passes the very same guards before it is handed over.
 *
 * The upgrade passes the same guards as every API request, in the same order (guard.ts):
 * Host/Origin first (a rebinding or foreign page learns nothing), then the cross-site check
 * (browsers always send Origin on a WebSocket handshake, so our page passes it), then the
 * token (cookie or Bearer).
 *
 * Backpressure: tRPC's WebSocket adapter pulls every subscription as fast as it yields and
 * `ws.send()` queues without bound; each socket's context carries a `transport.writable()` bound
 * to its `bufferedAmount`, and every subscription hands it to its feed or bus.
 *
 * @see https://trpc.io/docs/server/websockets
 * @see https://github.com/websockets/ws/blob/master/doc/ws.md#serverhandleupgraderequest-socket-head-callback
 * @see https://developer.chrome.com/docs/devtools/network/reference#timing-explanation (6 per origin)
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import type { ApiContext } from '../api/context.ts';
import { reportInternalError } from '../api/internal-errors.ts';
import { appRouter } from '../api/router.ts';
import { createTerminalServer, TERMINAL_PATH } from '../exec/terminal-route.ts';
import { socketWritable } from '../feed/backpressure.ts';
import type { Logger } from '../log/logger.ts';
import { checkCrossSite, checkHostAndOrigin, presentedToken, tokenMatches } from './guard.ts';

/** Where the renderer opens its WebSocket. */
export const WS_PATH = '/api/ws';
/** Subscription requests are tiny; this only stops abuse. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A window that stops answering pings (laptop lid closed, tab killed) is dropped. */
const PING_MS = 15_000;
const PONG_WAIT_MS = 10_000;

export interface WebSocketApiOptions {
  token: string;
  context: ApiContext;
  logger: Logger;
  /** The port we listen on, read per upgrade (known only once listening). */
  port: () => number;
}

export interface WebSocketApi {
  /** Closes every socket (their subscriptions end) and stops accepting new ones. */
  close(): void;
}

/** Serves the tRPC router over WebSocket on `server`'s upgrade requests to {@link WS_PATH}. */
export function attachWebSocketApi(
  server: http.Server,
  options: WebSocketApiOptions,
): WebSocketApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  applyWSSHandler({
    wss,
    router: appRouter,
    // `res` is the connection's ws socket: its subscriptions wait while its send buffer is
    // over the bound (feed/backpressure.ts), so a window that stops reading holds coalesced
    // changes in the feed, not every message serialized in the socket's buffer.
    createContext: ({ res }) => ({
      ...options.context,
      transport: { writable: socketWritable(res) },
    }),
    keepAlive: { enabled: true, pingMs: PING_MS, pongWaitMs: PONG_WAIT_MS },
    // As for HTTP (server.ts): what the logging middleware never sees is logged here, once.
    onError: ({ error, path, type }) =>
      reportInternalError(options.logger, error, { path, type, transport: 'websocket' }),
  });

  const terminals = createTerminalServer({
    workspace: options.context.workspace,
    logger: options.logger,
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req, options);
    if (refusal) {
      options.logger.log('warn', 'http.refused', {
        status: refusal.status,
        path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
        reason: refusal.reason,
        websocket: true,
      });
      rejectUpgrade(socket, refusal.status, refusal.reason);
      return;
    }
    if (pathOf(req) === TERMINAL_PATH) terminals.handleUpgrade(req, socket, head);
    else wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  return {
    close() {
      terminals.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

interface Refusal {
  status: 401 | 403 | 404;
  reason: string;
}

function refuseUpgrade(req: http.IncomingMessage, options: WebSocketApiOptions): Refusal | null {
  const port = options.port();
  const hostOrOrigin = checkHostAndOrigin(req.headers, port);
  if (hostOrOrigin) return { status: 403, reason: hostOrOrigin };
  const presented = presentedToken(req.headers, port);
  const crossSite = checkCrossSite(req.headers, presented);
  if (crossSite) return { status: 403, reason: crossSite };
  if (!tokenMatches(presented.token, options.token)) {
    return { status: 401, reason: 'Missing or wrong token' };
  }
  const path = pathOf(req);
  if (path !== WS_PATH && path !== TERMINAL_PATH)
    return { status: 404, reason: `No WebSocket at ${path}` };
  return null;
}

function pathOf(req: http.IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
}

/** Answers a refused upgrade with a plain HTTP response, as RFC 6455 §4.2.2 allows. */
function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  const body = JSON.stringify({ error: reason });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
