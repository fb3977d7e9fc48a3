/**
 * Pod churn for the metering acceptance tests (issue 15): N pods in tenant namespaces with
 * lifetimes from seconds to minutes, some as Jobs, some deleted while they run, some with init
 * containers — bounded in count and time, created at a controlled rate.
 *
 * Lifetimes are KWOK's per-pod stage delays (`<stage>.stage.kwok.x-k8s.io/delay`, see
 * testkit/src/control-plane/kwok-stages.ts): a bare pod (restartPolicy Never) exits after
 * `pod-exit`, a Job's pod completes after `pod-complete`; a "deleted" pod runs (restartPolicy
 * Always) until the test deletes it, and its containers stop when its grace period ends. The
 * plan is a pure function of its options and seed (the same run every time); the longest lives
 * are created first, so a run takes about the longest lifetime plus the creation time.
 *
 * @see https://kwok.sigs.k8s.io/docs/user/stages-configuration/#delay
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
import type { KubernetesObject, V1Job, V1Pod } from '@kubernetes/client-node';
import { RESOURCES, type KubeClient } from '@nodeless/cluster-runtime';
import { DEFAULT_POD_SIZE, MIB, type PodSize } from '@nodeless/common';
import { mulberry32 } from '../../testkit/src/kube-sim/sim/prng.ts';
import { isRunning, type PodObserver } from './metering-observer.ts';

/** Label on every churn pod (and Job template): the observer's selector. */
export const CHURN_LABEL = 'metering-test.nodeless.dev/run';

export type ChurnKind = 'pod' | 'job' | 'deleted';

export interface ChurnOptions {
  count: number;
  /** Tenant namespaces the pods spread over (created by {@link runChurn} when missing). */
  namespaces: readonly string[];
  /** Lifetimes in seconds, log-uniform between these (both ends included). */
  minLifetimeS: number;
  maxLifetimeS: number;
  /** Creations per second. */
  ratePerSecond: number;
  /** Shares in [0, 1]. */
  jobShare: number;
  deleteShare: number;
  initShare: number;
  /** The value of {@link CHURN_LABEL}; also the name prefix. */
  run: string;
  seed?: number;
}

export interface ChurnItem {
  index: number;
  namespace: string;
  /** The pod's name, or the Job's (its pod is `<name>-<suffix>`). */
  name: string;
  kind: ChurnKind;
  /** Seconds it runs: until it exits, completes, or (deleted) until the test deletes it. */
  lifetimeS: number;
  /** `terminationGracePeriodSeconds`: a deleted pod runs this much longer. */
  graceS: number;
  init: boolean;
  size: PodSize;
  /** When to create it, ms after the run starts. */
  createAtMs: number;
}

/** Sizes from DESIGN.md §5's table the churn draws from. */
const SIZES: readonly PodSize[] = [
  { cpuMilli: 250, memoryBytes: 512 * MIB },
  { cpuMilli: 500, memoryBytes: 1024 * MIB },
  { cpuMilli: 1000, memoryBytes: 2048 * MIB },
];

/** The plan: longest lives first, one creation every 1/rate s. */
export function churnPlan(o: ChurnOptions): ChurnItem[] {
  // Seeded, so a failing run can be replayed.
  const rnd = mulberry32(o.seed ?? 15).next;
  const lo = Math.log(o.minLifetimeS);
  const hi = Math.log(o.maxLifetimeS);
  const lifetimes = Array.from({ length: o.count }, (_, i) =>
    i === 0
      ? o.maxLifetimeS
      : i === 1
        ? o.minLifetimeS
        : Math.round(Math.exp(lo + rnd() * (hi - lo))),
  ).sort((a, b) => b - a);
  return lifetimes.map((lifetimeS, index) => {
    const r = rnd();
    const kind: ChurnKind =
      r < o.jobShare ? 'job' : r < o.jobShare + o.deleteShare ? 'deleted' : 'pod';
    return {
      index,
      namespace: o.namespaces[index % o.namespaces.length] ?? 'default',
      name: `${o.run}-${kind}-${index}`,
      kind,
      lifetimeS,
      graceS: kind === 'deleted' ? 1 + Math.floor(rnd() * 3) : 1,
      init: rnd() < o.initShare,
      size: SIZES[Math.floor(rnd() * SIZES.length)] ?? DEFAULT_POD_SIZE,
      createAtMs: Math.round((index * 1000) / o.ratePerSecond),
    };
  });
}

/** The pod spec of an item (a Job's template spec too). */
function podSpec(item: ChurnItem): NonNullable<V1Pod['spec']> {
  const resources = {
    requests: { cpu: `${item.size.cpuMilli}m`, memory: `${item.size.memoryBytes / MIB}Mi` },
  };
  return {
    restartPolicy: item.kind === 'deleted' ? 'Always' : 'Never',
    terminationGracePeriodSeconds: item.graceS,
    ...(item.init
      ? { initContainers: [{ name: 'prepare', image: 'registry.invalid/churn:1' }] }
      : {}),
    containers: [{ name: 'work', image: 'registry.invalid/churn:1', resources }],
  };
}

/** The object to create for an item: a Pod, or a Job whose one pod completes. */
export function churnObject(item: ChurnItem, run: string): KubernetesObject {
  const labels = { [CHURN_LABEL]: run };
  const delay = `${item.lifetimeS}s`;
  if (item.kind === 'job') {
    const job: V1Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: item.name, namespace: item.namespace, labels },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels, annotations: { 'pod-complete.stage.kwok.x-k8s.io/delay': delay } },
          spec: podSpec(item),
        },
      },
    };
    return job;
  }
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: item.name,
      namespace: item.namespace,
      labels,
      ...(item.kind === 'pod'
        ? { annotations: { 'pod-exit.stage.kwok.x-k8s.io/delay': delay } }
        : {}),
    },
    spec: podSpec(item),
  };
  return pod;
}

export interface ChurnResult {
  /** Items created (all of them unless creation failed). */
  created: ChurnItem[];
  /** Pods the test deleted, by name. */
  deleted: string[];
  failures: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the namespaces that are missing (tenant namespaces: no `kube-` prefix). */
export async function ensureNamespaces(kube: KubeClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    if (await kube.get(RESOURCES.namespaces, name)) continue;
    await kube.create(RESOURCES.namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
}

/**
 * Runs a plan: creates each item at its time (at most `inFlight` requests at once), deletes the
 * "deleted" ones `lifetimeS` after they were created — once the observer saw them running, so a
 * deletion never lands in the half second between sandbox and containers, where only the
 * meter's own clock could say when the pod stopped. Resolves when everything was created and
 * every deletion was sent (not when the pods are gone).
 */
export async function runChurn(
  kube: KubeClient,
  observer: PodObserver,
  plan: readonly ChurnItem[],
  run: string,
  options: { inFlight?: number; now?: () => number } = {},
): Promise<ChurnResult> {
  const now = options.now ?? Date.now;
  const result: ChurnResult = { created: [], deleted: [], failures: [] };
  await ensureNamespaces(kube, [...new Set(plan.map((i) => i.namespace))]);
  const t0 = now();
  const inFlight = options.inFlight ?? 8;
  const running = new Set<Promise<void>>();
  const deletions: Promise<void>[] = [];

  const remove = async (item: ChurnItem, createdAt: number): Promise<void> => {
    await sleep(Math.max(0, createdAt + item.lifetimeS * 1000 - now()));
    await observer.waitUntil(
      () => {
        const pod = observer.latest(item.namespace, item.name);
        return pod !== undefined && isRunning(pod);
      },
      120_000,
      `${item.namespace}/${item.name} running before its deletion`,
    );
    await kube.delete(RESOURCES.pods, item.name, item.namespace);
    result.deleted.push(item.name);
  };

  for (const item of plan) {
    await sleep(Math.max(0, t0 + item.createAtMs - now()));
    while (running.size >= inFlight) await Promise.race(running);
    const create = (async () => {
      const type = item.kind === 'job' ? RESOURCES.jobs : RESOURCES.pods;
      await kube.create(type, churnObject(item, run));
      result.created.push(item);
      if (item.kind === 'deleted')
        deletions.push(
          remove(item, now()).catch((e: unknown) => {
            result.failures.push(`delete ${item.name}: ${String(e)}`);
          }),
        );
    })()
      .catch((e: unknown) => {
        result.failures.push(`create ${item.name}: ${String(e)}`);
      })
      .finally(() => running.delete(create));
    running.add(create);
  }
  await Promise.all(running);
  await Promise.all(deletions);
  return result;
}
