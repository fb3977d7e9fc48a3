/**
 * `startControlPlane`: the real Kubernetes control plane of k3s v1.36 (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler), KWOK nodes and metrics-server, all on loopback,
 * built from Go modules (see build.ts). Product tests of admission, quotas, RBAC, events,
 * deletion, HPA and metering run against it (DESIGN.md §6).
 *
 * Start order is the dependency order: etcd → kube-apiserver (ready at /readyz) → the
 * controllers and the scheduler → KWOK (nodes and pods) → metrics-server (after its APIService
 * and RBAC exist). `stop()` reverses it and leaves no process or port behind.
 *
 * ```ts
 * const cp = await startControlPlane({ nodes: 2 });
 * await cp.kubectl(['get', 'nodes']);
 * await cp.stop();
 * ```
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ensureControlPlane, type BuildProgress, type ControlPlaneBinaries } from './build.ts';
import type { NodeShape } from './cluster-objects.ts';
import type { Tuning } from './components.ts';
import type { StageTiming } from './kwok-stages.ts';
import { launchControlPlane, type LaunchedControlPlane } from './launch.ts';

export { VERSIONS, ensureControlPlane, type ControlPlaneBinaries } from './build.ts';
export type { StageTiming } from './kwok-stages.ts';
export type { Tuning } from './components.ts';
export type { NodeShape } from './cluster-objects.ts';
export type { ComponentName } from './launch.ts';
export { KWOK_NODE_ANNOTATION } from './kwok-stages.ts';
export { USAGE_CPU_ANNOTATION, USAGE_MEMORY_ANNOTATION } from './kwok-kubelet.ts';

export interface ControlPlaneOptions {
  /** Keeps state here (and keeps it after stop); default: a fresh temp dir, removed at stop. */
  readonly dataDir?: string;
  /** kube-apiserver port; 0/undefined = a free one. */
  readonly port?: number;
  /** KWOK nodes to register (default 2), named `node-1`… */
  readonly nodes?: number;
  readonly node?: Partial<NodeShape>;
  readonly timing?: StageTiming;
  readonly tuning?: Tuning;
  /** Start metrics-server (default true). */
  readonly metrics?: boolean;
  /** Processes in their own process group, surviving this process (the CLI's `up`). */
  readonly detached?: boolean;
  readonly onProgress?: (p: BuildProgress) => void;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ControlPlane extends LaunchedControlPlane {
  readonly binaries: ControlPlaneBinaries;
  /** The real kubectl of the same version (admin kubeconfig unless `--kubeconfig` is given). */
  kubectl(
    args: readonly string[],
    options?: { input?: string; kubeconfig?: string },
  ): Promise<KubectlResult>;
}

/** Runs the real kubectl with a private HOME (no ~/.kube is read), 60 s cap. */
export function runKubectl(
  binary: string,
  args: readonly string[],
  options: { input?: string; cwd?: string } = {},
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const home = options.cwd ?? os.tmpdir();
    const child = spawn(binary, [...args], {
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
    child.stdin.end(options.input ?? '');
  });
}

/** Builds (or reuses) the binaries and starts the control plane on loopback. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = await ensureControlPlane(
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  const ownDir = options.dataDir === undefined;
  const dataDir = path.resolve(
    options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-cp-')),
  );
  const launched = await launchControlPlane({
    binDir: binaries.binDir,
    dataDir,
    network: 'loopback',
    nodes: options.nodes ?? 2,
    ...(options.port ? { ports: { apiserver: options.port } } : {}),
    ...(options.node ? { node: options.node } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.detached === undefined ? {} : { detached: options.detached }),
  });
  return {
    ...launched,
    binaries,
    kubectl: (args, o = {}) =>
      runKubectl(
        binaries.path('kubectl'),
        [
          ...(args.includes('--kubeconfig')
            ? []
            : ['--kubeconfig', o.kubeconfig ?? launched.kubeconfigPath]),
          ...args,
        ],
        { ...(o.input === undefined ? {} : { input: o.input }), cwd: dataDir },
      ),
    stop: async () => {
      await launched.stop();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
