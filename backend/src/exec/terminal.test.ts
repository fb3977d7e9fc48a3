import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { encodeFrame, STATUS, STDOUT } from '@nodeless/common';
import type { Logger } from '../log/logger.ts';
import { ExecRefusedError, type ExecCall } from './exec-socket.ts';
import { parseInput, refusalInWords, runTerminal, type TerminalDeps } from './terminal.ts';
import type { TerminalOutput } from './terminal-types.ts';

/** Just what terminal.ts uses of a ws socket. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readonly CONNECTING = 0;
  readyState = 1;
  protocol = 'v5.channel.k8s.io';
  sent: (string | Uint8Array)[] = [];
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.end();
  }
  terminate(): void {
    this.end();
  }
  ping(): void {}
  end(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close');
  }
  /** The API side: frames then a close. */
  reply(...frames: Uint8Array[]): void {
    setImmediate(() => {
      for (const f of frames) this.emit('message', Buffer.from(f));
      this.end();
    });
  }
}

const logged: { event: string; fields: unknown }[] = [];
const logger: Logger = { log: (_l, event, fields) => void logged.push({ event, fields }) };
const target = { clusterId: 'c', namespace: 'ns', pod: 'p', container: 'main' };
const status = (o: object) => encodeFrame(STATUS, JSON.stringify(o));

function deps(open: TerminalDeps['open']): TerminalDeps {
  return { open, logger, setInterval: () => 0, clearInterval: () => undefined, pingMs: 1000 };
}

function windowSocket(): { ws: WebSocket; said: () => TerminalOutput[]; fake: FakeSocket } {
  const fake = new FakeSocket();
  const said = () => fake.sent.map((s) => JSON.parse(String(s)) as TerminalOutput);
  return { ws: fake as unknown as WebSocket, said, fake };
}

describe('runTerminal', () => {
  it('falls back from bash to sh, passes output and the exit status, logs no contents', async () => {
    const calls: ExecCall[] = [];
    const win = windowSocket();
    await runTerminal(
      win.ws,
      target,
      [Buffer.from(JSON.stringify({ type: 'resize', cols: 90, rows: 20 }))],
      deps(async (call) => {
        calls.push(call);
        const api = new FakeSocket();
        if (call.command[0] === 'bash')
          api.reply(status({ status: 'Failure', reason: 'InternalError', message: 'no bash' }));
        else
          api.reply(
            encodeFrame(STDOUT, 'secret-output\n'),
            status({
              status: 'Failure',
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: '3' }] },
            }),
          );
        return api as unknown as WebSocket;
      }),
    );
    expect(calls.map((c) => [c.command, c.tty])).toEqual([
      [['bash'], true],
      [['sh'], true],
    ]);
    expect(win.said()).toEqual([
      { type: 'opened', shell: 'bash', container: 'main', protocol: 'v5.channel.k8s.io' },
      { type: 'opened', shell: 'sh', container: 'main', protocol: 'v5.channel.k8s.io' },
      { type: 'stdout', data: 'secret-output\n' },
      { type: 'exit', code: 3 },
    ]);
    expect(win.fake.readyState).toBe(3);
    expect(JSON.stringify(logged)).not.toContain('secret-output');
  });

  it('closes only this terminal, in words, when no shell starts (126/127 count as missing)', async () => {
    const win = windowSocket();
    await runTerminal(
      win.ws,
      target,
      [],
      deps(async (call) => {
        const api = new FakeSocket();
        api.reply(
          call.command[0] === 'bash'
            ? status({ status: 'Failure', reason: 'InternalError', message: 'bash: not found' })
            : status({
                status: 'Failure',
                reason: 'NonZeroExitCode',
                details: { causes: [{ reason: 'ExitCode', message: '127' }] },
              }),
        );
        return api as unknown as WebSocket;
      }),
    );
    const last = win.said().at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.message).toMatch(
      /No shell could start in container "main" of pod ns\/p \(tried bash, then sh\)\. bash: bash: not found; sh: exit code 127/,
    );
    expect(win.fake.readyState).toBe(3);
  });

  it('ends the API socket when the window goes', async () => {
    const win = windowSocket();
    const api = new FakeSocket();
    const done = runTerminal(
      win.ws,
      target,
      [],
      deps(async () => api as unknown as WebSocket),
    );
    await new Promise((r) => setImmediate(r));
    expect(api.readyState).toBe(1);
    win.fake.end();
    await done;
    expect(api.readyState).toBe(3);
  });
});

describe('window input and refusals', () => {
  it('accepts stdin and sane resizes only', () => {
    expect(parseInput('{"type":"stdin","data":"ls\\r"}')).toEqual({ type: 'stdin', data: 'ls\r' });
    expect(parseInput('{"type":"resize","cols":80,"rows":24}')).toEqual({
      type: 'resize',
      cols: 80,
      rows: 24,
    });
    expect(parseInput('{"type":"resize","cols":0,"rows":24}')).toBeUndefined();
    expect(parseInput('{"type":"resize","cols":1.5,"rows":24}')).toBeUndefined();
    expect(parseInput('{"type":"stdin"}')).toBeUndefined();
    expect(parseInput('not json')).toBeUndefined();
  });

  it('explains RBAC, missing pods and unreachable servers', () => {
    expect(refusalInWords(new ExecRefusedError(403, 'forbidden: …'), target)).toMatch(
      /^Not allowed to open a terminal in pod ns\/p: .*"create" the "pods\/exec" subresource in namespace "ns" \(RBAC\).*forbidden: …$/,
    );
    expect(refusalInWords(new ExecRefusedError(404, 'pods "p" not found'), target)).toBe(
      'No pod ns/p any more: pods "p" not found',
    );
    expect(refusalInWords(new Error('ECONNREFUSED'), target)).toBe(
      'Could not reach the API server for a terminal in pod ns/p: ECONNREFUSED',
    );
  });
});
