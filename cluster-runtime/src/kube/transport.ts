/**
 * How a client-node `RequestContext` reaches the API server: node-fetch (the library
 * client-node 1.x itself sends with) with the context's URL, headers, body and TLS agent — the
 * agent and headers come from `KubeConfig.applySecurityAuthentication` (CA, client
 * certificate, bearer token, exec plugins) — plus the two things client-node's own
 * `IsomorphicFetchHttpLibrary` lacks: an AbortSignal and a timeout. Without a timeout an API
 * server that accepts the connection and never answers would hang a bootstrap step forever.
 *
 * client-node builds a fresh agent per request, so no pooled socket outlives a k3s restart.
 *
 * @see https://github.com/kubernetes-client/javascript/blob/release-1.x/src/gen/http/isomorphic-fetch.ts
 * @see https://github.com/node-fetch/node-fetch/tree/2.x#options (`timeout`, `signal`)
 */
import {
  ResponseContext,
  wrapHttpLibrary,
  type HttpLibrary,
  type RequestContext,
} from '@kubernetes/client-node';
import fetch from 'node-fetch';

/** Per request unless the caller says otherwise: headers and body within 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Until the whole body is read; 0 disables. */
  timeoutMs: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
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
  const response = await fetch(ctx.getUrl(), {
    method: ctx.getHttpMethod(),
    headers: ctx.getHeaders(),
    ...(body === undefined ? {} : { body }),
    agent: ctx.getAgent(),
    timeout: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    status: response.status,
    headers: headersOf(response.headers),
    text: await response.text(),
  };
}

/**
 * The same transport as a client-node `HttpLibrary`, for the requests client-node makes
 * itself (`KubernetesObjectApi` discovery), so those time out too.
 */
export function timeoutHttpLibrary(timeoutMs: number): HttpLibrary {
  return wrapHttpLibrary({
    async send(ctx) {
      const r = await send(ctx, { timeoutMs });
      return new ResponseContext(r.status, r.headers, {
        text: () => Promise.resolve(r.text),
        binary: () => Promise.resolve(Buffer.from(r.text, 'utf8')),
      });
    },
  });
}
