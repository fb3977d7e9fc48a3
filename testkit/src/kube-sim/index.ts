/**
 * kube-sim: an HTTPS Kubernetes API test double that real `kubectl` and
 * `@kubernetes/client-node` accept, driving a simulated cluster (`sim/`). `startKubeSim` wires
 * the store, registry, PKI, authn/authz, HTTP server and the simulation; it returns the URL, an
 * admin kubeconfig and `stop()`.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import type { ServerResponse } from 'node:http';
import { startApiControllers } from './apiserver-controllers.ts';
import { ADMIN_USER, Authenticator } from './auth/authn.ts';
import { createPki } from './auth/certs.ts';
import { RbacAuthorizer } from './auth/rbac.ts';
import { acceleratedClock, type SimClock } from './clock.ts';
import {
  createPodLogs,
  type MetricsProvider,
  type PodLogReadOptions,
  type PodLogs,
  type SimHooks,
} from './hooks.ts';
import { ResourceRegistry } from './registry/registry.ts';
import { GENERATION_RESOURCES } from './registry/resources.ts';
import { admittingStore } from './server/admit-new.ts';
import type { ApiContext } from './server/context.ts';
import { listen } from './server/https.ts';
import { createRouter, type VersionInfo } from './server/router.ts';
import { mulberry32 } from './sim/prng.ts';
import { MemoryStore } from './store/memory-store.ts';
import { createPersistence, loadSnapshot, type Persistence } from './store/persistence.ts';
import type { KubeObject, ObjectStore } from './store/types.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { attachExec } from './exec/serve.ts';

export { MemoryStore } from './store/memory-store.ts';
export type { ObjectStore, KubeObject, ResourceKey } from './store/types.ts';
export type { SimClock } from './clock.ts';
export type { MetricsProvider, PodLogReadOptions, PodLogs, PodLogSink, SimHooks } from './hooks.ts';

export interface KubeSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Simulated nodes (passed to the simulation). */
  nodes?: number;
  /** Persist objects here across restarts. */
  stateDir?: string;
  /** Simulated time runs this many times faster than real time. */
  timeScale?: number;
  /** Extra serving-certificate SANs (IPs or DNS names). */
  extraSans?: string[];
  /** Events kept per resource for watch resume (older versions get 410 Gone). */
  watchWindow?: number;
  seed?: number;
  /** Start the simulated cluster (default true). */
  sim?: boolean;
  /** Real ms between watch bookmarks (default 60,000 like upstream's ~1 min). */
  bookmarkIntervalMs?: number;
  /** Default watch length in real seconds when clients set no timeoutSeconds (default 1800). */
  watchTimeoutSeconds?: number;
  /** Extra options forwarded to `startSimulation`. */
  simOptions?: Record<string, unknown>;
  /** `pods/exec` subprotocols served, best first (default v5 then v4; tests drop v5). */
  execSubprotocols?: readonly string[];
}

export interface KubeSim {
  url: string;
  port: number;
  /** Admin kubeconfig YAML (client certificate, context `kube-sim`). */
  kubeconfig: string;
  caPem: string;
  adminToken: string;
  store: ObjectStore & MemoryStore;
  clock: SimClock;
  logs: PodLogs;
  /** Issues a client certificate for another user (for RBAC tests). */
  issueClientCert(user: string, groups: string[]): { certPem: string; keyPem: string };
  /** Issues a service-account token (as the TokenRequest API does). */
  issueServiceAccountToken(namespace: string, name: string, expirationSeconds?: number): string;
  setMetricsProvider(provider: MetricsProvider): void;
  /** Open `pods/exec` WebSockets (tests check that a client leaves none behind). */
  openExecSessions(): number;
  stop(): Promise<void>;
}

/**
 * The Kubernetes version kube-sim models: the API of the pinned k3s (v1.36.3), marked `-sim` so
 * nobody takes it for the real thing (DESIGN.md §6).
 */
export const SIM_VERSION = 'v1.36.3-sim';

interface SimHandle {
  stop(): Promise<void> | void;
  /** Optional: the simulation's own log store (read/follow by pod and container). */
  logs?: unknown;
  /** Optional: the simulation's metrics source (pods(ns?) / nodes()). */
  metrics?: unknown;
}

interface SimModule {
  startSimulation(args: Record<string, unknown>): SimHandle | Promise<SimHandle>;
}

const hasFns = (o: unknown, ...names: string[]): boolean =>
  o !== null &&
  typeof o === 'object' &&
  names.every((n) => typeof (o as Record<string, unknown>)[n] === 'function');

/** Adapts a simulation-owned log source (read/follow) to the API's PodLogs. */
function adaptLogs(source: unknown, fallback: PodLogs): PodLogs {
  if (!hasFns(source, 'read', 'follow')) return fallback;
  const s = source as {
    read(ns: string, pod: string, container: string, options: PodLogReadOptions): string[];
    follow(
      ns: string,
      pod: string,
      container: string,
      onLine: (l: string) => void,
      options: { timestamps?: boolean },
    ): () => void;
  };
  return {
    append: fallback.append,
    forget: fallback.forget,
    read: (ns, pod, container, options = {}) => s.read(ns, pod, container, options),
    follow: (ns, pod, container, onLine, options = {}) =>
      s.follow(ns, pod, container, onLine, options),
  };
}

/** Adapts a simulation-owned metrics source (pods(ns?) / nodes()) to a MetricsProvider. */
function adaptMetrics(source: unknown): MetricsProvider | undefined {
  if (!hasFns(source, 'pods', 'nodes')) return undefined;
  const s = source as { pods: (ns?: string) => KubeObject[]; nodes: () => KubeObject[] };
  return (resource, ns) => (resource === 'pods' ? s.pods.call(source, ns) : s.nodes.call(source));
}

async function loadSim(): Promise<SimModule | undefined> {
  try {
    // The simulation is another module of kube-sim; a variable specifier keeps this optional.
    const spec = './sim/index.ts';
    return (await import(spec)) as SimModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  const clock = acceleratedClock(options.timeScale ?? 1);
  let persistence: Persistence | undefined;
  const registry = new ResourceRegistry();
  const store = new MemoryStore({
    watchWindow: options.watchWindow ?? 10_000,
    now: () => clock.now(),
    // Seeded (the simulation's own PRNG) so seeded runs name objects identically.
    random: mulberry32(options.seed ?? Date.now()).next,
    onChange: () => persistence?.changed(),
    tracksGeneration: (r) =>
      GENERATION_RESOURCES.has(`${r.group}/${r.resource}`) ||
      registry.lookup(r.group, r.version, r.resource)?.crd !== undefined,
  });
  if (options.stateDir !== undefined) {
    const snap = await loadSnapshot(options.stateDir);
    if (snap !== undefined) store.restore(snap);
    persistence = createPersistence(options.stateDir, () => store.snapshot());
  }
  const pki = createPki(options.extraSans ?? []);
  const authn = new Authenticator({
    serviceAccountUid: (ns, name) =>
      store.getRaw({ group: '', version: 'v1', resource: 'serviceaccounts' }, ns, name)?.metadata
        .uid,
    secretHoldsToken: (ns, secret, token) => {
      const s = store.getRaw({ group: '', version: 'v1', resource: 'secrets' }, ns, secret);
      const data = (s?.['data'] ?? {}) as Record<string, string>;
      return (
        data['token'] !== undefined &&
        Buffer.from(data['token'], 'base64').toString('utf8') === token
      );
    },
  });
  const authz = new RbacAuthorizer({
    list: (r, ns) => store.page(r, ns === undefined ? {} : { namespace: ns }).items,
    get: (r, ns, name) => store.getRaw(r, ns, name),
  });
  const stopControllers = startApiControllers(store, registry, authn, pki.ca.certPem);
  const logs = createPodLogs();
  let metricsProvider: MetricsProvider | undefined;
  let serviceIp = 10;
  const streams = new Set<ServerResponse>();
  const ctx: ApiContext = {
    store,
    registry,
    clock,
    authn,
    authz,
    logs,
    metrics: () => metricsProvider,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    watchTimeoutSeconds: options.watchTimeoutSeconds ?? 1800,
    nextServiceIp: () => {
      serviceIp++;
      return `10.43.${Math.floor(serviceIp / 250) % 250}.${(serviceIp % 250) + 1}`;
    },
    streams,
  };
  const version: VersionInfo = {
    major: '1',
    minor: '36',
    emulationMajor: '1',
    emulationMinor: '36',
    minCompatibilityMajor: '1',
    minCompatibilityMinor: '35',
    gitVersion: SIM_VERSION,
    gitCommit: 'kube-sim',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'kube-sim',
    platform: `${process.platform}/${process.arch}`,
  };
  const listening = await listen(
    {
      host,
      port: options.port ?? 0,
      certPem: pki.server.certPem,
      keyPem: pki.server.keyPem,
      caPem: pki.ca.certPem,
    },
    createRouter(ctx, version),
    streams,
  );
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${listening.port}`;
  const exec = attachExec(
    listening.server,
    ctx,
    options.execSubprotocols === undefined ? {} : { subprotocols: options.execSubprotocols },
  );
  const admin = pki.issueClient(ADMIN_USER, ['system:masters']);
  const setMetricsProvider = (p: MetricsProvider): void => {
    metricsProvider = p;
  };
  let sim: SimHandle | undefined;
  if (options.sim !== false) {
    const mod = await loadSim();
    const hooks: SimHooks = { logs, setMetricsProvider };
    sim = await mod?.startSimulation({
      ...options.simOptions,
      // The simulated controllers create as upstream's do: through admission.
      store: admittingStore(store),
      clock,
      nodes: options.nodes ?? 3,
      seed: options.seed ?? 1,
      hooks,
    });
    ctx.logs = adaptLogs(sim?.logs, logs);
    metricsProvider ??= adaptMetrics(sim?.metrics);
  }
  let stopped = false;
  return {
    url,
    port: listening.port,
    kubeconfig: kubeconfigYaml({
      server: url,
      caPem: pki.ca.certPem,
      certPem: admin.certPem,
      keyPem: admin.keyPem,
    }),
    caPem: pki.ca.certPem,
    adminToken: authn.adminToken,
    store,
    clock,
    logs,
    issueClientCert: (user, groups) => pki.issueClient(user, groups),
    issueServiceAccountToken: (ns, name, seconds = 3600) => {
      const sa = store.getRaw({ group: '', version: 'v1', resource: 'serviceaccounts' }, ns, name);
      if (sa === undefined) throw new Error(`serviceaccount ${ns}/${name} not found`);
      return authn.issueServiceAccountToken({
        namespace: ns,
        name,
        uid: sa.metadata.uid ?? '',
        exp: Math.floor(Date.now() / 1000) + seconds,
      });
    },
    setMetricsProvider,
    openExecSessions: () => exec.open(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await sim?.stop();
      stopControllers();
      exec.close();
      await listening.close();
      await persistence?.flush();
    },
  };
}
