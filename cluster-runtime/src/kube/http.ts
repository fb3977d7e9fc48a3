/**
 * The HTTP transport under the API facade: one JSON request to the API server of a client-node
 * `KubeConfig`, authenticated exactly as client-node does it (`applyToHTTPSOptions`: CA, client
 * certificate, bearer token, exec plugins), with a timeout and an AbortSignal.
 *
 * @see https://github.com/kubernetes-client/javascript/blob/main/src/config.ts (applyToHTTPSOptions)
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  contentType?: string;
  /** Response body type (`application/json` unless asked otherwise, e.g. text for logs). */
  accept?: string;
  signal?: AbortSignal;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export interface Transport {
  /** Resolves with the body text of a 2xx response; rejects with KubeApiError otherwise. */
  request(method: string, path: string, options?: RequestOptions): Promise<string>;
}

/** A non-2xx answer of the API server, carrying its `Status` reason and message. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** True for the API's 404 NotFound. */
export const isNotFound = (e: unknown): boolean => e instanceof KubeApiError && e.code === 404;

function statusError(code: number, text: string, method: string, path: string): KubeApiError {
  let reason = '';
  let message = text.trim();
  try {
    const status = JSON.parse(text) as { reason?: unknown; message?: unknown };
    if (typeof status.reason === 'string') reason = status.reason;
    if (typeof status.message === 'string') message = status.message;
  } catch {
    // Not a Status object (a proxy's HTML page, say): keep the raw text.
  }
  return new KubeApiError(
    code,
    reason,
    `${method} ${path}: ${code}${reason ? ` ${reason}` : ''}: ${message || 'no message'}`,
    method,
    path,
  );
}

/** The transport for a KubeConfig's current context. */
export function httpTransport(kc: KubeConfig): Transport {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster with a server URL');
  const base = new URL(server);
  return {
    async request(method, path, options = {}) {
      const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
      for (const [k, v] of Object.entries(options.query ?? {}))
        if (v !== undefined) url.searchParams.set(k, String(v));
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const opts: https.RequestOptions = {
        method,
        headers: {
          Accept: options.accept ?? 'application/json',
          ...(payload === undefined
            ? {}
            : {
                'Content-Type': options.contentType ?? 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }),
        },
      };
      await kc.applyToHTTPSOptions(opts);
      const timeoutMs = options.timeoutMs ?? 30_000;
      const lib = url.protocol === 'http:' ? http : https;
      return new Promise<string>((resolve, reject) => {
        const req = lib.request(url, { ...opts, signal: options.signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve(text);
            else reject(statusError(code, text, method, url.pathname));
          });
        });
        req.setTimeout(timeoutMs, () =>
          req.destroy(new Error(`${method} ${url.pathname}: no answer within ${timeoutMs} ms`)),
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
