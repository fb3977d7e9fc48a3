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
import { createHash } from 'node:crypto';
import {
  ensureControlPlane,
  VERSIONS,
  type BuildProgress,
  type ControlPlaneBinaries,
} from './build.ts';
import {
  DEFAULT_NODE,
  ensureObjects,
  metricsServerObjects,
  registerNodes,
  type NodeShape,
} from './cluster-objects.ts';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  schedulerArgs,
  type Layout,
  type Ports,
  type Tuning,
} from './components.ts';
import { egressSelectorConfig, LOOPBACK_ALIAS, startEgressProxy } from './egress.ts';
import { kwokConfig, type StageTiming } from './kwok-stages.ts';
import { ensurePki, type PkiPaths } from './pki-files.ts';
import {
  freePort,
  probe,
  startComponent,
  stopPid,
  waitHealthy,
  type Component,
} from './processes.ts';

export { VERSIONS, ensureControlPlane, type ControlPlaneBinaries } from './build.ts';
export type { StageTiming } from './kwok-stages.ts';
export type { Tuning } from './components.ts';
export type { NodeShape } from './cluster-objects.ts';
export {
  KWOK_NODE_ANNOTATION,
  USAGE_CPU_ANNOTATION,
  USAGE_MEMORY_ANNOTATION,
} from './kwok-stages.ts';

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

export type ComponentName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'metrics-server';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ControlPlane {
  readonly url: string;
  readonly port: number;
  /** Admin kubeconfig text (system:masters). */
  readonly kubeconfig: string;
  /** The same, as a 0600 file. */
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly pki: PkiPaths;
  readonly binaries: ControlPlaneBinaries;
  /** The real kubectl of the same version (admin kubeconfig unless `--kubeconfig` is given). */
  kubectl(
    args: readonly string[],
    options?: { input?: string; kubeconfig?: string },
  ): Promise<KubectlResult>;
  /** Pids of the running components (the CLI's state file). */
  pids(): Record<string, number>;
  /** Stops one component (fault tests: metrics-server down, API server restart). */
  stopComponent(name: ComponentName): Promise<void>;
  /** Starts a stopped component again with the same flags and waits until it is healthy. */
  startComponent(name: ComponentName): Promise<void>;
  stop(): Promise<void>;
}

interface Spec {
  readonly name: ComponentName;
  readonly args: readonly string[];
  readonly healthy: () => Promise<boolean>;
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

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = await ensureControlPlane(
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  const ownDir = options.dataDir === undefined;
  const dataDir = path.resolve(
    options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-cp-')),
  );
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ports: Ports = {
    apiserver: options.port || (await freePort()),
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    controllerManager: await freePort(),
    scheduler: await freePort(),
    kwok: await freePort(),
    metricsServer: await freePort(),
  };
  const url = `https://127.0.0.1:${ports.apiserver}`;
  const pki = ensurePki(path.join(dataDir, 'pki'), { server: url });
  const egressSocket = path.join(
    os.tmpdir(),
    `nodeless-egress-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}.sock`,
  );
  const egressConfigFile = path.join(dataDir, 'egress-selector.yaml');
  fs.writeFileSync(egressConfigFile, egressSelectorConfig(egressSocket));
  const egress = await startEgressProxy(egressSocket);
  const layout: Layout = {
    dataDir,
    pki,
    ports,
    address: '127.0.0.1',
    advertiseAddress: LOOPBACK_ALIAS,
    egressConfigFile,
    ...(options.tuning ? { tuning: options.tuning } : {}),
  };
  const logDir = path.join(dataDir, 'logs');
  const kubeconfigPath = pki.kubeconfig('admin');
  const kubeconfig = fs.readFileSync(kubeconfigPath, 'utf8');
  const adminTls = {
    ca: fs.readFileSync(pki.caCert, 'utf8'),
    cert: fs.readFileSync(pki.cert('admin').cert, 'utf8'),
    key: fs.readFileSync(pki.cert('admin').key, 'utf8'),
  };
  const healthz = (port: number) => async () =>
    (await probe(`https://127.0.0.1:${port}/healthz`)) === 200;

  const kwokDir = path.join(dataDir, 'kwok');
  fs.mkdirSync(path.join(kwokDir, 'exec'), { recursive: true });
  const logsFile = path.join(kwokDir, 'container.log');
  // CRI log format (`<time> <stream> <P|F> <line>`), what KWOK's Logs resource serves, like a
  // kubelet reading containerd's log files.
  if (!fs.existsSync(logsFile))
    fs.writeFileSync(
      logsFile,
      `${new Date().toISOString()} stdout F simulated container output (KWOK)\n`,
    );
  const kwokConfigFile = path.join(kwokDir, 'kwok.yaml');
  fs.writeFileSync(
    kwokConfigFile,
    kwokConfig({
      ...(options.timing ? { timing: options.timing } : {}),
      logsFile,
      execDir: path.join(kwokDir, 'exec'),
    }),
  );
  const metricsDir = path.join(dataDir, 'metrics-server');
  fs.mkdirSync(metricsDir, { recursive: true });

  const specs: Spec[] = [
    {
      name: 'etcd',
      args: etcdArgs(layout),
      healthy: async () => (await probe(`http://127.0.0.1:${ports.etcdClient}/health`)) === 200,
    },
    {
      name: 'kube-apiserver',
      args: apiserverArgs(layout),
      healthy: async () => (await probe(`${url}/readyz`, adminTls)) === 200,
    },
    {
      name: 'kube-controller-manager',
      args: controllerManagerArgs(layout),
      healthy: healthz(ports.controllerManager),
    },
    { name: 'kube-scheduler', args: schedulerArgs(layout), healthy: healthz(ports.scheduler) },
    {
      name: 'kwok',
      args: [
        `--kubeconfig=${pki.kubeconfig('kwok')}`,
        `--config=${kwokConfigFile}`,
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--node-ip=127.0.0.1',
        `--node-port=${ports.kwok}`,
        `--server-address=127.0.0.1:${ports.kwok}`,
        `--tls-cert-file=${pki.kubeletCert}`,
        `--tls-private-key-file=${pki.kubeletKey}`,
        '--node-lease-duration-seconds=40',
        '--cidr=10.42.0.0/16',
      ],
      healthy: async () => (await probe(`https://127.0.0.1:${ports.kwok}/healthz`)) !== 0,
    },
    {
      name: 'metrics-server',
      args: [
        `--kubeconfig=${pki.kubeconfig('metricsServer')}`,
        `--authentication-kubeconfig=${pki.kubeconfig('metricsServer')}`,
        `--authorization-kubeconfig=${pki.kubeconfig('metricsServer')}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.metricsServer}`,
        `--cert-dir=${metricsDir}`,
        '--kubelet-insecure-tls',
        '--kubelet-use-node-status-port',
        '--kubelet-preferred-address-types=InternalIP',
        // k3s runs metrics-server with a 15 s resolution; tests of HPA need fresh samples.
        '--metric-resolution=15s',
        '--v=2',
      ],
      // Live, not ready: /readyz waits for two scrapes (≥ 2 resolutions); tests that need
      // metrics wait for them through the API instead.
      healthy: async () => (await probe(`https://127.0.0.1:${ports.metricsServer}/livez`)) === 200,
    },
  ];
  const wanted = specs.filter((s) => s.name !== 'metrics-server' || options.metrics !== false);
  const running = new Map<ComponentName, Component>();

  const start = async (spec: Spec): Promise<void> => {
    const c = startComponent({
      name: spec.name,
      binary: binaries.path(spec.name),
      args: spec.args,
      logDir,
      detached: options.detached === true,
    });
    running.set(spec.name, c);
    await waitHealthy(c, `${spec.name} to be healthy`, spec.healthy);
  };
  const stopOne = async (name: ComponentName): Promise<void> => {
    const c = running.get(name);
    running.delete(name);
    if (c) await stopPid(c.pid);
  };
  const stopAll = async (): Promise<void> => {
    for (const s of [...wanted].reverse()) await stopOne(s.name);
  };
  // A test process that dies must not leave the control plane behind (unless detached).
  const onExit = () => {
    for (const c of running.values()) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  if (!options.detached) process.once('exit', onExit);

  try {
    for (const spec of wanted) {
      if (spec.name === 'kwok') {
        const count = options.nodes ?? 2;
        const names = Array.from({ length: count }, (_, i) => `node-${i + 1}`);
        await registerNodes(
          kubeconfig,
          names,
          { ...DEFAULT_NODE, ...options.node },
          VERSIONS.kubernetes,
        );
      }
      if (spec.name === 'metrics-server')
        await ensureObjects(kubeconfig, metricsServerObjects(ports.metricsServer));
      await start(spec);
    }
  } catch (e) {
    await stopAll();
    await egress.close();
    throw e;
  }

  return {
    url,
    port: ports.apiserver,
    kubeconfig,
    kubeconfigPath,
    dataDir,
    pki,
    binaries,
    kubectl: (args, o = {}) =>
      runKubectl(
        binaries.path('kubectl'),
        [
          ...(args.includes('--kubeconfig')
            ? []
            : ['--kubeconfig', o.kubeconfig ?? kubeconfigPath]),
          ...args,
        ],
        { ...(o.input === undefined ? {} : { input: o.input }), cwd: dataDir },
      ),
    pids: () => Object.fromEntries([...running].map(([n, c]) => [n, c.pid])),
    stopComponent: stopOne,
    startComponent: async (name) => {
      const spec = wanted.find((s) => s.name === name);
      if (!spec) throw new Error(`unknown component ${name}`);
      if (!running.has(name)) await start(spec);
    },
    stop: async () => {
      await stopAll();
      await egress.close();
      process.removeListener('exit', onExit);
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
