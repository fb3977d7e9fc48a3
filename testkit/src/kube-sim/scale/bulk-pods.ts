/**
 * Scale fixtures for the UI benchmark and scale tests: N pods written straight into kube-sim's
 * store (100,000 HTTPS POSTs would measure TLS, not the UI), spread over namespaces and owned by
 * Deployments through ReplicaSets (so the owner column resolves as on a real cluster), bound to
 * nodes, Running, in the sandbox RuntimeClass with overhead and a `nodeless.dev/size` label —
 * what admission and the kubelet would have left. Run kube-sim with `sim: false`: nothing
 * reconciles these objects, so what the benchmark changes is all that changes.
 *
 * Stored objects are never mutated (store contract, see store/bucket.ts): every write stores a
 * fresh object.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 */
import type { MemoryStore } from '../store/memory-store.ts';
import type { KubeObject, ResourceKey } from '../store/types.ts';

export const PODS: ResourceKey = { group: '', version: 'v1', resource: 'pods' };
const NODES: ResourceKey = { group: '', version: 'v1', resource: 'nodes' };
const NAMESPACES: ResourceKey = { group: '', version: 'v1', resource: 'namespaces' };
const DEPLOYMENTS: ResourceKey = { group: 'apps', version: 'v1', resource: 'deployments' };
const REPLICASETS: ResourceKey = { group: 'apps', version: 'v1', resource: 'replicasets' };

export interface BulkPodsOptions {
  /** Pods to create. */
  count: number;
  /** Namespaces (`team-0`…); default 20. */
  namespaces?: number;
  /** Pods per Deployment (one ReplicaSet each); default 50. */
  podsPerOwner?: number;
  /** Nodes to create and bind to; default 100 (0: use none, pods stay unbound). */
  nodes?: number;
  /** RuntimeClass name the pods run under (default `kata-clh`, overhead 250m/130Mi). */
  runtimeClassName?: string;
  /** Yield to the event loop every this many writes (default 2,000), so servers stay live. */
  yieldEvery?: number;
}

export interface BulkPodsResult {
  pods: number;
  namespaces: string[];
  nodes: string[];
  /** `namespace/name` of every pod, in creation order (what the update driver walks). */
  keys: Array<[namespace: string, name: string]>;
  ms: number;
}

const ISO = '2025-01-01T00:00:00Z';
/** Sizes the fixtures cycle through: `[label, cpu, memory]` as admission records them. */
const SIZES: ReadonlyArray<readonly [string, string, string]> = [
  ['0.25x0.5', '250m', '512Mi'],
  ['0.5x1', '500m', '1Gi'],
  ['1x2', '1', '2Gi'],
  ['2x4', '2', '4Gi'],
];

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

function hash(i: number): string {
  // Ten characters from the alphabet of pod-template-hash, derived from the owner's index.
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let n = (i + 1) * 2_654_435_761;
  let out = '';
  for (let k = 0; k < 10; k++) {
    out += chars[n % chars.length] ?? 'b';
    n = Math.floor(n / chars.length) + k * 7919;
  }
  return out;
}

function node(name: string): KubeObject {
  const capacity = { cpu: '64', memory: '256Gi', pods: '1100', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'nodeless.dev/sandbox': 'kata' },
    },
    spec: {},
    status: {
      capacity,
      allocatable: capacity,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  };
}

function owner(
  kind: string,
  apiVersion: string,
  o: KubeObject,
): NonNullable<KubeObject['metadata']['ownerReferences']>[number] {
  return {
    apiVersion,
    kind,
    name: o.metadata.name ?? '',
    uid: o.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Creates nodes, namespaces, Deployments, ReplicaSets and `count` Running pods. */
export async function bulkLoadPods(
  store: MemoryStore,
  options: BulkPodsOptions,
): Promise<BulkPodsResult> {
  const t0 = performance.now();
  const nsCount = options.namespaces ?? 20;
  const perOwner = Math.max(1, options.podsPerOwner ?? 50);
  const nodeCount = options.nodes ?? 100;
  const rcName = options.runtimeClassName ?? 'kata-clh';
  const every = options.yieldEvery ?? 2000;
  const nodes = Array.from({ length: nodeCount }, (_, i) => `bench-node-${i}`);
  for (const n of nodes)
    if (store.getRaw(NODES, undefined, n) === undefined) store.createRaw(NODES, node(n));
  const namespaces = Array.from({ length: nsCount }, (_, i) => `team-${i}`);
  for (const ns of namespaces) {
    if (store.getRaw(NAMESPACES, undefined, ns) !== undefined) continue;
    store.createRaw(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  const keys: BulkPodsResult['keys'] = [];
  let rs: KubeObject | undefined;
  let app = '';
  let podHash = '';
  for (let i = 0; i < options.count; i++) {
    const ns = namespaces[i % nsCount] ?? 'default';
    const ownerIndex = Math.floor(i / perOwner);
    if (i % perOwner === 0 || rs?.metadata.namespace !== ns) {
      app = `app-${ownerIndex}`;
      podHash = hash(ownerIndex);
      const labels = { app };
      const dep = store.createRaw(DEPLOYMENTS, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `${app}-${i}`, namespace: ns, labels },
        spec: {
          replicas: perOwner,
          selector: { matchLabels: labels },
          template: { metadata: { labels } },
        },
      });
      rs = store.createRaw(REPLICASETS, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${dep.metadata.name ?? app}-${podHash}`,
          namespace: ns,
          labels: { ...labels, 'pod-template-hash': podHash },
          ownerReferences: [owner('Deployment', 'apps/v1', dep)],
        },
        spec: {
          replicas: perOwner,
          selector: { matchLabels: { ...labels, 'pod-template-hash': podHash } },
        },
      });
    }
    const [size, cpu, memory] = SIZES[ownerIndex % SIZES.length] ??
      SIZES[0] ?? ['0.25x0.5', '250m', '512Mi'];
    const name = `${rs.metadata.name ?? app}-${String(i).padStart(6, '0')}`;
    const amount = { cpu, memory };
    store.createRaw(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns,
        labels: { app, 'pod-template-hash': podHash, 'nodeless.dev/size': size },
        ownerReferences: [owner('ReplicaSet', 'apps/v1', rs)],
      },
      spec: {
        ...(nodeCount > 0 ? { nodeName: nodes[i % nodeCount] } : {}),
        runtimeClassName: rcName,
        overhead: { cpu: '250m', memory: '130Mi' },
        containers: [
          { name: 'app', image: 'nginx:1.27', resources: { requests: amount, limits: amount } },
        ],
      },
      status: runningStatus(i, 0),
    });
    keys.push([ns, name]);
    if (i % every === every - 1) await yieldNow();
  }
  return { pods: options.count, namespaces, nodes, keys, ms: performance.now() - t0 };
}

/** A Running pod's status with `restarts` restarts of its one container. */
export function runningStatus(i: number, restarts: number): Record<string, unknown> {
  return {
    phase: 'Running',
    podIP: `10.42.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`,
    startTime: ISO,
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: ISO },
      { type: 'Initialized', status: 'True', lastTransitionTime: ISO },
      { type: 'Ready', status: 'True', lastTransitionTime: ISO },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: ISO },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: ISO },
    ],
    containerStatuses: [
      {
        name: 'app',
        image: 'nginx:1.27',
        ready: true,
        started: true,
        restartCount: restarts,
        state: { running: { startedAt: ISO } },
      },
    ],
  };
}
