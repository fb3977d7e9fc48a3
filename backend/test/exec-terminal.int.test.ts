/**
 * Terminals end to end on kube-sim: the real backend's `/api/terminal` WebSocket (behind the
 * same guards as every API call) bridging to kube-sim's `pods/exec`, compared with the real
 * `kubectl exec` on the same pod; the bash → sh probe; exit codes; `stty size` following a
 * resize; an RBAC refusal in words; v4 where a server offers no v5; and no API-server socket
 * left open once the window's socket closes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createKubeClient } from '@nodeless/cluster-runtime';
import { startKubeSim, type KubeSim } from '../../testkit/src/kube-sim/index.ts';
import { kubeconfigYaml } from '../../testkit/src/kube-sim/kubeconfig.ts';
import type { RunningBackend } from '../src/backend.ts';
import { openExecSocket } from '../src/exec/exec-socket.ts';
import type { TerminalOutput } from '../src/exec/terminal-types.ts';
import { client, startTestBackend, tempDir } from './support.ts';

let sim: KubeSim;
let dataDir: string;
let backend: RunningBackend;
let clusterId: string;
let kubeconfigFile: string;

const POD = 'shell-1';

beforeAll(async () => {
  sim = await startKubeSim({ timeScale: 10, nodes: 1 });
  dataDir = tempDir('exec-terminal');
  kubeconfigFile = path.join(dataDir, 'demo.kubeconfig');
  fs.writeFileSync(kubeconfigFile, sim.kubeconfig, { mode: 0o600 });
  const kube = createKubeClient(sim.kubeconfig);
  await kube.create(
    { apiVersion: 'v1', kind: 'Pod' },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD, namespace: 'default' },
      spec: {
        containers: [
          { name: 'main', image: 'busybox:1.37', env: [{ name: 'GREETING', value: 'hi' }] },
        ],
      },
    },
  );
  for (let i = 0; i < 200; i++) {
    const pod = await kube.get<{ kind?: string; status?: { phase?: string } }>(
      { apiVersion: 'v1', kind: 'Pod' },
      POD,
      'default',
    );
    if (pod?.status?.phase === 'Running') break;
    await sleep(100);
  }
  backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: kubeconfigFile } });
  const [demo] = await client(backend).workspace.clusters.query();
  clusterId = demo?.id ?? '';
}, 120_000);
afterAll(async () => {
  await backend?.close();
  await sim?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Terminal {
  ws: WebSocket;
  messages: TerminalOutput[];
  text(): string;
  type(data: string): void;
  resize(cols: number, rows: number): void;
  until(test: (m: TerminalOutput[]) => boolean, ms?: number): Promise<void>;
  closed: Promise<void>;
}

function terminalUrl(query: Record<string, string>): string {
  return `${backend.url.replace(/^http/, 'ws')}/api/terminal?${new URLSearchParams(query).toString()}`;
}

function openTerminal(query: Record<string, string>, headers?: Record<string, string>): Terminal {
  const ws = new WebSocket(terminalUrl(query), {
    headers: headers ?? {
      cookie: `nodeless_token_${backend.port}=${backend.token}`,
      origin: backend.url,
    },
  });
  const messages: TerminalOutput[] = [];
  ws.on('message', (raw: Buffer) => messages.push(JSON.parse(String(raw)) as TerminalOutput));
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  const whenOpen = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const send = (m: object): void => {
    void whenOpen.then(() => ws.send(JSON.stringify(m)));
  };
  return {
    ws,
    messages,
    text: () => messages.map((m) => (m.type === 'stdout' ? m.data : '')).join(''),
    type: (data) => send({ type: 'stdin', data }),
    resize: (cols, rows) => send({ type: 'resize', cols, rows }),
    async until(test, ms = 10_000) {
      const end = Date.now() + ms;
      while (!test(messages)) {
        if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
        await sleep(20);
      }
    },
    closed,
  };
}

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfigFile, ...args], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const target = () => ({ clusterId, namespace: 'default', pod: POD });
const has = (type: TerminalOutput['type']) => (m: TerminalOutput[]) =>
  m.some((x) => x.type === type);
const promptCount = (t: Terminal) => t.text().split('/ # ').length - 1;

describe('terminals through the backend', () => {
  it('give what kubectl exec gives: hostname, and exit 3 → 3; bash is missing so sh starts', async () => {
    const viaKubectl = await kubectl(['exec', POD, '--', 'hostname']);
    expect(viaKubectl.code).toBe(0);
    const exit3 = await kubectl(['exec', POD, '--', 'sh', '-c', 'exit 3']);
    expect(exit3.code).toBe(3);

    const t = openTerminal(target());
    await t.until(() => promptCount(t) >= 1);
    expect(
      t.messages.filter((m) => m.type === 'opened').map((m) => m.type === 'opened' && m.shell),
    ).toEqual(['bash', 'sh']);
    t.type('hostname\r');
    await t.until(() => promptCount(t) >= 2);
    const lines = t.text().split('\r\n');
    expect(lines).toContain(viaKubectl.stdout.trim());
    expect(sim.openExecSessions()).toBe(1);
    t.type('exit 3\r');
    await t.until(has('exit'));
    expect(t.messages.at(-1)).toEqual({ type: 'exit', code: 3 });
    await t.closed;
  }, 60_000);

  it('follows resizes (stty size) and runs several terminals at once', async () => {
    const a = openTerminal({ ...target(), container: 'main' });
    const b = openTerminal(target());
    a.resize(100, 30);
    b.resize(80, 24);
    await a.until(() => promptCount(a) >= 1);
    await b.until(() => promptCount(b) >= 1);
    a.type('stty size\r');
    b.type('stty size\r');
    await a.until(() => a.text().includes('30 100'));
    await b.until(() => b.text().includes('24 80'));
    a.resize(132, 43);
    a.type('stty size\r');
    await a.until(() => a.text().includes('43 132'));
    expect(sim.openExecSessions()).toBe(2);
    // Closing one window socket closes its API-server socket only.
    a.ws.close();
    await a.closed;
    for (let i = 0; i < 100 && sim.openExecSessions() > 1; i++) await sleep(20);
    expect(sim.openExecSessions()).toBe(1);
    b.ws.terminate();
    for (let i = 0; i < 100 && sim.openExecSessions() > 0; i++) await sleep(20);
    expect(sim.openExecSessions()).toBe(0);
  }, 60_000);

  it('passes the same guards as every API call: token, Host, Origin', async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(terminalUrl(target()), { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
    expect(await refused({ origin: backend.url })).toBe(401);
    expect(
      await refused({ cookie: `nodeless_token_${backend.port}=wrong`, origin: backend.url }),
    ).toBe(401);
    const cookie = `nodeless_token_${backend.port}=${backend.token}`;
    expect(await refused({ cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await refused({ cookie, origin: backend.url, host: 'evil.example' })).toBe(403);
    expect(await refused({ cookie })).toBe(403);
    expect(sim.openExecSessions()).toBe(0);
  });

  it('explains an RBAC refusal of pods/exec in words', async () => {
    const user = sim.issueClientCert('no-exec', []);
    const viewer = await client(backend).workspace.importKubeconfig.mutate({
      name: 'no-exec',
      text: kubeconfigYaml({ server: sim.url, caPem: sim.caPem, ...user, name: 'no-exec' }),
      context: 'no-exec',
    });
    const t = openTerminal({ ...target(), clusterId: viewer.id, container: 'main' });
    await t.until(has('error'));
    const error = t.messages.find((m) => m.type === 'error');
    expect(error?.type === 'error' && error.message).toMatch(
      /pods\/exec.*RBAC.*User "no-exec" cannot get resource "pods\/exec"/s,
    );
    await t.closed;
  });
});

describe('the exec socket', () => {
  it('speaks v4 where the server offers no v5', async () => {
    const v4only = await startKubeSim({ sim: false, execSubprotocols: ['v4.channel.k8s.io'] });
    try {
      await v4only.store.create(
        { group: '', version: 'v1', resource: 'pods' },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'default' },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
          status: { phase: 'Running' },
        },
      );
      const kube = createKubeClient(v4only.kubeconfig);
      const ws = await openExecSocket(
        kube,
        { namespace: 'default', pod: 'p', container: 'c', command: ['hostname'], tty: false },
        new AbortController().signal,
      );
      expect(ws.protocol).toBe('v4.channel.k8s.io');
      const frames: Buffer[] = [];
      ws.on('message', (raw: Buffer) => frames.push(raw));
      await new Promise((resolve) => ws.on('close', resolve));
      expect(frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([
        [1, 'p\n'],
        [3, '{"metadata":{},"status":"Success"}'],
      ]);
    } finally {
      await v4only.stop();
    }
  });
});
