/**
 * Day 2, removing a host's node (DESIGN.md §4, issue "remove a host"): cordon
 * (`spec.unschedulable`), drain (evict its pods through the policy/v1 Eviction API, skipping
 * DaemonSet and mirror pods as `kubectl drain` does, retrying evictions a PodDisruptionBudget
 * refuses), then delete the Node. Each is a function taking the step context for progress,
 * idempotent, so the backend can wrap them in its remove-host steps.
 *
 * @see https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/drain/filters.go (what drain skips)
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { KubeApiError, RESOURCES, WaitTimeoutError, type KubeClient } from '../client.ts';
import type { StepContext } from '@nodeless/common';

/** Annotation the kubelet puts on mirror pods of static pods (they cannot be evicted). */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export type DrainSkipReason = 'daemonset' | 'mirror' | 'finished';

/** Why `kubectl drain` would leave this pod alone, or undefined when it must be evicted. */
export function drainSkipReason(pod: V1Pod): DrainSkipReason | undefined {
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return 'mirror';
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (owner?.kind === 'DaemonSet') return 'daemonset';
  // Finished pods hold no resources; they go with the node (pod GC).
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 'finished';
  return undefined;
}

const podName = (p: V1Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

/** Marks the node unschedulable; returns false when it already was. */
export async function cordonNode(
  client: KubeClient,
  node: string,
  ctx: StepContext,
): Promise<boolean> {
  const current = await client.get<V1Node>(RESOURCES.nodes, node, undefined, ctx.signal);
  if (!current) throw new Error(`node ${node} does not exist`);
  if (current.spec?.unschedulable === true) return false;
  await client.mergePatch(
    RESOURCES.nodes,
    node,
    { spec: { unschedulable: true } },
    undefined,
    ctx.signal,
  );
  ctx.log(`cordoned node ${node}`);
  return true;
}

export interface DrainOptions {
  /** Whole drain budget (evictions plus pods terminating); default 300 s. */
  timeoutMs?: number;
  /** Pause between retries of an eviction a PodDisruptionBudget refused (429). Default 2 s. */
  retryMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Evicts every evictable pod on `node` and waits until they are gone, with progress
 * (pods gone / pods to evict). Returns the names of the evicted pods.
 */
export async function drainNode(
  client: KubeClient,
  node: string,
  ctx: StepContext,
  options: DrainOptions = {},
): Promise<string[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const deadline = now() + timeoutMs;
  const fieldSelector = `spec.nodeName=${node}`;
  const { items } = await client.list<V1Pod>(RESOURCES.pods, { fieldSelector, signal: ctx.signal });
  const targets = items.filter((p) => drainSkipReason(p) === undefined);
  for (const p of items) {
    const why = drainSkipReason(p);
    if (why) ctx.log(`skipping ${podName(p)} (${why} pod)`);
  }
  const total = targets.length;
  ctx.progress(0, total, `evicting ${total} pod(s) from ${node}`);
  const pending = [...targets];
  while (pending.length > 0) {
    ctx.signal.throwIfAborted();
    const refused: V1Pod[] = [];
    for (const p of pending) {
      try {
        await client.createSubresource(
          RESOURCES.pods,
          p.metadata?.name ?? '',
          p.metadata?.namespace,
          'eviction',
          {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: p.metadata?.name, namespace: p.metadata?.namespace },
          },
          ctx.signal,
        );
        ctx.log(`evicted ${podName(p)}`);
      } catch (e) {
        if (e instanceof KubeApiError && e.code === 404) continue; // already gone
        if (e instanceof KubeApiError && e.code === 429) {
          refused.push(p); // a PodDisruptionBudget says not now
          continue;
        }
        throw e;
      }
    }
    if (refused.length === 0) break;
    if (now() + (options.retryMs ?? 2000) > deadline)
      throw new Error(
        `drain of ${node} timed out: evictions still refused by a PodDisruptionBudget for ${refused.map(podName).join(', ')}`,
      );
    ctx.log(`${refused.length} eviction(s) refused by a PodDisruptionBudget; retrying`);
    await sleep(options.retryMs ?? 2000, ctx.signal);
    pending.splice(0, pending.length, ...refused);
  }
  const uids = new Set(targets.map((p) => p.metadata?.uid));
  try {
    await client.waitFor<V1Pod, true>(RESOURCES.pods, {
      fieldSelector,
      describe: `the evicted pods to leave ${node}`,
      timeoutMs: Math.max(1, deadline - now()),
      signal: ctx.signal,
      onChange(pods) {
        const left = [...pods.values()].filter((p) => uids.has(p.metadata?.uid)).length;
        ctx.progress(total - left, total, `${total - left}/${total} pods gone from ${node}`);
      },
      until: (pods) =>
        [...pods.values()].some((p) => uids.has(p.metadata?.uid)) ? undefined : true,
    });
  } catch (e) {
    if (!(e instanceof WaitTimeoutError)) throw e;
    const left = [...(e as WaitTimeoutError<V1Pod>).last.values()]
      .filter((p) => uids.has(p.metadata?.uid))
      .map(podName);
    throw new Error(`${e.message}; still terminating: ${left.join(', ')}`, { cause: e });
  }
  return targets.map(podName);
}

/** Deletes the Node object and waits until it is gone; false when it was already absent. */
export async function deleteNode(
  client: KubeClient,
  node: string,
  ctx: StepContext,
  timeoutMs = 60_000,
): Promise<boolean> {
  const existed = await client.delete(RESOURCES.nodes, node, undefined, { signal: ctx.signal });
  if (existed) ctx.log(`deleted node ${node}`);
  await client.waitFor<V1Node, true>(RESOURCES.nodes, {
    fieldSelector: `metadata.name=${node}`,
    describe: `node ${node} to be deleted`,
    timeoutMs,
    signal: ctx.signal,
    until: (nodes) => (nodes.size === 0 ? true : undefined),
  });
  return existed;
}

/** Cordon → drain → delete, with progress over the three stages. */
export async function removeNode(
  client: KubeClient,
  node: string,
  ctx: StepContext,
  options: DrainOptions = {},
): Promise<{ evicted: string[] }> {
  const exists = await client.get<V1Node>(RESOURCES.nodes, node, undefined, ctx.signal);
  if (!exists) {
    ctx.log(`node ${node} is already gone`);
    return { evicted: [] };
  }
  await cordonNode(client, node, ctx);
  const evicted = await drainNode(client, node, ctx, options);
  await deleteNode(client, node, ctx);
  return { evicted };
}
