/**
 * How a client-node `RequestContext` reaches the API server: node-fetch (the library
 * client-node 1.x itself sends with) with the context's URL, headers and body — the headers
 * (bearer token, exec plugins) come from `KubeConfig.applySecurityAuthentication` — over a
 * pooled keep-alive connection of the context's TLS identity (./agent-pool.ts), plus the two
 * things client-node's own `IsomorphicFetchHttpLibrary` lacks: an AbortSignal and a timeout.
 * Without a timeout an API server that accepts the connection and never answers would hang a
 * bootstrap step forever.
 *
 * Pooling is why a request can meet a socket the server has just closed (a k3s restart, or its
 * idle timeout racing our reuse): node-fetch then fails with ECONNRESET ("socket hang up") or
 * EPIPE before any response. Such a request is sent once more on a fresh connection when that
 * is safe — only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS): node-fetch does not say
 * whether the request reached the server, so a POST or PATCH (create, apply, merge patch) is
 * never replayed and its caller sees the error, as it would have on a fresh connection that
 * broke. A replayed PUT or DELETE that had in fact taken effect answers as a repeat does
 * (409 on a stale resourceVersion, 404 on a gone object): callers already handle both.
 * Watches do not come through here: client-node's `Watch` builds its own agent per watch, so a
 * long-lived stream never holds a pool socket.
 *
 * @see https://github.com/kubernetes-client/javascript/blob/release-1.x/src/gen/http/isomorphic-fetch.ts
 * @see https://github.com/node-fetch/node-fetch/tree/2.x#options (`timeout`, `signal`, `agent`)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2 (idempotent methods)
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-9.3.1 (retrying requests after a closed connection)
 * @see https://nodejs.org/api/http.html#requestreusedsocket (the ECONNRESET-on-reuse race)
 */
import {
  ResponseContext,
  wrapHttpLibrary,
  type HttpLibrary,
  type RequestContext,
} from '@kubernetes/client-node';
import fetch, { type Response } from 'node-fetch';
import type { AgentPool } from './agent-pool.ts';

/** Per request unless the caller says otherwise: headers and body within 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Until the whole body is read; 0 disables. */
  timeoutMs: number;
  /** The client's connection pools; without one, the agent client-node built is used. */
  pool?: AgentPool | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** node-fetch's codes for a connection the peer closed before answering. */
const CLOSED = new Set(['ECONNRESET', 'EPIPE']);

/** A node-fetch `FetchError` of type `system` whose cause is a closed connection. */
function closedBeforeAnswer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { type?: unknown; code?: unknown };
  return e.type === 'system' && typeof e.code === 'string' && CLOSED.has(e.code);
}

function headersOf(h: { forEach(cb: (value: string, name: string) => void): void }) {
  const out: Record<string, string> = {};
  h.forEach((value, name) => (out[name] = value));
  return out;
}

/** Sends an authenticated request context; resolves with any status (callers judge it). */
export async function send(ctx: RequestContext, options: SendOptions): Promise<RawResponse> {
  const body = ctx.getBody();
  if (body !== undefined && typeof body !== 'string')
    throw new Error('cluster-runtime sends JSON or text bodies only');
  const method = ctx.getHttpMethod();
  const built = ctx.getAgent();
  const attempt = (agent: unknown): Promise<Response> =>
    fetch(ctx.getUrl(), {
      method,
      headers: ctx.getHeaders(),
      ...(body === undefined ? {} : { body }),
      agent: agent as typeof built,
      timeout: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const pool = options.pool;
  let response: Response;
  try {
    response = await attempt(pool ? pool.agentFor(built) : built);
  } catch (e) {
    // Only the connect-and-headers stage is retried: once a response began, the server acted.
    if (!pool || !IDEMPOTENT.has(method) || !closedBeforeAnswer(e)) throw e;
    response = await attempt(pool.freshAgentFor(built));
  }
  return {
    status: response.status,
    headers: headersOf(response.headers),
    text: await response.text(),
  };
}

/**
 * The same transport as a client-node `HttpLibrary`, for the requests client-node makes
 * itself (`KubernetesObjectApi` discovery), so those time out and share the client's pool.
 */
export function timeoutHttpLibrary(timeoutMs: number, pool?: AgentPool): HttpLibrary {
  return wrapHttpLibrary({
    async send(ctx) {
      const r = await send(ctx, { timeoutMs, pool });
      return new ResponseContext(r.status, r.headers, {
        text: () => Promise.resolve(r.text),
        binary: () => Promise.resolve(Buffer.from(r.text, 'utf8')),
      });
    },
  });
}
