/**
 * Opens one `pods/exec` WebSocket to the API server with the connection's own KubeConfig for
 * TLS and credentials (CA, client certificate, bearer token, exec plugins) — the same
 * authentication every other call of the connection uses; no kubectl. Offers
 * `v5.channel.k8s.io` then `v4.channel.k8s.io`: a server without v5 picks v4 from the offer,
 * and one that refuses the offer outright (a 400 naming the protocols) is asked again with v4
 * alone. A refusal comes back as {@link ExecRefusedError} with the API's own Status message.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#create-connect-exec-of-pod
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/client-go/tools/remotecommand/websocket.go
 * @see https://github.com/websockets/ws/blob/master/doc/ws.md#event-unexpected-response
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket, type ClientOptions } from 'ws';
import type { KubeClient } from '@nodeless/cluster-runtime';
import { EXEC_SUBPROTOCOLS } from '@nodeless/common';

/** What to run where. */
export interface ExecCall {
  namespace: string;
  pod: string;
  container: string;
  command: readonly string[];
  tty: boolean;
}

/** The API server refused the exec (its HTTP status and Status message). */
export class ExecRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExecRefusedError';
  }
}

/** A refusal's body is a small Status; more is not read. */
const MAX_ERROR_BYTES = 64 * 1024;

/** The exec URL under the server (a path prefix kept), as client-go builds it. */
export function execUrl(server: string, call: ExecCall): URL {
  const base = server.replace(/\/+$/, '').replace(/^http/, 'ws');
  const url = new URL(
    `${base}/api/v1/namespaces/${encodeURIComponent(call.namespace)}/pods/${encodeURIComponent(call.pod)}/exec`,
  );
  const q = url.searchParams;
  for (const word of call.command) q.append('command', word);
  q.set('container', call.container);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  // A TTY merges stderr into stdout; the kubelet refuses both at once.
  q.set('stderr', call.tty ? 'false' : 'true');
  q.set('tty', call.tty ? 'true' : 'false');
  return url;
}

/** Opens the exec socket (v5 first, v4 where v5 is refused). */
export async function openExecSocket(
  client: Pick<KubeClient, 'config'>,
  call: ExecCall,
  signal: AbortSignal,
): Promise<WebSocket> {
  try {
    return await connect(client, call, EXEC_SUBPROTOCOLS, signal);
  } catch (error) {
    if (
      error instanceof ExecRefusedError &&
      error.status === 400 &&
      /protocol/i.test(error.message)
    )
      return connect(client, call, ['v4.channel.k8s.io'], signal);
    throw error;
  }
}

async function connect(
  client: Pick<KubeClient, 'config'>,
  call: ExecCall,
  protocols: readonly string[],
  signal: AbortSignal,
): Promise<WebSocket> {
  const server = client.config.getCurrentCluster()?.server;
  if (!server) throw new Error('the cluster has no server URL');
  const options: ClientOptions = {};
  await client.config.applyToHTTPSOptions(options);
  signal.throwIfAborted();
  const agent = options.agent;
  const ws = new WebSocket(execUrl(server, call), [...protocols], options);
  // The agent was made for this socket alone; nothing may keep a connection after it.
  ws.once('close', () => {
    if (agent && typeof agent === 'object' && 'destroy' in agent) agent.destroy();
  });
  return new Promise<WebSocket>((resolve, reject) => {
    const onAbort = (): void => {
      ws.terminate();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal.removeEventListener('abort', onAbort);
    ws.once('open', () => {
      done();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      done();
      const fail = (error: Error): void => {
        reject(error);
        ws.terminate();
      };
      readStatus(res).then(
        (message) => fail(new ExecRefusedError(res.statusCode ?? 0, message)),
        fail,
      );
    });
    // Not `once`: terminating a refused handshake reports one more error, already answered.
    ws.on('error', (error) => {
      done();
      reject(error);
    });
  });
}

/** The `message` of a Status body (or the body's text), bounded. */
async function readStatus(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    text += String(chunk);
    if (text.length > MAX_ERROR_BYTES) break;
  }
  res.destroy();
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // Not a Status: the text itself says what happened.
  }
  return text.trim() || `HTTP ${res.statusCode ?? 0}`;
}
