/**
 * One terminal: bridges the window's socket (JSON messages, terminal-types.ts) to one `pods/exec`
 * socket on the API server (channel frames, common/exec-channel.ts). It probes for a shell —
 * `bash`, then `sh` — moving on when the runtime cannot start one (the exec fails before any
 * output, or ends with 126/127 as a missing binary does); when neither starts, only this
 * terminal closes, with a message (Headlamp once dropped its whole cluster connection on a
 * failed probe: headlamp#5224). Resizes are replayed to every shell it tries, stdin and stdout
 * pass through, the exit status goes to the window, and both sockets are pinged so a dead peer
 * is noticed. Closing either side closes the other: no API-server socket outlives its window.
 *
 * Stream contents never reach the logger: only that a terminal opened or closed, and where.
 *
 * @see https://github.com/headlamp-k8s/headlamp/issues/5224
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/client-go/tools/remotecommand/websocket.go (heartbeat)
 */
import type { WebSocket } from 'ws';
import {
  decodeFrame,
  encodeFrame,
  encodeResize,
  parseExitStatus,
  STATUS,
  STDERR,
  STDIN,
  STDOUT,
  type ExecOutcome,
} from '@nodeless/common';
import type { Logger } from '../log/logger.ts';
import { ExecRefusedError, type ExecCall } from './exec-socket.ts';
import type { TerminalInput, TerminalOutput } from './terminal-types.ts';

/** Shells tried in order. */
export const SHELLS: readonly string[] = ['bash', 'sh'];
/** Exit codes of a shell that could not be started (POSIX: 126 not executable, 127 not found). */
const NOT_STARTED = new Set([126, 127]);

export interface TerminalDeps {
  /** Opens the exec socket (exec-socket.ts's `openExecSocket` with the cluster's client). */
  open(call: ExecCall, signal: AbortSignal): Promise<WebSocket>;
  logger: Logger;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Keepalive period of both sockets (a peer that misses one pong is dropped). */
  pingMs: number;
}

export interface TerminalTargetResolved {
  clusterId: string;
  namespace: string;
  pod: string;
  container: string;
}

/** What one shell attempt ended with. */
type Attempt =
  | { kind: 'not-started'; why: string }
  | { kind: 'ended'; outcome: ExecOutcome }
  | { kind: 'window-gone' };

/** Runs the terminal until the shell ends or the window goes; resolves when both are closed. */
export async function runTerminal(
  window: WebSocket,
  target: TerminalTargetResolved,
  early: readonly Buffer[],
  deps: TerminalDeps,
): Promise<void> {
  const say = (m: TerminalOutput): void => {
    if (window.readyState === window.OPEN) window.send(JSON.stringify(m));
  };
  const gone = new AbortController();
  window.on('close', () => gone.abort());
  let size: { cols: number; rows: number } | undefined;
  let current: WebSocket | undefined;
  const onMessage = (raw: Buffer): void => {
    const input = parseInput(raw);
    if (input === undefined || current === undefined) {
      if (input?.type === 'resize') size = { cols: input.cols, rows: input.rows };
      return;
    }
    if (input.type === 'resize') {
      size = { cols: input.cols, rows: input.rows };
      send(current, encodeResize(input.cols, input.rows));
    } else send(current, encodeFrame(STDIN, input.data));
  };
  for (const raw of early) onMessage(raw);
  window.on('message', onMessage);
  const keepalive = startKeepalive(deps, () => [window, current]);
  const where = { clusterId: target.clusterId, namespace: target.namespace, pod: target.pod };
  deps.logger.log('info', 'terminal.open', { ...where, container: target.container });
  const failures: string[] = [];
  try {
    for (const shell of SHELLS) {
      const call: ExecCall = { ...target, command: [shell], tty: true };
      let ws: WebSocket;
      try {
        ws = await deps.open(call, gone.signal);
      } catch (error) {
        if (gone.signal.aborted) return;
        say({ type: 'error', message: refusalInWords(error, target) });
        return;
      }
      current = ws;
      say({ type: 'opened', shell, container: target.container, protocol: ws.protocol });
      if (size !== undefined) send(ws, encodeResize(size.cols, size.rows));
      const attempt = await bridge(ws, say, gone.signal);
      current = undefined;
      if (attempt.kind === 'window-gone') return;
      if (attempt.kind === 'ended') {
        if ('exitCode' in attempt.outcome) say({ type: 'exit', code: attempt.outcome.exitCode });
        else say({ type: 'error', message: attempt.outcome.error });
        return;
      }
      failures.push(`${shell}: ${attempt.why}`);
    }
    say({
      type: 'error',
      message: `No shell could start in container "${target.container}" of pod ${target.namespace}/${target.pod} (tried ${SHELLS.join(', then ')}). ${failures.join('; ')}`,
    });
  } finally {
    deps.clearInterval(keepalive);
    current?.terminate();
    if (window.readyState === window.OPEN || window.readyState === window.CONNECTING)
      window.close(1000);
    deps.logger.log('info', 'terminal.closed', where);
  }
}

/** Passes one exec socket's output to the window until it ends. */
function bridge(
  ws: WebSocket,
  say: (m: TerminalOutput) => void,
  gone: AbortSignal,
): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const decoders = new Map([STDOUT, STDERR].map((s) => [s, new TextDecoder()]));
    let output = false;
    let outcome: ExecOutcome | undefined;
    const finish = (a: Attempt): void => {
      gone.removeEventListener('abort', onGone);
      resolve(a);
    };
    const onGone = (): void => {
      ws.terminate();
      finish({ kind: 'window-gone' });
    };
    gone.addEventListener('abort', onGone, { once: true });
    ws.on('message', (raw: Buffer) => {
      const frame = decodeFrame(new Uint8Array(raw));
      if (frame?.kind !== 'data') return;
      const decoder = decoders.get(frame.stream);
      if (decoder !== undefined) {
        const data = decoder.decode(frame.data, { stream: true });
        if (data !== '') {
          output = true;
          say({ type: 'stdout', data });
        }
      } else if (frame.stream === STATUS) outcome = parseExitStatus(frame.data);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (gone.aborted) return;
      if (outcome === undefined)
        return finish({
          kind: 'ended',
          outcome: { error: 'The connection to the API server closed before the shell ended.' },
        });
      const notStarted = !output && ('error' in outcome || NOT_STARTED.has(outcome.exitCode));
      if (notStarted)
        return finish({
          kind: 'not-started',
          why: 'error' in outcome ? outcome.error : `exit code ${outcome.exitCode}`,
        });
      finish({ kind: 'ended', outcome });
    });
  });
}

/** Pings both sockets; one that has not answered the previous ping is dropped. */
function startKeepalive(deps: TerminalDeps, sockets: () => (WebSocket | undefined)[]): unknown {
  const alive = new WeakMap<WebSocket, boolean>();
  return deps.setInterval(() => {
    for (const s of sockets()) {
      if (s === undefined || s.readyState !== s.OPEN) continue;
      if (alive.get(s) === false) {
        s.terminate();
        continue;
      }
      if (!alive.has(s)) s.on('pong', () => alive.set(s, true));
      alive.set(s, false);
      s.ping();
    }
  }, deps.pingMs);
}

function send(ws: WebSocket, data: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(data);
}

/** A window message, or undefined when it is not one of ours. */
export function parseInput(raw: Buffer | string): TerminalInput | undefined {
  try {
    const v = JSON.parse(String(raw)) as Partial<Record<string, unknown>>;
    if (v['type'] === 'stdin' && typeof v['data'] === 'string')
      return { type: 'stdin', data: v['data'] };
    const { cols, rows } = v;
    if (
      v['type'] === 'resize' &&
      Number.isInteger(cols) &&
      Number.isInteger(rows) &&
      (cols as number) > 0 &&
      (rows as number) > 0 &&
      (cols as number) <= 10_000 &&
      (rows as number) <= 10_000
    )
      return { type: 'resize', cols: cols as number, rows: rows as number };
  } catch {
    // Not JSON: ignored like any unknown message.
  }
  return undefined;
}

/** Why the API server refused the terminal, in words the user can act on. */
export function refusalInWords(error: unknown, t: TerminalTargetResolved): string {
  const where = `pod ${t.namespace}/${t.pod}`;
  if (error instanceof ExecRefusedError) {
    if (error.status === 403)
      return `Not allowed to open a terminal in ${where}: the cluster credentials Nodeless uses lack permission to "create" the "pods/exec" subresource in namespace "${t.namespace}" (RBAC). Ask the cluster's admin for a Role granting it. The API server said: ${error.message}`;
    if (error.status === 401)
      return `The cluster did not accept Nodeless's credentials for a terminal (401): ${error.message}`;
    if (error.status === 404) return `No ${where} any more: ${error.message}`;
    return `The cluster refused a terminal in ${where} (${error.status}): ${error.message}`;
  }
  return `Could not reach the API server for a terminal in ${where}: ${error instanceof Error ? error.message : String(error)}`;
}
