/**
 * One `pods/exec` session on an accepted WebSocket: runs the requested argv in the simulated
 * shell and speaks the channel protocol (common/exec-channel.ts) as the kubelet does — output on
 * 1/2 (with a TTY everything goes to 1, as a terminal merges them), the final status on 3, then a
 * normal close. A TTY session gets a line discipline: echo, backspace, Ctrl-C, Ctrl-D, CR→CRLF.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cri/streaming/remotecommand/exec.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiserver/pkg/util/wsstream/conn.go
 */
import type { WebSocket } from 'ws';
import {
  decodeFrame,
  encodeFrame,
  exitStatus,
  parseResize,
  RESIZE,
  STATUS,
  STDERR,
  STDIN,
  STDOUT,
  type ExecStatus,
} from '@nodeless/common';
import { SHELLS_PRESENT, SimShell, type ShellFacts } from './shell.ts';

export interface ExecRequest {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const PROMPT = '/ # ';
/** Commands the shell runs directly as an argv (no `sh -c`). */
const DIRECT = new Set([
  'hostname',
  'uname',
  'env',
  'printenv',
  'echo',
  'cat',
  'stty',
  'true',
  'false',
]);

/** The kubelet's status for an argv[0] that is not in the image (runc's exec error). */
export function notFoundStatus(binary: string): ExecStatus {
  const message = `Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "${binary}": executable file not found in $PATH: unknown`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'InternalError',
    details: { causes: [{ message }] },
  };
}

/** Runs `req` on `ws` until the command ends or the client goes. */
export function runExecSession(ws: WebSocket, req: ExecRequest, facts: ShellFacts): void {
  const shell = new SimShell({ ...facts, tty: req.tty });
  const send = (stream: number, text: string): void => {
    if (text === '' || ws.readyState !== ws.OPEN) return;
    const out = req.tty ? text.replace(/\r?\n/g, '\r\n') : text;
    if (stream === STDOUT && !req.stdout) return;
    if (stream === STDERR && !req.stderr && !req.tty) return;
    ws.send(encodeFrame(req.tty ? STDOUT : stream, out));
  };
  let finished = false;
  const finish = (status: ExecStatus): void => {
    if (finished) return;
    finished = true;
    if (ws.readyState === ws.OPEN) {
      ws.send(encodeFrame(STATUS, JSON.stringify(status)));
      ws.close(1000);
    }
  };
  const [bin = '', ...args] = req.command;
  const isShell = SHELLS_PRESENT.includes(bin);
  if (isShell && args[0] === '-c') {
    const r = shell.run(args[1] ?? '');
    send(STDOUT, r.stdout);
    send(STDERR, r.stderr);
    finish(exitStatus(req.command, r.exit ?? shell.status));
    return;
  }
  if (!isShell) {
    if (!DIRECT.has(bin)) {
      finish(notFoundStatus(bin));
      return;
    }
    const r = shell.run(req.command.map((w) => `'${w}'`).join(' '));
    send(STDOUT, r.stdout);
    send(STDERR, r.stderr);
    finish(exitStatus(req.command, shell.status));
    return;
  }
  // An interactive shell: lines from stdin until `exit`, Ctrl-D or stdin closing.
  let line = '';
  const runLine = (text: string): void => {
    const r = shell.run(text);
    send(STDOUT, r.stdout);
    send(STDERR, r.stderr);
    if (r.exit !== undefined) finish(exitStatus(req.command, r.exit));
    else if (req.tty) send(STDOUT, PROMPT);
  };
  if (req.tty) send(STDOUT, PROMPT);
  const onInput = (text: string): void => {
    for (const ch of text) {
      if (finished) return;
      if (!req.tty) {
        if (ch === '\n') {
          runLine(line);
          line = '';
        } else line += ch;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        send(STDOUT, '\n');
        const text = line;
        line = '';
        runLine(text);
      } else if (ch === '\x7f' || ch === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          send(STDOUT, '\b \b');
        }
      } else if (ch === '\x03') {
        line = '';
        send(STDOUT, `^C\n${PROMPT}`);
      } else if (ch === '\x04') {
        if (line === '') {
          send(STDOUT, 'exit\n');
          finish(exitStatus(req.command, shell.status));
        }
      } else if (ch >= ' ') {
        line += ch;
        send(STDOUT, ch);
      }
    }
  };
  const decoder = new TextDecoder();
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const frame = decodeFrame(isBinary ? new Uint8Array(raw) : new Uint8Array(raw));
    if (frame === undefined) return;
    if (frame.kind === 'close') {
      if (frame.stream === STDIN && !finished) {
        if (line !== '') runLine(line);
        finish(exitStatus(req.command, shell.status));
      }
      return;
    }
    if (frame.stream === STDIN && req.stdin) onInput(decoder.decode(frame.data, { stream: true }));
    else if (frame.stream === RESIZE) {
      const size = parseResize(frame.data);
      if (size !== undefined) shell.resize(size.cols, size.rows);
    }
  });
  ws.on('close', () => {
    finished = true;
  });
}
