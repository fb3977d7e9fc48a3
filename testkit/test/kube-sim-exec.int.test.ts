/**
 * kube-sim's `pods/exec` driven by the real kubectl (WebSocket, v5): the simulated sh answers
 * about its pod, exit codes come back as kubectl's own, stdin works, a missing binary fails as
 * runc's exec does, and RBAC refuses without `pods/exec`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigYaml } from '../src/kube-sim/kubeconfig.ts';
import { startKubeSim, type KubeSim } from '../src/kube-sim/index.ts';
import { runKubectl, waitFor } from './kube-sim-helpers.ts';

let sim: KubeSim;
let dir: string;
const kubectl = (args: string[], input?: string, kubeconfig = path.join(dir, 'admin')) =>
  runKubectl(['--kubeconfig', kubeconfig, ...args], input, {}, dir, 'kubectl');

beforeAll(async () => {
  sim = await startKubeSim({ timeScale: 10, nodes: 1 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-exec-'));
  fs.writeFileSync(path.join(dir, 'admin'), sim.kubeconfig, { mode: 0o600 });
  const r = await kubectl([
    'run',
    'box',
    '--image=busybox:1.37',
    '--restart=Never',
    '--env=GREETING=hello',
    '--',
    'sleep',
    '1000',
  ]);
  expect(r.stderr).toBe('');
  await waitFor(
    'pod box Running',
    async () => {
      const p = await kubectl(['get', 'pod', 'box', '-o', 'jsonpath={.status.phase}']);
      return p.stdout === 'Running' ? true : undefined;
    },
    30_000,
  );
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('kubectl exec on kube-sim', () => {
  it('answers hostname, uname -r, env and cat /etc/hostname about the pod', async () => {
    expect(await kubectl(['exec', 'box', '--', 'hostname'])).toMatchObject({
      code: 0,
      stdout: 'box\n',
    });
    expect((await kubectl(['exec', 'box', '--', 'cat', '/etc/hostname'])).stdout).toBe('box\n');
    const node = await kubectl([
      'get',
      'node',
      '-o',
      'jsonpath={.items[0].status.nodeInfo.kernelVersion}',
    ]);
    expect((await kubectl(['exec', 'box', '--', 'uname', '-r'])).stdout).toBe(`${node.stdout}\n`);
    const env = (await kubectl(['exec', 'box', '--', 'env'])).stdout;
    expect(env).toMatch(/^HOSTNAME=box$/m);
    expect(env).toMatch(/^GREETING=hello$/m);
    expect(env).toMatch(/^KUBERNETES_SERVICE_HOST=/m);
  });

  it('returns exit codes and not-found as a shell does', async () => {
    expect((await kubectl(['exec', 'box', '--', 'sh', '-c', 'exit 3'])).code).toBe(3);
    const nf = await kubectl(['exec', 'box', '--', 'sh', '-c', 'nope']);
    expect(nf).toMatchObject({
      code: 127,
      stderr: expect.stringContaining('sh: nope: not found') as unknown,
    });
    const bash = await kubectl(['exec', 'box', '--', 'bash']);
    expect(bash.code).toBe(1);
    expect(bash.stderr).toContain('exec: "bash": executable file not found in $PATH');
  });

  it('reads stdin line by line until exit', async () => {
    const r = await kubectl(
      ['exec', '-i', 'box', '--', 'sh'],
      'echo one $HOSTNAME\nexit 4\necho never\n',
    );
    expect(r).toMatchObject({ code: 4, stdout: 'one box\n' });
  });

  it('is refused without create on pods/exec (RBAC, as ≥ 1.35 authorizes a WebSocket exec)', async () => {
    // The user may read pods and `get` pods/exec (the handshake's verb), but not `create` it.
    for (const args of [
      ['create', 'role', 'exec-get', '--verb=get', '--resource=pods,pods/exec'],
      ['create', 'rolebinding', 'exec-get', '--role=exec-get', '--user=reader'],
    ])
      expect((await kubectl(args)).code).toBe(0);
    const user = sim.issueClientCert('reader', []);
    const file = path.join(dir, 'reader');
    fs.writeFileSync(file, kubeconfigYaml({ server: sim.url, caPem: sim.caPem, ...user }), {
      mode: 0o600,
    });
    const r = await kubectl(['exec', 'box', '--', 'hostname'], undefined, file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('User "reader" cannot create resource "pods/exec"');
    expect(sim.openExecSessions()).toBe(0);
  });
});
