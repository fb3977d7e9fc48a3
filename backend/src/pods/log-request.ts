/**
 * One `GET /api/v1/namespaces/{ns}/pods/{name}/log` with its body streamed, not buffered:
 * cluster-runtime's client reads whole bodies (right for objects, wrong for `follow=true`,
 * which never ends), so this sends the request itself with the client's own KubeConfig for
 * TLS and credentials (CA, client certificate, bearer token, exec plugins) — the same
 * authentication every other call of the connection uses.
 *
 * Every request has its own agent (KubeConfig builds one per call) and ends with it: when the
 * body ends or `signal` aborts, the socket is destroyed, so no connection outlives its stream.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 * @see https://nodejs.org/api/https.html#httpsrequesturl-options-callback (`signal`)
 */
import http, { type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import type { KubeClient } from '@nodeless/cluster-runtime';

/** The query of a log request (kubectl logs' flags). */
export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339, whole seconds (reopening a stream the server closed). */
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
}

/** A refusal of the log endpoint: its HTTP status and the API's own message. */
export class LogRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LogRequestError';
  }
}

/** The body of a refusal is a Status; only its first bytes are read. */
const MAX_ERROR_BYTES = 64 * 1024;

/** The URL of a log request under the client's current server (a path prefix kept). */
export function logUrl(server: string, r: LogRequest): URL {
  const base = server.replace(/\/+$/, '');
  const path = `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/log`;
  const url = new URL(base + path);
  const q = url.searchParams;
  q.set('container', r.container);
  if (r.follow) q.set('follow', 'true');
  if (r.previous) q.set('previous', 'true');
  if (r.timestamps) q.set('timestamps', 'true');
  if (r.tailLines !== undefined) q.set('tailLines', String(r.tailLines));
  if (r.sinceSeconds !== undefined) q.set('sinceSeconds', String(r.sinceSeconds));
  if (r.sinceTime !== undefined) q.set('sinceTime', r.sinceTime);
  if (r.limitBytes !== undefined) q.set('limitBytes', String(r.limitBytes));
  return url;
}

/**
 * Opens the log stream; resolves with the 200 response's body (a readable the caller consumes
 * and may pause), rejects with {@link LogRequestError} for any other status.
 */
export async function openLog(
  client: Pick<KubeClient, 'config'>,
  r: LogRequest,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const server = client.config.getCurrentCluster()?.server;
  if (!server) throw new Error('the cluster has no server URL');
  const url = logUrl(server, r);
  // As kubectl asks: kube-apiserver refuses a bare `Accept: text/plain` here with a 406.
  const options: RequestOptions = { headers: { Accept: 'application/json, */*' } };
  await client.config.applyToHTTPSOptions(options);
  signal.throwIfAborted();
  const send = url.protocol === 'http:' ? http.request : https.request;
  const agent = options.agent;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, { ...options, method: 'GET', signal }, (res) => {
      if (res.statusCode === 200) return resolve(res);
      readStatus(res).then(
        (message) => reject(new LogRequestError(res.statusCode ?? 0, message)),
        reject,
      );
    });
    req.on('error', reject);
    req.on('close', () => {
      // The agent was made for this request alone; nothing may keep its socket.
      if (agent && typeof agent === 'object' && 'destroy' in agent) agent.destroy();
    });
    req.end();
  });
}

/** The `message` of a Status body (or the body's text), bounded. */
async function readStatus(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    text += String(chunk);
    if (text.length > MAX_ERROR_BYTES) {
      res.destroy();
      break;
    }
  }
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // Not a Status: the text itself says what happened.
  }
  return text.trim() || `HTTP ${res.statusCode ?? 0}`;
}
