/**
 * `npm run testkit -- kube-sim`: prints exactly `kube-sim ready: <url>` once it accepts requests,
 * writes a 0600 kubeconfig, stops cleanly on SIGTERM, and `--state` keeps objects across restarts.
 * kube-sim's own command, so kube-sim only (the control plane's `control-plane up|down` has its
 * own test); driven by the real kubectl v1.36.3 built with the control plane.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl, waitFor } from './kube-sim-helpers.ts';
import { kubectlBinary } from './kube-sim-substrates.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function startCli(args: string[]): Promise<Running> {
  const child = spawn(TSX, ['testkit/src/cli/main.ts', 'kube-sim', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const line = await waitFor(
    'kube-sim ready line',
    () => {
      if (child.exitCode !== null)
        throw new Error(`kube-sim exited early (${child.exitCode}): ${err}`);
      return /^kube-sim ready: (https:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
    },
    60_000,
  );
  return { child, url: line, exited };
}

describe('kube-sim CLI', () => {
  let dir: string;
  let kubectl: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-cli-'));
    kubectl = await kubectlBinary();
  }, 900_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves, persists with --state, and stops on SIGTERM', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    const state = join(dir, 'state');
    const args = ['--kubeconfig', kubeconfig, '--port', '0', '--state', state, '--no-sim'];
    const first = await startCli(args);
    try {
      expect((await stat(kubeconfig)).mode & 0o777).toBe(0o600);
      const created = await runKubectl(
        ['--kubeconfig', kubeconfig, 'apply', '-f', '-'],
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: persisted}\ndata: {k: v}\n',
        {},
        dir,
        kubectl,
      );
      expect(created.stdout).toContain('configmap/persisted created');
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    const second = await startCli(args);
    try {
      const got = await runKubectl(
        ['--kubeconfig', kubeconfig, 'get', 'configmap', 'persisted', '-o', 'jsonpath={.data.k}'],
        undefined,
        {},
        dir,
        kubectl,
      );
      expect(got.stdout).toBe('v');
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exited).toBe(0);
  });
});
