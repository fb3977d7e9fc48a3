/**
 * Helpers for the kube-sim integration suites: a kube-sim per suite, the real kubectl against it,
 * and condition polling (bounded, never fixed sleeps).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim, type KubeSimOptions } from '../src/kube-sim/index.ts';
import { requireOrSkip } from '../src/test-support/require-or-skip.ts';

export const KUBECTL = '/usr/bin/kubectl';

/**
 * True when a suite that drives the real kubectl must skip (it prints why); under CI=true a
 * missing kubectl fails the suite instead (see `requireOrSkip`).
 */
export function skipWithoutKubectl(): boolean {
  return requireOrSkip(
    `the suites that drive the real kubectl, because ${KUBECTL} is missing (apt-get install kubernetes-client; ./scripts/dev.sh installs it)`,
    existsSync(KUBECTL),
  );
}

export interface Harness {
  sim: KubeSim;
  dir: string;
  kubeconfig: string;
  kubectl(
    args: string[],
    input?: string,
    extraEnv?: Record<string, string>,
  ): Promise<KubectlResult>;
  stop(): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function startHarness(options: KubeSimOptions = {}): Promise<Harness> {
  const sim = await startKubeSim({ seed: 7, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-test-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  await writeFile(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  return {
    sim,
    dir,
    kubeconfig,
    kubectl: (args, input, extraEnv) =>
      runKubectl(['--kubeconfig', kubeconfig, ...args], input, extraEnv, dir),
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs kubectl with a 60 s cap; never throws on a non-zero exit. */
export function runKubectl(
  args: string[],
  input?: string,
  extraEnv: Record<string, string> = {},
  home?: string,
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, {
      // A private HOME keeps kubectl's discovery cache per test run.
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home ?? tmpdir(), ...extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Polls `check` until it returns a value other than undefined (bounded by `timeoutMs`). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether the simulation module exists (scenarios needing Running pods depend on it). */
export const hasSimulation = existsSync(new URL('../src/kube-sim/sim/index.ts', import.meta.url));
