/**
 * `npm run bench:watch-cache`: memory of a pod watch cache at 100,000 pods — bytes of JS heap
 * per cached row (after GC) — and how long the paged list and 100,000 watch updates take.
 * Pods are realistic (Deployment-owned, labels, two containers, status, managedFields) and
 * come as JSON text parsed page by page, as the client receives them, so the figure includes
 * what the projection keeps alive (strings, label objects), not the raw objects.
 * Goal: ≤ 1 KiB per row. Bounded: one list, one burst of updates.
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { KubeClient, WatchEventType } from '../src/client.ts';
import { POD, podRow, type PodRow } from '../src/kinds/index.ts';
import { createWatchCache } from '../src/watch/watch-cache.ts';

const PODS = 100_000;
const PAGE = 500;
const UPDATES = 100_000;
const GOAL_BYTES_PER_ROW = 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const uidOf = (i: number) =>
  `${hex(i, 8)}-${hex(i % 65536, 4)}-4${hex(i % 4096, 3)}-8${hex(i % 4096, 3)}-${hex(i * 7919, 12)}`;

/** One pod as the API server sends it (JSON text). */
function podJson(i: number, rv: number, restarts = 0): string {
  const ns = `tenant-${i % 50}`;
  const app = `app-${i % 400}`;
  const rs = `${app}-7d9f8c6b5d`;
  const name = `${rs}-${hex(i, 5)}`;
  const node = `node-${i % 500}`;
  const t = '2026-01-01T10:00:00Z';
  const container = (c: string) => ({
    name: c,
    image: `registry.example/${app}/${c}:1.4.2`,
    resources: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '250m', memory: '512Mi' },
    },
  });
  const status = (c: string) => ({
    name: c,
    ready: true,
    restartCount: restarts,
    image: `registry.example/${app}/${c}:1.4.2`,
    imageID: `registry.example/${app}/${c}@sha256:${hex(i, 64)}`,
    containerID: `containerd://${hex(i * 31, 64)}`,
    started: true,
    state: { running: { startedAt: t } },
  });
  const pod = {
    metadata: {
      name,
      namespace: ns,
      uid: uidOf(i),
      resourceVersion: String(rv),
      creationTimestamp: t,
      labels: { app, 'pod-template-hash': '7d9f8c6b5d', 'nodeless.dev/size': '0.25x0.5' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs,
          uid: uidOf(i + 1e7),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: t,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': { 'f:containers': {} },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: t,
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:phase': {} },
          },
        },
      ],
    },
    spec: {
      nodeName: node,
      runtimeClassName: 'kata-clh',
      containers: [container('app'), container('sidecar')],
      restartPolicy: 'Always',
      serviceAccountName: 'default',
    },
    status: {
      phase: 'Running',
      podIP: `10.42.${i % 256}.${(i >> 8) % 256}`,
      hostIP: `192.168.${i % 256}.1`,
      startTime: t,
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: t,
      })),
      containerStatuses: [status('app'), status('sidecar')],
    },
  };
  return JSON.stringify(pod);
}

/** A client that serves PODS pods in pages (parsed from JSON text) and a scripted watch. */
function benchClient(
  emitters: ((type: WatchEventType, o: KubernetesObject) => void)[],
): KubeClient {
  return {
    list: async (_type: unknown, o: { continue?: string } = {}) => {
      const from = Number(o.continue ?? 0);
      const to = Math.min(PODS, from + PAGE);
      const text = `{"metadata":{"resourceVersion":"1"${to < PODS ? `,"continue":"${to}"` : ''}},"items":[${Array.from({ length: to - from }, (_, k) => podJson(from + k, 1)).join(',')}]}`;
      const list = JSON.parse(text) as {
        items: V1Pod[];
        metadata: { resourceVersion: string; continue?: string };
      };
      return {
        items: list.items.map((p) => ({ ...p, apiVersion: 'v1', kind: 'Pod' })),
        resourceVersion: list.metadata.resourceVersion,
        ...(list.metadata.continue ? { continue: list.metadata.continue } : {}),
      };
    },
    watch: async (
      _t: unknown,
      _o: unknown,
      onEvent: (type: WatchEventType, o: KubernetesObject) => void,
    ) => {
      emitters.push(onEvent);
      return () => undefined;
    },
  } as unknown as KubeClient;
}

async function main(): Promise<void> {
  const emitters: ((type: WatchEventType, o: KubernetesObject) => void)[] = [];
  let projectMs = 0;
  const before = heap();
  const cache = createWatchCache<V1Pod, PodRow>({
    client: () => benchClient(emitters),
    type: POD,
    project: (p) => {
      const t = performance.now();
      const row = podRow(p);
      projectMs += performance.now() - t;
      return row;
    },
    pageSize: PAGE,
  });
  let started = performance.now();
  cache.start();
  while (!cache.synced) await new Promise((r) => setTimeout(r, 5));
  const listMs = performance.now() - started;
  const listProjectMs = projectMs;
  projectMs = 0;
  const afterList = heap();
  const perRow = (afterList - before) / cache.rows().size;

  started = performance.now();
  const emit = emitters[0];
  if (!emit) throw new Error('the cache did not start its watch');
  for (let u = 0; u < UPDATES; u++) {
    const i = (u * 7) % PODS;
    emit('MODIFIED', JSON.parse(podJson(i, 2 + u, 1 + (u % 3))) as KubernetesObject);
  }
  const updateMs = performance.now() - started;
  const updateProjectMs = projectMs;
  const afterUpdates = heap();
  const perRowAfter = (afterUpdates - before) / cache.rows().size;
  cache.stop();

  const verdict = (v: number) => (v <= GOAL_BYTES_PER_ROW ? 'ok' : 'MISSED');
  const kib = (b: number) => `${Math.round(b)} B`;
  console.log(
    `watch cache, ${PODS.toLocaleString('en')} pods (pages of ${PAGE}), Node ${process.version}`,
  );
  console.log(
    `  heap per row after the list     ${kib(perRow).padStart(8)}   goal ≤ ${GOAL_BYTES_PER_ROW} B  ${verdict(perRow)}`,
  );
  console.log(
    `  heap per row after ${UPDATES.toLocaleString('en')} updates ${kib(perRowAfter).padStart(8)}   goal ≤ ${GOAL_BYTES_PER_ROW} B  ${verdict(perRowAfter)}`,
  );
  console.log(
    `  cache total                     ${((afterUpdates - before) / 2 ** 20).toFixed(1)} MiB`,
  );
  console.log(
    `  paged list (make JSON, parse, project) ${Math.round(listMs)} ms, of which projection ${Math.round(listProjectMs)} ms`,
  );
  console.log(
    `  ${UPDATES.toLocaleString('en')} watch updates (parse + project) ${Math.round(updateMs)} ms (${Math.round(UPDATES / (updateMs / 1000)).toLocaleString('en')}/s), of which projection ${Math.round(updateProjectMs)} ms`,
  );
  const load = os.loadavg()[0] ?? 0;
  console.log(
    `  (load average ${load.toFixed(1)} on ${os.cpus().length} CPUs: times are indicative)`,
  );
}

await main();
