/**
 * The terminal WebSocket at {@link TERMINAL_PATH}: one socket per terminal, so a window holds
 * several terminals at once and closing one ends only its exec. http/websocket.ts hands it an
 * upgrade only after the same guards as every API call (Host/Origin, cross-site, token); here
 * the query names the terminal, the cluster's shared connection (its failover and credentials)
 * is held for the terminal's life, and terminal.ts does the rest.
 *
 * @see ./terminal-types.ts
 * @see https://github.com/websockets/ws/blob/master/doc/ws.md#serverhandleupgraderequest-socket-head-callback
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WorkspaceService } from '../clusters/workspace-service.ts';
import type { Logger } from '../log/logger.ts';
import { defaultContainer, type Pod } from '../pods/containers.ts';
import { openExecSocket } from './exec-socket.ts';
import { runTerminal, type TerminalTargetResolved } from './terminal.ts';
import type { TerminalOutput, TerminalTarget } from './terminal-types.ts';

export { TERMINAL_PATH } from './terminal-types.ts';

/** Keystrokes and resizes are tiny; a paste is bounded. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const PING_MS = 15_000;

export interface TerminalServerOptions {
  workspace: Pick<WorkspaceService, 'withConnection'>;
  logger: Logger;
  pingMs?: number;
}

export interface TerminalServer {
  /** Takes over an upgrade that already passed the guards. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open terminals (window sockets). */
  open(): number;
  close(): void;
}

export function createTerminalServer(options: TerminalServerOptions): TerminalServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  return {
    handleUpgrade(req, socket, head) {
      const target = targetOf(req);
      wss.handleUpgrade(req, socket, head, (ws) => {
        // What the window sends while the connection is looked up (its first resize) is kept.
        const early: Buffer[] = [];
        const hold = (raw: Buffer): void => void early.push(raw);
        ws.on('message', hold);
        serve(ws, target, options, () => {
          ws.off('message', hold);
          return early;
        }).catch((error: unknown) => {
          options.logger.log('warn', 'terminal.failed', { error: String(error) });
          closeWith(
            ws,
            `The terminal failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      });
    },
    open: () => wss.clients.size,
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

/** The terminal the upgrade URL names, or what is missing from it. */
export function targetOf(req: Pick<http.IncomingMessage, 'url'>): TerminalTarget | string {
  const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const clusterId = q.get('clusterId');
  const namespace = q.get('namespace');
  const pod = q.get('pod');
  if (!clusterId || !namespace || !pod)
    return 'A terminal needs clusterId, namespace and pod in its URL.';
  const container = q.get('container');
  return { clusterId, namespace, pod, ...(container ? { container } : {}) };
}

async function serve(
  ws: WebSocket,
  target: TerminalTarget | string,
  options: TerminalServerOptions,
  takeEarly: () => Buffer[],
): Promise<void> {
  if (typeof target === 'string') return closeWith(ws, target);
  await options.workspace.withConnection(target.clusterId, async (connection) => {
    const client = connection.provider.current();
    let container = target.container;
    if (container === undefined) {
      const pod = await client.get<Pod>(
        { apiVersion: 'v1', kind: 'Pod' },
        target.pod,
        target.namespace,
      );
      container = pod === undefined ? undefined : defaultContainer(pod);
      if (container === undefined)
        return closeWith(
          ws,
          `No pod ${target.namespace}/${target.pod} with a container to open a terminal in.`,
        );
    }
    const resolved: TerminalTargetResolved = { ...target, container };
    await runTerminal(ws, resolved, takeEarly(), {
      open: (call, signal) => openExecSocket(client, call, signal),
      logger: options.logger,
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
      pingMs: options.pingMs ?? PING_MS,
    });
  });
}

function closeWith(ws: WebSocket, message: string): void {
  const m: TerminalOutput = { type: 'error', message };
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify(m));
    ws.close(1000);
  }
}
