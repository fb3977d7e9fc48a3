/**
 * Composes a run's plan from host-bootstrap's host steps and cluster-runtime's cluster steps
 * (DESIGN.md §4 phases 5–12): prepare-os … sandbox-runtime per host, then the baseline
 * (namespace, RuntimeClasses, nodes Ready, policies, the meter), the kubeconfig (fetched with
 * sudo from the first server, rewritten to the reachable address with context = cluster
 * name, handed to the caller's sink to be stored encrypted) and the smoke test. Day 2: the
 * same plan filtered to the added hosts (join only), remove (cordon, drain, delete node, then
 * uninstall), reset (uninstall everywhere).
 *
 * @see ../../../host-bootstrap/src/bootstrap/plan.ts — `planCluster`
 * @see ../../../cluster-runtime/src/baseline/steps.ts — `baselineSteps`
 * @see ../../../cluster-runtime/src/smoke/smoke-test.ts — `smokeTestStep`
 * @see ../../../cluster-runtime/src/day2/drain.ts — `removeNode`
 */
import path from 'node:path';
import {
  adminKubeconfig,
  baselineSteps,
  bootstrapKubeApi,
  createKubeClient,
  METER_VERSION,
  meterImage,
  refreshPolicyMachines,
  removeNode,
  RESOURCES,
  smokeTestStep,
  type ClusterStep,
} from '@nodeless/cluster-runtime';
import type { Step } from '@nodeless/common';
import {
  BootstrapError,
  ClusterAccess,
  defaultWait,
  handlersFor,
  kubeconfigStep,
  nodeName,
  planCluster,
  uninstallStep,
  type BootstrapEngineOptions,
  type BundleArtifact,
  type HostHandle,
  type Plan,
} from './engine.ts';
import type { ClusterShape, RunSpec } from './run-spec.ts';

/** Where the kubeconfig goes: the caller rewrites nothing, stores what it is given. */
export interface KubeconfigStore {
  /** True when the stored kubeconfig is exactly `kubeconfig` (rewritten form). */
  isCurrent(kubeconfig: string): boolean;
  accept(kubeconfig: string): void;
  /** The stored admin kubeconfig (decrypted), or undefined. */
  stored(): string | undefined;
}

export interface ComposeContext {
  clusterName: string;
  handles: ReadonlyMap<string, HostHandle>;
  bundle?: readonly BundleArtifact[] | undefined;
  /** Image archives staged into k3s's images dir in either mode (the meter's). */
  images?: readonly BundleArtifact[];
  engine: BootstrapEngineOptions;
  kubeconfig: KubeconfigStore;
  /** What the smoke test runs: preloaded by the bundle, or pulled online. */
  smokeImage: string;
  /** Kernel releases of the hosts (check report facts), for the smoke test's verdict. */
  hostKernels: readonly string[];
  /** Registers a secret read during the run (the join token) with the log redactor. */
  registerSecret: (plain: string) => void;
}

/** A cluster step that needs the admin kubeconfig: fetched (and rewritten) before each call. */
function withAdmin(step: ClusterStep, refresh: () => Promise<void>): Step {
  return {
    key: step.key,
    phase: step.phase,
    host: step.host,
    title: step.title,
    check: async (ctx) => (await refresh(), step.check(ctx)),
    apply: async (ctx) => (await refresh(), step.apply(ctx)),
    verify: async (ctx) => (await refresh(), step.verify(ctx)),
  };
}

function installPlan(shape: ClusterShape, ctx: ComposeContext): Plan {
  const first = ctx.handles.get(shape.servers[0] ?? '');
  if (!first) throw new BootstrapError('The cluster has no first server.');
  const wait = ctx.engine.wait;
  // The join token is registered the moment it is read: step logs, events and API answers
  // pass through the redactor, which must know it before any of them could carry it.
  // The API is reached through cluster-runtime's client (host-bootstrap only defines the port).
  const access = new ClusterAccess(first, shape.serverAddress, wait ?? defaultWait, {
    onSecret: ctx.registerSecret,
    kubeApi: bootstrapKubeApi,
  });
  let admin: string | undefined;
  const refresh = async () => {
    const yaml = await access.kubeconfig();
    if (!yaml) {
      throw new BootstrapError(`No kubeconfig on ${first.address} yet.`, {
        remedy: 'Install the first server first (the plan does this in order).',
      });
    }
    admin = adminKubeconfig(yaml, ctx.clusterName, shape.serverAddress);
  };
  const kubeconfig = () => {
    if (admin === undefined) throw new Error('the admin kubeconfig was not fetched');
    return admin;
  };
  const baseline = baselineSteps({
    kubeconfig,
    sandboxes: handlersFor(shape.sandbox),
    // Every tenant pod's RuntimeClass: the one chosen, not the first handler installed.
    sandbox: shape.sandbox,
    expectedNodes: shape.servers.length + shape.agents.length,
    ...(ctx.engine.nodesReadyTimeoutMs
      ? { nodesReadyTimeoutMs: ctx.engine.nodesReadyTimeoutMs }
      : {}),
    // Every install gets the meter (issue 15: "the baseline step installs and upgrades it"). The
    // step never waits for it to run: its leader turns the finalizer on once it does.
    meter: {
      image: meterImage(METER_VERSION),
      ...(ctx.engine.meterImageArchive
        ? { imageArchive: path.basename(ctx.engine.meterImageArchive) }
        : {}),
    },
  }).map((s) => withAdmin(s, refresh));
  const smoke = withAdmin(
    smokeTestStep({
      kubeconfig,
      sandbox: shape.sandbox,
      image: ctx.smokeImage,
      hostKernels: () => ctx.hostKernels,
      ...(ctx.engine.smokeTimeoutMs ? { timeoutMs: ctx.engine.smokeTimeoutMs } : {}),
    }),
    refresh,
  );
  const rewrite = (yaml: string) => adminKubeconfig(yaml, ctx.clusterName, shape.serverAddress);
  const fetch = kubeconfigStep(access, {
    isCurrent: (yaml) => ctx.kubeconfig.isCurrent(rewrite(yaml)),
    accept: (yaml) => ctx.kubeconfig.accept(rewrite(yaml)),
  });
  return planCluster(
    {
      name: ctx.clusterName,
      servers: shape.servers,
      agents: shape.agents,
      k3sVersion: shape.k3sVersion,
      sandbox: shape.sandbox,
      artifacts: shape.artifacts,
      serverAddress: shape.serverAddress,
    },
    ctx.handles,
    { baseline: baseline, smoke: [smoke], kubeconfig: [fetch] },
    {
      access,
      ...(ctx.bundle ? { bundle: ctx.bundle } : {}),
      ...(ctx.images?.length ? { images: ctx.images } : {}),
      ...(wait ? { wait } : {}),
    },
  );
}

/** A client on the stored admin kubeconfig (day-2 runs: the cluster is installed). */
function storedClient(ctx: ComposeContext) {
  const admin = ctx.kubeconfig.stored();
  if (!admin) {
    throw new BootstrapError('No kubeconfig is stored for this cluster.', {
      remedy: 'Install the cluster (or Resume its install) first.',
    });
  }
  return createKubeClient(admin);
}

/** Cordon, drain and delete the host's node (cluster-runtime), through the stored kubeconfig. */
function removeNodeStep(host: HostHandle, ctx: ComposeContext): Step {
  const client = () => storedClient(ctx);
  const check = async (c: { signal: AbortSignal }) => {
    const name = await nodeName(host);
    const node = await client().get(RESOURCES.nodes, name, undefined, c.signal);
    return node
      ? { satisfied: false, detail: `Will cordon, drain and delete node ${name}` }
      : { satisfied: true, detail: `Node ${name} is not in the cluster` };
  };
  return {
    key: `remove-node@${host.name}`,
    phase: 'k3s-agent-join',
    host: host.name,
    title: `Cordon, drain and delete the node of ${host.address}`,
    check,
    apply: async (c) => {
      const { evicted } = await removeNode(client(), await nodeName(host), c);
      c.log(`evicted ${evicted.length} pod(s)`);
    },
    verify: check,
  };
}

/**
 * After a machine left: the admission policies' params list the machines that remain, so a
 * pod only the removed machine could hold is refused at once instead of staying Pending.
 * (Joins refresh them through the baseline's policy step.)
 */
function refreshPolicyParamsStep(ctx: ComposeContext): Step {
  const look = async (c: { signal: AbortSignal }) => {
    const r = await refreshPolicyMachines(storedClient(ctx), { signal: c.signal, write: false });
    return r.changed
      ? { satisfied: false, detail: 'Will rewrite the machines in the policy params' }
      : { satisfied: true, detail: `${r.machines} machine(s) in the policy params` };
  };
  return {
    key: 'cluster-baseline:policy-machines',
    phase: 'cluster-baseline',
    host: null,
    title: 'Tell the admission policies which machines remain',
    check: look,
    apply: async (c) => {
      const r = await refreshPolicyMachines(storedClient(ctx), { signal: c.signal, write: true });
      c.log(`policy params list ${r.machines} machine(s)`);
    },
    verify: look,
  };
}

/** The plan of a run. Throws a BootstrapError (with remedy) when the spec does not fit. */
export function composePlan(spec: RunSpec, ctx: ComposeContext): Plan {
  switch (spec.kind) {
    case 'install':
      return installPlan(spec.shape, ctx);
    case 'add-hosts': {
      const full = installPlan(spec.shape, ctx);
      const added = new Set(spec.added);
      // Join only: the added hosts' steps; cluster steps stay (they re-check as unchanged,
      // and nodes-Ready now waits for the new nodes too).
      const waves = full.waves
        .map((w) => w.filter((s) => s.host === null || added.has(s.host)))
        .filter((w) => w.length > 0);
      return { cluster: full.cluster, waves };
    }
    case 'remove-host': {
      const host = ctx.handles.get(spec.hostId);
      if (!host) throw new BootstrapError(`Host ${spec.hostId} is not reachable.`);
      return {
        cluster: ctx.clusterName,
        waves: [[removeNodeStep(host, ctx)], [refreshPolicyParamsStep(ctx), uninstallStep(host)]],
      };
    }
    case 'reset':
      return {
        cluster: ctx.clusterName,
        waves: [
          spec.hostIds.flatMap((id) => {
            const h = ctx.handles.get(id);
            return h ? [uninstallStep(h)] : [];
          }),
        ],
      };
  }
}
