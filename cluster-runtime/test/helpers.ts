/**
 * Helpers for cluster-runtime's integration tests: kube-sim in-process (from testkit), the real
 * kubectl against it, and a step runner that executes check → apply → verify like the
 * bootstrap runner does.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startKubeSim,
  type KubeSim,
  type KubeSimOptions,
} from '../../testkit/src/kube-sim/index.ts';
import { requireOrSkip } from '../../testkit/src/test-support/require-or-skip.ts';
import type { CheckResult, StepContext } from '@nodeless/common';
import type { ClusterStep } from '../src/steps/types.ts';

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

export interface SimEnv {
  sim: KubeSim;
  dir: string;
  /** The real kubectl with the admin kubeconfig, or `kubeconfigPath`; `input` goes to stdin. */
  kubectl(args: string[], kubeconfigPath?: string, input?: string): Promise<KubectlResult>;
  stop(): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function startSim(options: KubeSimOptions = {}): Promise<SimEnv> {
  const sim = await startKubeSim({ seed: 11, nodes: 2, timeScale: 20, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'cluster-runtime-test-'));
  const admin = join(dir, 'admin.kubeconfig');
  await writeFile(admin, sim.kubeconfig, { mode: 0o600 });
  return {
    sim,
    dir,
    kubectl: (args, kubeconfigPath = admin, input) =>
      runKubectl(['--kubeconfig', kubeconfigPath, ...args], dir, input),
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs kubectl (60 s cap, private HOME so no ~/.kube is read); never throws on exit codes. */
export function runKubectl(args: string[], home: string, input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home },
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

export interface RecordingContext extends StepContext {
  progressEvents: { current: number; max: number; description: string }[];
  lines: string[];
}

export function recordingContext(signal = new AbortController().signal): RecordingContext {
  const progressEvents: RecordingContext['progressEvents'] = [];
  const lines: string[] = [];
  return {
    signal,
    progressEvents,
    lines,
    progress: (current, max, description) => progressEvents.push({ current, max, description }),
    log: (line) => lines.push(line),
  };
}

export interface StepOutcome {
  key: string;
  state: 'unchanged' | 'done';
  check: CheckResult;
  verify?: CheckResult;
}

/** check → apply (when unsatisfied) → verify, as the bootstrap runner does; throws on failure. */
export async function runSteps(
  steps: readonly ClusterStep[],
  ctx: StepContext = recordingContext(),
): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  for (const step of steps) {
    const check = await step.check(ctx);
    if (check.satisfied) {
      out.push({ key: step.key, state: 'unchanged', check });
      continue;
    }
    await step.apply(ctx);
    const verify = await step.verify(ctx);
    if (!verify.satisfied) throw new Error(`${step.key}: verify failed: ${verify.detail}`);
    out.push({ key: step.key, state: 'done', check, verify });
  }
  return out;
}
