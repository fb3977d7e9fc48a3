/**
 * Bootstrap phase 10, the cluster baseline (DESIGN.md §4): the `nodeless-system` namespace, the
 * sandbox RuntimeClasses with their pod overhead, a wait until every node is Ready with
 * determinate progress (ready/total), then the serverless policies (DESIGN.md §5) with their
 * params — last, because the params record every machine's allocatable — and, when asked, the
 * meter (meter-steps.ts: its objects; the finalizer's switch is the meter leader's own).
 *
 * @see https://kubernetes.io/docs/concepts/containers/runtime-class/
 * @see https://kubernetes.io/docs/reference/node/node-status/#condition
 */
import type { KubernetesObject, V1Namespace, V1Node } from '@kubernetes/client-node';
import { createKubeClient, RESOURCES, WaitTimeoutError, type KubeClient } from '../client.ts';
import type { CheckResult, StepContext } from '@nodeless/common';
import type { ClusterStep } from '../steps/types.ts';
import { manifestStep } from './manifest-step.ts';
import { meterSteps, type BaselineMeterOptions } from './meter-steps.ts';
import { systemNamespace } from './objects.ts';
import { baselineRuntimeClasses, type Sandbox } from './runtime-classes.ts';
import { podSecurityLabelled, serverlessPolicies } from '../policies/manifest.ts';
import { machinesOf, policyParams } from '../policies/params.ts';

export interface BaselineOptions {
  /** The admin kubeconfig; called when a step runs (an earlier step may have fetched it). */
  kubeconfig(): string;
  /** Sandboxes installed on the hosts; each gets its RuntimeClass. */
  sandboxes: readonly Sandbox[];
  /** The cluster's sandbox: every tenant pod's RuntimeClass (default: the first of `sandboxes`). */
  sandbox?: Sandbox;
  /** Nodes the plan joins (servers + agents); the wait needs at least this many Ready. */
  expectedNodes?: number;
  nodesReadyTimeoutMs?: number;
  /** Serverless policy objects (without params); default: `serverlessPolicies()`. */
  policies?: () => KubernetesObject[];
  /**
   * Install or upgrade the meter (issue 15) after the policies; absent = these steps leave the
   * meter alone (a cluster whose image archive was not staged, or a test without a meter).
   */
  meter?: BaselineMeterOptions;
  /** Client factory (tests inject; default builds one from `kubeconfig()`). */
  client?: (kubeconfig: string) => KubeClient;
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** `{ready, total, notReady}` of a node set. */
export function nodeReadiness(nodes: Iterable<V1Node>): {
  ready: number;
  total: number;
  notReady: string[];
} {
  let ready = 0;
  let total = 0;
  const notReady: string[] = [];
  for (const n of nodes) {
    total++;
    if (isNodeReady(n)) ready++;
    else notReady.push(n.metadata?.name ?? '?');
  }
  return { ready, total, notReady };
}

function readinessDetail(r: { ready: number; total: number }, expected: number): string {
  const short = r.total < expected ? ` (${expected} expected)` : '';
  return `${r.ready}/${r.total} nodes Ready${short}`;
}

export function nodesReadyStep(
  client: () => KubeClient,
  options: { expectedNodes?: number; timeoutMs?: number },
): ClusterStep {
  const expected = Math.max(1, options.expectedNodes ?? 1);
  const satisfied = (r: { ready: number; total: number }): boolean =>
    r.total >= expected && r.ready === r.total;
  const check = async (ctx: StepContext): Promise<CheckResult> => {
    const { items } = await client().list<V1Node>(RESOURCES.nodes, { signal: ctx.signal });
    const r = nodeReadiness(items);
    return { satisfied: satisfied(r), detail: readinessDetail(r, expected) };
  };
  return {
    key: 'cluster-baseline:nodes-ready',
    phase: 'cluster-baseline',
    host: null,
    title: 'Wait for all nodes to be Ready',
    check,
    async apply(ctx) {
      const timeoutMs = options.timeoutMs ?? 300_000;
      let last = '';
      try {
        await client().waitFor<V1Node, true>(RESOURCES.nodes, {
          describe: `${expected} node(s) to be Ready`,
          timeoutMs,
          signal: ctx.signal,
          onChange(nodes) {
            const r = nodeReadiness(nodes.values());
            const detail = readinessDetail(r, expected);
            if (detail === last) return;
            last = detail;
            ctx.progress(r.ready, Math.max(r.total, expected), detail);
            ctx.log(detail);
          },
          until: (nodes) => (satisfied(nodeReadiness(nodes.values())) ? true : undefined),
        });
      } catch (e) {
        if (!(e instanceof WaitTimeoutError)) throw e;
        const r = nodeReadiness((e as WaitTimeoutError<V1Node>).last.values());
        throw new Error(
          `${e.message}: ${readinessDetail(r, expected)}` +
            (r.notReady.length ? `; not Ready: ${r.notReady.join(', ')}` : '') +
            '. Check the k3s service on those hosts (journalctl -u k3s / k3s-agent).',
          { cause: e },
        );
      }
    },
    verify: check,
  };
}

/**
 * The params (sandbox class, its overhead, every machine's allocatable as the nodes state it
 * now) and the versioned policies, params first: a binding whose params are missing denies;
 * then the Pod Security labels on the tenant namespaces that already exist (`default`).
 */
async function policyObjects(
  options: BaselineOptions,
  client: KubeClient,
  signal: AbortSignal,
): Promise<KubernetesObject[]> {
  const sandbox = options.sandbox ?? options.sandboxes[0];
  if (!sandbox) throw new Error('no sandbox installed: the serverless policies need one');
  const { items } = await client.list<V1Node>(RESOURCES.nodes, { signal });
  const namespaces = await client.list<V1Namespace>(RESOURCES.namespaces, { signal });
  return [
    policyParams(sandbox, machinesOf(items)),
    ...(options.policies ?? serverlessPolicies)(),
    // After the policies: the namespace MAP then keeps these labels on every later update.
    ...podSecurityLabelled(namespaces.items.map((n) => n.metadata?.name ?? '')),
  ];
}

/**
 * The baseline steps in order: namespace, RuntimeClasses, nodes Ready, serverless policies, and
 * the meter when `options.meter` is given.
 */
export function baselineSteps(options: BaselineOptions): ClusterStep[] {
  const client = (): KubeClient => (options.client ?? createKubeClient)(options.kubeconfig());
  return [
    manifestStep({
      key: 'cluster-baseline:namespace',
      phase: 'cluster-baseline',
      title: 'Create the nodeless-system namespace',
      client,
      objects: () => [systemNamespace()],
    }),
    manifestStep({
      key: 'cluster-baseline:runtime-classes',
      phase: 'cluster-baseline',
      title: `Apply RuntimeClasses (${[...new Set(options.sandboxes)].join(', ')})`,
      client,
      objects: () => baselineRuntimeClasses(options.sandboxes),
    }),
    nodesReadyStep(client, {
      expectedNodes: options.expectedNodes,
      timeoutMs: options.nodesReadyTimeoutMs,
    }),
    manifestStep({
      key: 'cluster-baseline:serverless-policies',
      phase: 'cluster-baseline',
      title: 'Apply the serverless admission policies',
      client,
      objects: (c, signal) => policyObjects(options, c, signal),
    }),
    ...(options.meter ? meterSteps(client, options.meter) : []),
  ];
}
