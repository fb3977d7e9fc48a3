/**
 * The backend's HTTP server on 127.0.0.1: the guards of guard.ts in their documented order
 * (Host/Origin, then for `/api` the cross-site check, then the token), then either the tRPC
 * API at `/api/trpc` (node-http adapter; SSE for subscriptions) or the built renderer.
 * WebSocket upgrades to `/api/ws` carry the renderer's subscriptions (see websocket.ts).
 *
 * @see https://trpc.io/docs/server/adapters/standalone
 * @see https://nodejs.org/api/http.html#serverclosealLconnections
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { ApiContext } from '../api/context.ts';
import { reportInternalError } from '../api/internal-errors.ts';
import { appRouter } from '../api/router.ts';
import type { Logger } from '../log/logger.ts';
import { attachWebSocketApi } from './websocket.ts';
import {
  checkCrossSite,
  checkHostAndOrigin,
  presentedToken,
  tokenCookie,
  tokenMatches,
} from './guard.ts';
import { resolveStatic, sendHtml, sendNoRenderer, sendStatic } from './static-files.ts';

export const API_PREFIX = '/api/trpc/';
/** Inventory inputs are tiny; this only stops abuse. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  token: string;
  /** Built renderer to serve at `/`; absent or missing → a "not built" page. */
  rendererDir?: string | undefined;
  context: ApiContext;
  logger: Logger;
  /** 0 or undefined = any free port. */
  port?: number | undefined;
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

const UNAUTHORIZED_HTML =
  '<!doctype html><meta charset="utf-8"><title>Nodeless</title>' +
  '<h1>Not signed in</h1><p>Open the URL Nodeless printed when it started ' +
  '(it ends with <code>?token=…</code>).</p>';

/** Starts listening on 127.0.0.1 and resolves once connections are accepted. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  let port = 0;
  const server = http.createServer((req, res) => {
    handle(req, res, port, options).catch((error: unknown) => {
      options.logger.log('error', 'http.unhandled', { error: String(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
      else res.destroy();
    });
  });
  const webSocketApi = attachWebSocketApi(server, {
    token: options.token,
    context: options.context,
    logger: options.logger,
    port: () => port,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        webSocketApi.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets and finished SSE streams would otherwise hold close() open.
        server.closeIdleConnections();
        setImmediate(() => server.closeAllConnections());
      }),
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  port: number,
  options: HttpServerOptions,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
  const method = req.method ?? 'GET';
  res.setHeader('Referrer-Policy', 'no-referrer');

  const refused = checkHostAndOrigin(req.headers, port);
  if (refused) {
    options.logger.log('warn', 'http.refused', {
      status: 403,
      path: url.pathname,
      reason: refused,
    });
    sendJson(res, 403, { error: `${refused}. Nodeless only answers its own local address.` });
    return;
  }

  const queryToken = url.searchParams.get('token');
  if (!isApi && queryToken !== null && (method === 'GET' || method === 'HEAD')) {
    if (!tokenMatches(queryToken, options.token)) {
      unauthorized(res, isApi, url.pathname, options.logger);
      return;
    }
    // Trade the token in the URL for a cookie, then drop it from the address bar and history.
    url.searchParams.delete('token');
    res.statusCode = 302;
    res.setHeader('Set-Cookie', tokenCookie(options.token, port));
    // One leading slash only: `/.//evil.com/?token=…` normalises to the path `//evil.com/`,
    // which a browser would follow as a protocol-relative URL to another site.
    res.setHeader('Location', `/${url.pathname.replace(/^\/+/, '')}${url.search}`);
    res.setHeader('Cache-Control', 'no-store');
    res.end();
    return;
  }

  const presented = presentedToken(req.headers, port);
  // Pages (GET only, unreadable cross-origin) need the cookie on plain navigations; only the
  // API, which changes things and answers with data, asks for proof of our own page.
  const crossSite = isApi ? checkCrossSite(req.headers, presented) : null;
  if (crossSite) {
    options.logger.log('warn', 'http.refused', {
      status: 403,
      path: url.pathname,
      reason: crossSite,
    });
    sendJson(res, 403, { error: `${crossSite}.` });
    return;
  }
  if (!tokenMatches(presented.token, options.token)) {
    unauthorized(res, isApi, url.pathname, options.logger);
    return;
  }

  if (isApi) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!url.pathname.startsWith(API_PREFIX)) {
      sendJson(res, 404, { error: `No API at ${url.pathname}` });
      return;
    }
    await nodeHTTPRequestHandler({
      router: appRouter,
      createContext: () => options.context,
      req,
      res,
      path: url.pathname.slice(API_PREFIX.length),
      maxBodySize: MAX_BODY_BYTES,
      // Failures the logging middleware never sees (a subscription that fails mid-stream):
      // logged once with the correlation id the response carries.
      onError: ({ error, path, type }) =>
        reportInternalError(options.logger, error, { path, type, transport: 'http' }),
    });
    return;
  }

  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'Method not allowed' });
    return;
  }
  const root = options.rendererDir;
  const file =
    root === undefined
      ? undefined
      : (resolveStatic(root, url.pathname) ?? resolveStatic(root, '/index.html'));
  if (file === undefined) sendNoRenderer(res);
  else sendStatic(res, file, method === 'HEAD');
}

function unauthorized(
  res: http.ServerResponse,
  isApi: boolean,
  path: string,
  logger: Logger,
): void {
  logger.log('warn', 'http.refused', { status: 401, path });
  if (isApi) {
    sendJson(res, 401, {
      error: 'Missing or wrong token. Open the URL Nodeless printed when it started.',
    });
  } else {
    sendHtml(res, 401, UNAUTHORIZED_HTML);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
