/**
 * Launching the control plane's processes from a directory of binaries: the part shared by
 * the loopback control plane of the tests (index.ts) and the stand-in k3s server on test
 * hosts, which runs these binaries from its bundle instead of kube-sim. No Go and no build
 * here, so the stand-in's bundle can carry this module.
 *
 * Start order is the dependency order: etcd → kube-apiserver (ready at /readyz) → the
 * controllers and the scheduler → KWOK (nodes and pods) → metrics-server (after its APIService
 * and RBAC exist). `stop()` reverses it and leaves no process or port behind.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueCert, type CertPair } from '../pki/pki.ts';
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
import {
  egressSelectorConfig,
  LOOPBACK_ALIAS,
  startEgressProxy,
  type EgressProxy,
} from './egress.ts';
import { type StageTiming } from './kwok-stages.ts';
import {
  allocatePorts,
  canConnect,
  waitAggregatedGroup,
  waitDefaultServiceAccount,
  waitNodesReady,
  writeKwokFiles,
} from './launch-support.ts';
import { startKubeletFront, type KubeletFront } from './kubelet-front.ts';
import { ensurePki, type PkiPaths } from './pki-files.ts';
import {
  freePort,
  probe,
  startComponent,
  stopPid,
  waitHealthy,
  type Component,
} from './processes.ts';

/** Kubernetes version the binaries report (kept equal to build.ts's pin by a unit test). */
export const KUBERNETES_VERSION = 'v1.36.3';

export type ComponentName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'metrics-server';

export interface LaunchOptions {
  /** Where the binaries are (`etcd`, `kube-apiserver`, …). */
  readonly binDir: string;
  /** State, PKI and logs. */
  readonly dataDir: string;
  /** Fixed ports; the others are free ones on the bind address. */
  readonly ports?: Partial<Ports>;
  /**
   * How the API server reaches processes outside itself (metrics-server, kubelets):
   * - `loopback`: everything on 127.0.0.1; an egress proxy maps the Service alias to loopback;
   * - `{ address }`: a test host's own address (the stand-in k3s); Services point at it.
   */
  readonly network?: 'loopback' | { readonly address: string };
  /** The CA that signs client certificates and CSRs (k3s's client CA); default: a new one. */
  readonly ca?: CertPair;
  /** Extra names on the API server's serving certificate. */
  readonly sans?: readonly string[];
  /** KWOK's kubelet server: where it listens and whether it keeps node leases. */
  readonly kwok?: { readonly address?: string; readonly port?: number; readonly leases?: boolean };
  /** KWOK nodes to register (default 0), named `node-1`… */
  readonly nodes?: number;
  readonly node?: Partial<NodeShape>;
  readonly timing?: StageTiming;
  readonly tuning?: Tuning;
  /** Start metrics-server (default true). */
  readonly metrics?: boolean;
  /** Own process groups, surviving this process (the CLI's `up`). */
  readonly detached?: boolean;
  /** File name of a component's binary in `binDir` (the stand-in k3s prefixes `k3s-`). */
  readonly binaryName?: (component: ComponentName) => string;
}

export interface LaunchedControlPlane {
  readonly url: string;
  readonly port: number;
  readonly kubeconfig: string;
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly pki: PkiPaths;
  /** CA of the API server's serving certificate. */
  readonly caPem: string;
  /** A client certificate the API server accepts for `user` in `groups`. */
  issueClientCert(user: string, groups: readonly string[]): CertPair;
  /** etcd's client URL (plain HTTP on loopback): tests compact or write it directly. */
  readonly etcdUrl: string;
  pids(): Record<string, number>;
  /**
   * Another kube-apiserver on the same etcd (an HA server), on a free port with the same
   * certificates; `kubeconfig` is the admin's pointing at it. Stopped with the rest.
   */
  startExtraApiserver(): Promise<{ url: string; kubeconfig: string; stop(): Promise<void> }>;
  stopComponent(name: ComponentName): Promise<void>;
  startComponent(name: ComponentName): Promise<void>;
  stop(): Promise<void>;
}

interface Spec {
  readonly name: ComponentName;
  readonly args: readonly string[];
  readonly healthy: () => Promise<boolean>;
}

export async function launchControlPlane(options: LaunchOptions): Promise<LaunchedControlPlane> {
  const bin = (name: ComponentName) =>
    path.join(options.binDir, options.binaryName ? options.binaryName(name) : name);
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ports = await allocatePorts(options.ports ?? {});
  const network = options.network ?? 'loopback';
  const loopback = network === 'loopback';
  // Where Services that stand for our processes point, and where those processes listen.
  const serviceAddress = loopback ? LOOPBACK_ALIAS : network.address;
  const listenAddress = loopback ? '127.0.0.1' : network.address;
  const url = `https://127.0.0.1:${ports.apiserver}`;
  const pki = ensurePki(path.join(dataDir, 'pki'), {
    server: url,
    sans: [...(options.sans ?? []), ...(loopback ? [] : [network.address])],
    ...(options.ca ? { ca: options.ca } : {}),
  });

  let egress: EgressProxy | undefined;
  let egressConfigFile: string | undefined;
  if (loopback) {
    // Unix socket paths are limited to 108 bytes: a short name in the temp dir.
    const socket = path.join(
      os.tmpdir(),
      `nodeless-egress-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}.sock`,
    );
    egressConfigFile = path.join(dataDir, 'egress-selector.yaml');
    fs.writeFileSync(egressConfigFile, egressSelectorConfig(socket));
    egress = await startEgressProxy(socket);
  }
  const layout: Layout = {
    dataDir,
    pki,
    ports,
    address: '127.0.0.1',
    advertiseAddress: serviceAddress,
    ...(egressConfigFile ? { egressConfigFile } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  };
  const logDir = path.join(dataDir, 'logs');
  const kubeconfigPath = pki.kubeconfig('admin');
  const kubeconfig = fs.readFileSync(kubeconfigPath, 'utf8');
  const caPem = fs.readFileSync(pki.caCert, 'utf8');
  const adminTls = {
    ca: caPem,
    cert: fs.readFileSync(pki.cert('admin').cert, 'utf8'),
    key: fs.readFileSync(pki.cert('admin').key, 'utf8'),
  };
  const healthz = (port: number) => async () =>
    (await probe(`https://127.0.0.1:${port}/healthz`)) === 200;
  const kwokConfigFile = writeKwokFiles(path.join(dataDir, 'kwok'), options.timing);
  // KWOK serves the kubelet API on a private port; the kubelet front (kubelet-front.ts) holds
  // the public one that nodes advertise.
  const kwokAddress = options.kwok?.address ?? '127.0.0.1';
  const kwokPort = options.kwok?.port ?? ports.kwok;
  const kwokInternal = await freePort();
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
        `--node-ip=${kwokAddress === '0.0.0.0' ? listenAddress : kwokAddress}`,
        `--node-port=${kwokPort}`,
        `--server-address=127.0.0.1:${kwokInternal}`,
        `--tls-cert-file=${pki.kubeletCert}`,
        `--tls-private-key-file=${pki.kubeletKey}`,
        // KWOK keeps the leases of the nodes it heartbeats; nodes whose kubelet (a stand-in
        // agent) holds its own lease must not be taken over, or KWOK skips their pods.
        `--node-lease-duration-seconds=${options.kwok?.leases === false ? 0 : 40}`,
        '--cidr=10.42.0.0/16',
      ],
      // KWOK's server multiplexes TLS and plain HTTP on one port: a connection is enough.
      healthy: () => canConnect('127.0.0.1', kwokInternal),
    },
    {
      name: 'metrics-server',
      args: [
        `--kubeconfig=${pki.kubeconfig('metricsServer')}`,
        `--authentication-kubeconfig=${pki.kubeconfig('metricsServer')}`,
        `--authorization-kubeconfig=${pki.kubeconfig('metricsServer')}`,
        `--bind-address=${listenAddress}`,
        `--secure-port=${ports.metricsServer}`,
        `--cert-dir=${metricsDir}`,
        '--kubelet-insecure-tls',
        '--kubelet-use-node-status-port',
        '--kubelet-preferred-address-types=InternalIP',
        // k3s runs metrics-server with a 15 s resolution; tests of HPA need fresh samples.
        '--metric-resolution=15s',
      ],
      // Live, not ready: /readyz waits for two scrapes (≥ 2 resolutions); tests that need
      // metrics wait for them through the API instead.
      healthy: async () =>
        (await probe(`https://${listenAddress}:${ports.metricsServer}/livez`)) === 200,
    },
  ];
  const wanted = specs.filter((s) => s.name !== 'metrics-server' || options.metrics !== false);
  const running = new Map<ComponentName, Component>();
  const extras = new Set<Component>();

  const start = async (spec: Spec): Promise<void> => {
    const c = startComponent({
      name: spec.name,
      binary: bin(spec.name),
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
  let front: KubeletFront | undefined;
  const stopAll = async (): Promise<void> => {
    await front?.close();
    for (const c of extras) await stopPid(c.pid);
    for (const s of [...wanted].reverse()) await stopOne(s.name);
    await egress?.close();
  };
  // A process that dies must not leave the control plane behind (unless detached).
  const onExit = () => {
    for (const c of [...running.values(), ...extras]) {
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
      if (spec.name === 'kwok' && (options.nodes ?? 0) > 0) {
        const names = Array.from({ length: options.nodes ?? 0 }, (_, i) => `node-${i + 1}`);
        await registerNodes(
          kubeconfig,
          names,
          { ...DEFAULT_NODE, ...options.node },
          KUBERNETES_VERSION,
        );
      }
      if (spec.name === 'metrics-server')
        await ensureObjects(kubeconfig, metricsServerObjects(ports.metricsServer, serviceAddress));
      await start(spec);
      if (spec.name === 'kwok')
        front = await startKubeletFront({
          address: kwokAddress,
          port: kwokPort,
          kwokPort: kwokInternal,
          tls: {
            certPem: fs.readFileSync(pki.kubeletCert, 'utf8'),
            keyPem: fs.readFileSync(pki.kubeletKey, 'utf8'),
          },
          kubeconfig,
        });
      if (spec.name === 'kwok' && (options.nodes ?? 0) > 0)
        await waitNodesReady(kubeconfig, options.nodes ?? 0);
      if (spec.name === 'kube-controller-manager') await waitDefaultServiceAccount(kubeconfig);
      if (spec.name === 'metrics-server')
        await waitAggregatedGroup(kubeconfig, 'v1beta1.metrics.k8s.io', 'metrics.k8s.io');
    }
  } catch (e) {
    await stopAll();
    throw e;
  }

  const caPair = { certPem: caPem, keyPem: fs.readFileSync(pki.caKey, 'utf8') };
  return {
    url,
    port: ports.apiserver,
    kubeconfig,
    kubeconfigPath,
    dataDir,
    pki,
    caPem,
    issueClientCert: (user, groups) =>
      issueCert(caPair, { commonName: user, organizations: groups, client: true }),
    etcdUrl: `http://127.0.0.1:${ports.etcdClient}`,
    pids: () => Object.fromEntries([...running].map(([n, c]) => [n, c.pid])),
    startExtraApiserver: async () => {
      const port = await freePort();
      const extraUrl = `https://127.0.0.1:${port}`;
      const c = startComponent({
        name: `kube-apiserver-${port}`,
        binary: bin('kube-apiserver'),
        args: apiserverArgs({ ...layout, ports: { ...ports, apiserver: port } }),
        logDir,
        detached: options.detached === true,
      });
      extras.add(c);
      const stop = async () => {
        extras.delete(c);
        await stopPid(c.pid);
      };
      const ready = async () => (await probe(`${extraUrl}/readyz`, adminTls)) === 200;
      await waitHealthy(c, 'the extra kube-apiserver to be ready', ready).catch(async (e) => {
        await stop();
        throw e;
      });
      return { url: extraUrl, kubeconfig: kubeconfig.replaceAll(url, extraUrl), stop };
    },
    stopComponent: stopOne,
    startComponent: async (name) => {
      const spec = wanted.find((s) => s.name === name);
      if (!spec) throw new Error(`unknown component ${name}`);
      if (!running.has(name)) await start(spec);
    },
    stop: async () => {
      await stopAll();
      process.removeListener('exit', onExit);
    },
  };
}
