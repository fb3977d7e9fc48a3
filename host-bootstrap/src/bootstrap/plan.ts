/**
 * The planner: a cluster spec and the hosts' handles → ordered waves of steps, in k0sctl's
 * proven order (DESIGN.md §4 phases 5–12):
 *
 * prepare-os (all) → stage-artifacts (all, bounded uploads) → k3s-server-init (first server;
 * `cluster-init` when HA) → k3s-server-join (one wave per other server: etcd quorum stays
 * safe) → k3s-agent-join (all agents, one wave) → sandbox-runtime (servers one by one, then
 * the agents together) → cluster-baseline (one step at a time) → kubeconfig → smoke-test.
 *
 * Each k3s step writes the sandbox's containerd files before k3s first starts on its host, so
 * containerd never starts with a config naming a runtime it does not define, and k3s keeps runc
 * as its default runtime (no `default-runtime`; DESIGN.md §4 phase 9).
 *
 * @see https://github.com/k0sproject/k0sctl/blob/main/cmd/apply.go — phase order
 * @see https://docs.k3s.io/datastore/ha-embedded — an odd number of servers, joined one by one
 */
import { sandboxReadiness } from '../preflight/host-rules.ts';
import { ClusterAccess, defaultWait, type WaitPolicy } from './cluster-access.ts';
import type { KubeApiFactory } from './kube-api.ts';
import { BootstrapError } from './errors.ts';
import type { BundleArtifact } from './bundle-manifest.ts';
import type { HostHandle } from './host.ts';
import { k3sVersionProblem, PINNED_K3S_VERSION } from './k3s-version.ts';
import { Semaphore } from './semaphore.ts';
import type { Step } from '@nodeless/common';
import type { ClusterSpec, Plan, SandboxSpec } from './types.ts';
import type { TransferMeter, UploadPolicy } from './upload.ts';
import { bundleKataTarball, onlineRelease } from './plan-artifacts.ts';
import type { Sandbox } from './steps/containerd-template.ts';
import { k3sNodeStep } from './steps/k3s-node.ts';
import { prepareOsStep } from './steps/prepare-os.ts';
import { sandboxRuntimeStep } from './steps/sandbox-runtime.ts';
import { IMAGE_STAGING, stageBundleStep, stageOnlineStep } from './steps/stage-artifacts.ts';

/** Cluster-level steps supplied by the caller (cluster-runtime, composed by the backend). */
export interface ClusterSteps {
  readonly baseline: Step[];
  readonly smoke: Step[];
  readonly kubeconfig?: Step[];
}

/** Engine knobs; every field has a default. */
export interface PlanOptions {
  /** Bundle artifacts (from `loadBundle`) — required when `spec.artifacts.kind === 'bundle'`. */
  readonly bundle?: readonly BundleArtifact[];
  /**
   * Image archives to stage into k3s's images directory on every machine, in either mode (the
   * meter's, from `localArtifact`): uploaded over SFTP like bundle files. A bundle file of the
   * same name wins.
   */
  readonly images?: readonly BundleArtifact[];
  /** At most this many uploads at once across the run (default 2). */
  readonly maxUploads?: number;
  /** Upload chunk size in bytes (default 1 MiB). */
  readonly chunkBytes?: number;
  readonly meter?: TransferMeter;
  readonly wait?: WaitPolicy;
  /** The shared cluster access (tests reuse it to read the token or the API). */
  readonly access?: ClusterAccess;
  /** Kubernetes API access for the default {@link ClusterAccess} (when `access` is not given). */
  readonly kubeApi?: KubeApiFactory;
}

/**
 * Resolves `auto`: Kata with Cloud Hypervisor on hosts that are microVM-ready (facts: KVM
 * usable, vhost modules), else gVisor. Every host must agree, since tenant pods are put into
 * one sandbox RuntimeClass and may be scheduled on any node.
 */
export function resolveSandbox(spec: SandboxSpec, hosts: readonly HostHandle[]): Sandbox {
  if (spec !== 'auto') return spec;
  const ready = hosts.every(
    (h) => h.facts !== undefined && sandboxReadiness(h.facts) === 'microvm-ready',
  );
  return ready ? 'kata-clh' : 'gvisor';
}

/** Validates the spec against the known hosts; throws a BootstrapError naming the problem. */
export function validateSpec(spec: ClusterSpec, hosts: ReadonlyMap<string, HostHandle>): void {
  if (spec.servers.length === 0 || spec.servers.length % 2 === 0) {
    throw new BootstrapError(
      `A cluster needs 1 or an odd number of servers (got ${spec.servers.length}).`,
      { remedy: 'Choose 1 server, or 3 (or 5) for high availability: etcd needs a majority.' },
    );
  }
  const all = [...spec.servers, ...spec.agents];
  const unknown = all.filter((n) => !hosts.has(n));
  if (unknown.length) {
    throw new BootstrapError(`Unknown hosts in the cluster spec: ${unknown.join(', ')}.`, {
      remedy: 'Add and check these machines first, or remove them from the spec.',
    });
  }
  const dup = all.filter((n, i) => all.indexOf(n) !== i);
  if (dup.length) {
    throw new BootstrapError(`Hosts listed twice: ${[...new Set(dup)].join(', ')}.`, {
      remedy: 'A machine is either a server or an agent, once.',
    });
  }
  const versionProblem =
    spec.artifacts.kind === 'online' && !/^v\d+\.\d+\.\d+\+k3s\d+$/.test(spec.k3sVersion)
      ? `"${spec.k3sVersion}" is not a k3s release tag (like ${PINNED_K3S_VERSION})`
      : k3sVersionProblem(spec.k3sVersion);
  if (versionProblem) {
    // The version comes from the cluster file, the install options, or the bundle's manifest.
    throw new BootstrapError(`spec.k3s.version (install option k3sVersion): ${versionProblem}.`, {
      remedy: `Set spec.k3s.version in the cluster file (k3sVersion in the app's install options) to ${PINNED_K3S_VERSION}, or use an airgap bundle built for k3s v1.36 or newer (its manifest.json versions.k3s).`,
    });
  }
}

/** Builds the plan. `hosts` are keyed by host name. */
export function planCluster(
  spec: ClusterSpec,
  hosts: ReadonlyMap<string, HostHandle>,
  cluster: ClusterSteps,
  options: PlanOptions = {},
): Plan {
  validateSpec(spec, hosts);
  const get = (n: string) => hosts.get(n) as HostHandle;
  const servers = spec.servers.map(get);
  const agents = spec.agents.map(get);
  const members = [...servers, ...agents];
  const first = servers[0] as HostHandle;
  const sandbox = resolveSandbox(spec.sandbox, members);
  const kata = sandbox !== 'gvisor';
  const ha = servers.length > 1;
  const access =
    options.access ??
    new ClusterAccess(first, spec.serverAddress, options.wait ?? defaultWait, {
      ...(options.kubeApi ? { kubeApi: options.kubeApi } : {}),
    });

  const policy: UploadPolicy = {
    slots: new Semaphore(options.maxUploads ?? 2),
    chunkBytes: options.chunkBytes ?? 1024 * 1024,
    ...(options.meter ? { meter: options.meter } : {}),
  };
  let stage: (h: HostHandle) => Step[];
  if (spec.artifacts.kind === 'bundle') {
    const artifacts = options.bundle;
    if (!artifacts)
      throw new BootstrapError('The bundle was not loaded.', {
        remedy: 'Load it with loadBundle().',
      });
    const kataTarball = kata ? bundleKataTarball(artifacts) : undefined;
    const needed = artifacts.filter((a) =>
      a.role === 'kata-static' || a.role === 'kata-go-static'
        ? a === kataTarball
        : kata
          ? a.role !== 'runsc' && a.role !== 'runsc-shim'
          : true,
    );
    if (!kata && !needed.some((a) => a.role === 'runsc')) {
      throw new BootstrapError(
        'The bundle has no gVisor runsc, but gVisor is the chosen sandbox.',
        {
          remedy:
            'Use a bundle with runsc and containerd-shim-runsc-v1, or choose a Kata sandbox on KVM-capable hosts.',
        },
      );
    }
    const extra = (options.images ?? []).filter((i) => !needed.some((a) => a.name === i.name));
    stage = (h) => [stageBundleStep(h, [...needed, ...extra], policy)];
  } else {
    const release = onlineRelease(spec.k3sVersion, sandbox, spec.artifacts);
    const images = options.images ?? [];
    // No release carries the meter's image: the desktop uploads it, as a bundle file.
    stage = (h) => [
      stageOnlineStep(h, release),
      ...(images.length ? [stageBundleStep(h, images, policy, IMAGE_STAGING)] : []),
    ];
  }

  const node = { ha, access, sandbox };
  const sandboxStep = (h: HostHandle, role: 'server' | 'agent') =>
    sandboxRuntimeStep(h, { sandbox, role, access });

  const waves: Step[][] = [
    members.map((h) => prepareOsStep(h, { kata })),
    members.flatMap(stage),
    [k3sNodeStep(first, { ...node, role: 'first-server' })],
    ...servers.slice(1).map((h) => [k3sNodeStep(h, { ...node, role: 'join-server' })]),
    agents.map((h) => k3sNodeStep(h, { ...node, role: 'agent' })),
    // The runtime's files are in place since k3s started; should one have drifted, putting it
    // back restarts k3s. Servers go one at a time so an HA control plane keeps its etcd
    // quorum; agents go together.
    ...servers.map((h) => [sandboxStep(h, 'server')]),
    agents.map((h) => sandboxStep(h, 'agent')),
    // Baseline steps build on each other (namespace before the objects in it): one wave each.
    ...cluster.baseline.map((step) => [step]),
    cluster.kubeconfig ?? [],
    cluster.smoke,
  ];
  return { cluster: spec.name, waves: waves.filter((w) => w.length > 0) };
}
