/**
 * Small helpers of the substrate suites (`kube-sim-*.int.test.ts`): running the real kubectl
 * and polling for a condition (bounded, never fixed sleeps).
 *
 * @see ./kube-sim-substrates.ts — kube-sim and the real control plane behind one interface
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `binary` (the real kubectl) with a 60 s cap and a private HOME (its discovery cache);
 * never throws on a non-zero exit.
 */
export function runKubectl(
  args: readonly string[],
  input: string | undefined,
  extraEnv: Record<string, string>,
  home: string | undefined,
  binary: string,
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], {
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
