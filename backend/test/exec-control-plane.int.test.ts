/**
 * Exec on the real control plane: kube-apiserver v1.36 proxies `pods/exec` to the node's kubelet
 * server, which KWOK's ClusterExec answers by running the command on this machine (testkit
 * README: "KWOK runs exec locally"). Through Nodeless's exec socket (v5 negotiated with the real
 * API server) and through the whole terminal bridge (bash exists here, so the probe stops at
 * bash), a command returns its output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createKubeClient } from '@nodeless/cluster-runtime';
import { parseExitStatus } from '@nodeless/common';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { openExecSocket } from '../src/exec/exec-socket.ts';
import type { TerminalOutput } from '../src/exec/terminal-types.ts';
import { client, startTestBackend, tempDir } from './support.ts';

let cp: ControlPlane;
let backend: RunningBackend;
let dataDir: string;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  const r = await cp.kubectl(
    ['run', 'sh-1', '--image=busybox:1.37', '--restart=Never', '--', 'sleep', '3600'],
    {},
  );
  if (r.code !== 0) throw new Error(r.stderr);
  for (let i = 0; i < 240; i++) {
    const phase = await cp.kubectl(['get', 'pod', 'sh-1', '-o', 'jsonpath={.status.phase}']);
    if (phase.stdout === 'Running') break;
    await sleep(250);
  }
  dataDir = tempDir('exec-cp');
  const file = path.join(dataDir, 'cp.kubeconfig');
  fs.writeFileSync(file, cp.kubeconfig, { mode: 0o600 });
  backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: file } });
}, 900_000);
afterAll(async () => {
  await backend?.close();
  await cp?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('exec on the real control plane (KWOK local exec)', () => {
  it('returns a command’s output and status over v5', async () => {
    const ws = await openExecSocket(
      createKubeClient(cp.kubeconfig),
      {
        namespace: 'default',
        pod: 'sh-1',
        container: 'sh-1',
        command: ['sh', '-c', 'echo hello-$((40+2))'],
        tty: false,
      },
      new AbortController().signal,
    );
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    let stdout = '';
    let status: ReturnType<typeof parseExitStatus> | undefined;
    ws.on('message', (raw: Buffer) => {
      if (raw[0] === 1) stdout += raw.subarray(1).toString();
      if (raw[0] === 3) status = parseExitStatus(raw.subarray(1));
    });
    await new Promise((resolve) => ws.on('close', resolve));
    expect(stdout).toBe('hello-42\n');
    expect(status).toEqual({ exitCode: 0 });
  }, 60_000);

  it('runs a command through the terminal bridge', async () => {
    const [cluster] = await client(backend).workspace.clusters.query();
    const q = new URLSearchParams({
      clusterId: cluster?.id ?? '',
      namespace: 'default',
      pod: 'sh-1',
    });
    const ws = new WebSocket(`${backend.url.replace(/^http/, 'ws')}/api/terminal?${q}`, {
      headers: { cookie: `nodeless_token_${backend.port}=${backend.token}`, origin: backend.url },
    });
    const messages: TerminalOutput[] = [];
    ws.on('message', (raw: Buffer) => messages.push(JSON.parse(String(raw)) as TerminalOutput));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'resize', cols: 100, rows: 30 }));
    const text = () => messages.map((m) => (m.type === 'stdout' ? m.data : '')).join('');
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 300 && !test(); i++) await sleep(50);
      if (!test()) throw new Error(`timed out: ${JSON.stringify(messages)}`);
    };
    await until(() => messages.some((m) => m.type === 'opened'));
    ws.send(JSON.stringify({ type: 'stdin', data: 'echo bridged-$((6*7))\r' }));
    await until(() => text().includes('bridged-42'));
    ws.send(JSON.stringify({ type: 'stdin', data: 'exit 5\r' }));
    await until(() => messages.some((m) => m.type === 'exit' || m.type === 'error'));
    // KWOK reports a local command's non-zero exit as an InternalError naming the status,
    // not as the kubelet's NonZeroExitCode cause (kube-sim and real kubelets do the latter;
    // kubectl against KWOK prints the same error): the bridge passes it on in its words.
    expect(messages.at(-1)).toEqual({
      type: 'error',
      message: expect.stringMatching(/exit status 5$/) as unknown as string,
    });
    expect(messages.find((m) => m.type === 'opened')).toMatchObject({ shell: 'bash' });
  }, 60_000);
});
