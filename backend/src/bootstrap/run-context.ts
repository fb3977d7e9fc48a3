/**
 * What a bootstrap run stands on before its first step: the run's hosts resolved in the
 * cluster, connected and trusted, and the plan composed on those handles (bundle, smoke image,
 * kernels from the check report, the encrypted kubeconfig store). The preview (checks only)
 * and the background run of {@link ./service.ts} share it. A host that cannot be reached or
 * trusted is reported, not thrown: the preview refuses, a run fails with one step per host.
 *
 * @see ./hosts.ts — `openHandles`
 * @see ./compose.ts — `composePlan`
 */
import type { ConnectDeps, KnownHostsEntry } from '@nodeless/host-bootstrap';
import { smokeImage } from '@nodeless/cluster-runtime';
import { InputError } from '../inventory/errors.ts';
import type { ClusterCheckView } from '../onboarding/types.ts';
import type { ClusterRow } from '../store/clusters.ts';
import type { Store } from '../store/store.ts';
import { composePlan, type ComposeContext } from './compose.ts';
import {
  DEFAULT_BOOTSTRAP_CONCURRENCY,
  loadBundle,
  localArtifact,
  previewPlan,
  type BootstrapEngineOptions,
  type Plan,
  type RunOutcome,
} from './engine.ts';
import { PreconditionError } from './errors.ts';
import {
  openHandles,
  type BootstrapHost,
  type HostOpenFailure,
  type OpenedHandles,
} from './hosts.ts';
import { sqliteKubeconfigStore } from './kubeconfig-store.ts';
import { runHosts, type RunSpec } from './run-spec.ts';
import type { PreviewView } from './types.ts';

/** The outside world the service needs (connections, known_hosts, limits). */
export interface BootstrapEngine {
  connectDeps(): ConnectDeps;
  userKnownHosts(): Promise<readonly KnownHostsEntry[]>;
  readonly options: BootstrapEngineOptions;
}

/** The part of the service's dependencies that opening and composing a run needs. */
export interface RunContextDeps {
  store: Store;
  engine: BootstrapEngine;
  /** Masks registered secrets (the backend's redactor). */
  redact: (text: string) => string;
  /** Registers a secret read during a run (the k3s join token) with the redactor. */
  registerSecret: (plain: string) => void;
  /** The hosts of a cluster, secrets decrypted and registered with the redactor. */
  hosts: (clusterId: string) => BootstrapHost[];
  /** The latest check report of a cluster (sandbox readiness, kernels, blockers). */
  report: (clusterId: string) => ClusterCheckView | null;
}

/** A run's hosts with their handles open; the caller closes `opened` when done. */
export interface OpenedRun {
  hosts: BootstrapHost[];
  opened: OpenedHandles;
  /** Composes the run's plan on the open handles (loading the bundle when there is one). */
  plan(): Promise<Plan>;
}

/** Steps of one wave in flight at once, as the engine options say or the default. */
export function concurrencyOf(engine: BootstrapEngine): number {
  return engine.options.concurrency ?? DEFAULT_BOOTSTRAP_CONCURRENCY;
}

/**
 * Resolves the hosts `spec` needs in `cluster` and opens a handle to each. Throws
 * {@link InputError} for a host id the cluster does not have; unreachable or untrusted hosts
 * come back in `opened.failures`.
 */
export async function openRun(
  deps: RunContextDeps,
  cluster: ClusterRow,
  spec: RunSpec,
): Promise<OpenedRun> {
  const hosts = hostsFor(deps, cluster.id, runHosts(spec));
  const { engine } = deps;
  const opened = await openHandles(hosts, {
    connect: engine.connectDeps(),
    trust: { store: deps.store.knownHostKeys, knownHosts: await engine.userKnownHosts() },
    limits: engine.options.connect,
  });
  return {
    hosts,
    opened,
    plan: async () => composePlan(spec, await composeContext(deps, cluster, spec, opened)),
  };
}

/** Dry run of `spec`: only the checks. Hosts must be reachable and trusted. */
export async function previewRun(
  deps: RunContextDeps,
  cluster: ClusterRow,
  spec: RunSpec,
): Promise<PreviewView> {
  const { hosts, opened, plan } = await openRun(deps, cluster, spec);
  try {
    if (opened.failures.length > 0) {
      throw new PreconditionError(
        'Some hosts cannot be reached or trusted:',
        opened.failures.map((f) =>
          `${labelOf(hosts, f.hostId)}: ${f.message} ${f.remedy ?? ''}`.trim(),
        ),
      );
    }
    const items = await previewPlan(await plan(), {
      concurrency: concurrencyOf(deps.engine),
      redactor: deps.redact,
    });
    const views = items.map((i) => ({
      ...i,
      hostId: i.host,
      hostLabel: i.host === null ? null : labelOf(hosts, i.host),
    }));
    const changes = views.filter((v) => v.willChange).length;
    return { items: views, changes, unchanged: views.length - changes };
  } finally {
    await opened.close();
  }
}

/** The outcome of a run that stopped at connecting: one failed `connect@host` per host. */
export function connectFailedOutcome(
  runId: string,
  failures: readonly HostOpenFailure[],
  redact: (text: string) => string,
): RunOutcome {
  return {
    runId,
    state: 'failed',
    changed: [],
    failed: failures.map((f) => ({
      step: `connect@${f.hostId}`,
      host: f.hostId,
      message: redact(f.message),
      ...(f.remedy ? { remedy: f.remedy } : {}),
    })),
  };
}

/** The outcome of a run that failed before any step (unknown host, bad bundle, …). */
export function planFailedOutcome(
  runId: string,
  error: unknown,
  redact: (text: string) => string,
): RunOutcome {
  const remedy = (error as { remedy?: unknown }).remedy;
  return {
    runId,
    state: 'failed',
    changed: [],
    failed: [
      {
        step: 'plan',
        host: null,
        message: redact(error instanceof Error ? error.message : String(error)),
        ...(typeof remedy === 'string' ? { remedy } : {}),
      },
    ],
  };
}

async function composeContext(
  deps: RunContextDeps,
  cluster: ClusterRow,
  spec: RunSpec,
  opened: OpenedHandles,
): Promise<ComposeContext> {
  const shape = spec.kind === 'reset' ? undefined : spec.shape;
  const loaded =
    shape?.artifacts.kind === 'bundle' && spec.kind !== 'remove-host'
      ? await loadBundle(shape.artifacts.path)
      : undefined;
  const report = deps.report(cluster.id);
  const hostKernels = (report?.hosts ?? []).flatMap((h) => (h.facts ? [h.facts.kernel] : []));
  return {
    clusterName: cluster.name,
    handles: opened.handles,
    bundle: loaded?.artifacts,
    images:
      shape && spec.kind !== 'remove-host' && deps.engine.options.meterImageArchive
        ? [await localArtifact(deps.engine.options.meterImageArchive)]
        : [],
    smokeImage: smokeImage(loaded?.manifest.images),
    engine: deps.engine.options,
    kubeconfig: sqliteKubeconfigStore(deps.store, cluster.id, shape),
    hostKernels,
    registerSecret: deps.registerSecret,
  };
}

function hostsFor(
  deps: RunContextDeps,
  clusterId: string,
  ids: readonly string[],
): BootstrapHost[] {
  const all = deps.hosts(clusterId);
  return ids.map((id) => {
    const h = all.find((x) => x.id === id);
    if (!h) throw new InputError({ hostIds: `no host "${id}" in this cluster` });
    return h;
  });
}

function labelOf(hosts: readonly BootstrapHost[], id: string): string {
  return hosts.find((h) => h.id === id)?.label ?? id;
}
