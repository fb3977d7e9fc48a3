/**
 * Shared setup of the bootstrap integration tests: a fleet of test hosts, the stand-in airgap
 * bundle, SSH handles as the product opens them (admin account, NOPASSWD sudo), and inline
 * cluster steps (baseline RuntimeClasses, kubeconfig, smoke) driving the real /usr/bin/kubectl
 * with the rewritten kubeconfig.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  baselineRuntimeClasses,
  bootstrapKubeApi,
  rewriteK3sKubeconfig,
  type Sandbox as RuntimeSandbox,
} from '../../cluster-runtime/src/index.ts';
import { writeBundle } from '../../testkit/src/bundle/index.ts';
import { useFleet, type Fleet, type HostInventory } from '../../testkit/src/hosts/index.ts';
import { serverUrl, type BootstrapEvent, type Step } from '@nodeless/common';
import {
  ClusterAccess,
  MemoryJournal,
  kubeconfigStep,
  handlersFor,
  loadBundle,
  planCluster,
  runPlan,
  type BundleArtifact,
  type ClusterSpec,
  type HostHandle,
  type Plan,
  type PlanOptions,
  type RunOutcome,
} from '../src/bootstrap/index.ts';
import {
  MemoryKnownHostsStore,
  establishPrivilege,
  nodeConnectDeps,
  openConnection,
  parseKnownHosts,
} from '../src/index.ts';

const run = promisify(execFile);

export interface BootWorld {
  readonly fleet: Fleet;
  readonly hosts: readonly HostInventory[];
  readonly dir: string;
  readonly bundleDir: string;
  readonly artifacts: BundleArtifact[];
  readonly k3sVersion: string;
  readonly release: () => Promise<void>;
}

export async function setupBootWorld(prefix: string, count: number): Promise<BootWorld> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const bundleDir = join(dir, 'bundle');
  await writeBundle({ outDir: bundleDir });
  const { manifest, artifacts } = await loadBundle(bundleDir);
  const { fleet, release } = await useFleet({ count, prefix });
  return {
    fleet,
    hosts: fleet.inventory().hosts,
    dir,
    bundleDir,
    artifacts,
    k3sVersion: manifest.versions.k3s,
    release: async () => {
      rmSync(dir, { recursive: true, force: true });
      await release();
    },
  };
}

/** Opens product-style handles (SSH as admin, sudo) to the named fleet hosts. */
export async function openHandles(world: BootWorld): Promise<Map<string, HostHandle>> {
  const home = join(world.dir, 'home');
  const deps = nodeConnectDeps({ homeDir: home, ignoreSshConfig: true, env: { USER: 'tester' } });
  const trust = {
    store: new MemoryKnownHostsStore(),
    knownHosts: parseKnownHosts(readFileSync(world.fleet.knownHostsPath, 'utf8'), 'known_hosts'),
  };
  const out = new Map<string, HostHandle>();
  await Promise.all(
    world.hosts.map(async (h) => {
      const connection = await openConnection(
        { host: h.address, user: 'admin', keyPath: h.accounts.admin.keyPath, useAgent: false },
        {
          trust,
          timeouts: { connectMs: 5_000, commandMs: 30_000 },
          keepalive: { intervalMs: 1_000, countMax: 3 },
          retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 500 },
        },
        deps,
      );
      const runner = await establishPrivilege(connection);
      out.set(h.name, { name: h.name, address: h.address, runner, connection });
    }),
  );
  return out;
}

export function closeHandles(hosts: Map<string, HostHandle>): void {
  for (const h of hosts.values()) h.connection.close();
}

export async function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  const r = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], {
    timeout: 30_000,
  });
  return r.stdout;
}

export interface NodeRow {
  name: string;
  ready: boolean;
}
export async function nodes(kubeconfig: string): Promise<NodeRow[]> {
  const list = JSON.parse(await kubectl(kubeconfig, ['get', 'nodes', '-o', 'json'])) as {
    items: Array<{
      metadata: { name: string };
      status?: { conditions?: Array<{ type: string; status: string }> };
    }>;
  };
  return list.items.map((n) => ({
    name: n.metadata.name,
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  }));
}

/**
 * Inline cluster steps (cluster-runtime has no step factories yet): the kubeconfig, written
 * rewritten to `kubeconfigPath` (0600); the baseline RuntimeClasses via kubectl apply; and a
 * smoke step that requires every expected node Ready.
 */
export function clusterSteps(
  name: string,
  access: ClusterAccess,
  kubeconfigPath: string,
  sandboxes: RuntimeSandbox[],
  expectedNodes: () => number,
): { baseline: Step[]; smoke: Step[]; kubeconfig: Step[] } {
  const rewrite = (yaml: string) =>
    rewriteK3sKubeconfig(yaml, name, serverUrl(access.serverAddress));
  const kubeconfig = kubeconfigStep(access, {
    isCurrent: (yaml) =>
      existsSync(kubeconfigPath) && readFileSync(kubeconfigPath, 'utf8') === rewrite(yaml),
    accept: (yaml) => {
      writeFileSync(kubeconfigPath, rewrite(yaml), { mode: 0o600 });
      chmodSync(kubeconfigPath, 0o600);
    },
  });
  // Baseline needs a kubeconfig before the kubeconfig phase: a private copy for itself.
  const adminFile = `${kubeconfigPath}.baseline`;
  const ensureAdmin = async () => {
    const yaml = await access.kubeconfig();
    if (!yaml) throw new Error('no k3s.yaml yet');
    writeFileSync(adminFile, rewrite(yaml), { mode: 0o600 });
    return adminFile;
  };
  const classes = baselineRuntimeClasses(sandboxes);
  const baselineCheck = async () => {
    const out = await kubectl(await ensureAdmin(), ['get', 'runtimeclass', '-o', 'name']);
    const have = out.split('\n').map((l) => l.replace('runtimeclass.node.k8s.io/', '').trim());
    const missing = classes.filter((c) => !have.includes(c.metadata?.name ?? ''));
    return missing.length === 0
      ? { satisfied: true, detail: 'RuntimeClasses in place' }
      : {
          satisfied: false,
          detail: `Will create ${missing.map((c) => c.metadata?.name).join(', ')}`,
        };
  };
  const baseline: Step = {
    key: 'cluster-baseline',
    phase: 'cluster-baseline',
    host: null,
    title: 'RuntimeClasses',
    check: baselineCheck,
    apply: async () => {
      const file = join(kubeconfigPath + '.rc.json');
      writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: classes }));
      // kube-sim serves no OpenAPI schema for every kind: skip client-side validation.
      await kubectl(await ensureAdmin(), ['apply', '--validate=false', '-f', file]);
    },
    verify: baselineCheck,
  };
  const smokeCheck = async () => {
    const list = await nodes(kubeconfigPath);
    const ready = list.filter((n) => n.ready).length;
    return {
      satisfied: ready === expectedNodes(),
      detail: `${ready}/${expectedNodes()} nodes Ready`,
    };
  };
  const smoke: Step = {
    key: 'smoke-test',
    phase: 'smoke-test',
    host: null,
    title: 'Nodes Ready',
    check: smokeCheck,
    apply: () => Promise.resolve(),
    verify: smokeCheck,
  };
  return { baseline: [baseline], smoke: [smoke], kubeconfig: [kubeconfig] };
}

export interface Cluster {
  readonly spec: ClusterSpec;
  readonly plan: Plan;
  readonly access: ClusterAccess;
  readonly hosts: Map<string, HostHandle>;
}

/** Builds spec + plan over freshly opened handles. */
export async function buildCluster(
  world: BootWorld,
  shape: {
    name: string;
    servers: string[];
    agents: string[];
    kubeconfigPath: string;
    /** Default gVisor: test hosts have no usable KVM (DESIGN.md §4 step 9). */
    sandbox?: ClusterSpec['sandbox'];
  },
  options: Omit<PlanOptions, 'bundle' | 'access'> = {},
): Promise<Cluster> {
  const hosts = await openHandles(world);
  const first = hosts.get(shape.servers[0] ?? '') as HostHandle;
  const spec: ClusterSpec = {
    name: shape.name,
    servers: shape.servers,
    agents: shape.agents,
    k3sVersion: world.k3sVersion,
    // Test hosts have no usable KVM: gVisor is the honest sandbox here (DESIGN.md §4 step 9).
    sandbox: shape.sandbox ?? 'gvisor',
    artifacts: { kind: 'bundle', path: world.bundleDir },
    serverAddress: first.address,
  };
  // BOOT_WAIT_MS shortens readiness waits when debugging a failing wait by hand.
  const access = new ClusterAccess(
    first,
    first.address,
    { timeoutMs: Number(process.env.BOOT_WAIT_MS ?? 90_000), intervalMs: 500 },
    // As the backend wires it: the API through cluster-runtime's client.
    { kubeApi: bootstrapKubeApi },
  );
  const steps = clusterSteps(
    shape.name,
    access,
    shape.kubeconfigPath,
    spec.sandbox === 'gvisor' || spec.sandbox === 'auto' ? ['gvisor'] : handlersFor(spec.sandbox),
    () => shape.servers.length + shape.agents.length,
  );
  const plan = planCluster(spec, hosts, steps, {
    bundle: world.artifacts,
    access,
    ...options,
  });
  return { spec, plan, access, hosts };
}

export async function runOnce(
  cluster: Cluster,
  runId: string,
  options: {
    journal?: MemoryJournal;
    onEvent?: (e: BootstrapEvent) => void;
    signal?: AbortSignal;
  } = {},
): Promise<{ outcome: RunOutcome; events: BootstrapEvent[]; journal: MemoryJournal }> {
  const events: BootstrapEvent[] = [];
  const journal = options.journal ?? new MemoryJournal();
  const outcome = await runPlan(cluster.plan, {
    runId,
    journal,
    concurrency: 4,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { outcome, events, journal };
}
