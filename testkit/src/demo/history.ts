/**
 * A week of the demo's past, as its meter would have written it: the ledger chunks (and the
 * meter's watermark) in `nodeless-system`, so the Usage section opens on a week of history
 * rather than on an empty bill. Nothing here is a shortcut past the meter's own path: each
 * simulated pod is a V1Pod in the state it last had (conditions, container finishedAt, owner
 * references, size label, RuntimeClass overhead), read by cluster-runtime's `podLife` exactly as
 * the meter reads it, cut into hourly records by `segmentsOf` with usage folded from its samples,
 * appended in closing order by `appendRecords` and stored by `chunkToConfigMap`.
 *
 * The week is the demo's workloads (demo/workloads.ts) living their ordinary lives: Deployments
 * rolled every two days or so, the storefront and inference scaled up on weekday office hours,
 * the nightly report running a minute each night, the backfill Job's four pods, a `kubectl run`
 * debug pod, and a five-hour metrics-server outage during which usage is missing (never 0). Every
 * pod of the week ended by the last full hour before the demo started (the demo's own pods
 * started afresh), so nothing in the history is left running.
 *
 * Deterministic: the same seed and the same hour give the same ledger, byte for byte.
 *
 * @see ../../../cluster-runtime/src/metering/record.ts
 * @see ../../../cluster-runtime/src/metering/ledger.ts
 */
import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { billableSize, MIB, podSizeLabel } from '@nodeless/common';
import {
  appendRecords,
  chunkToConfigMap,
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  LEDGER_STATE_LABEL_VALUE,
  METER_STATE_NAME,
  METER_WATERMARK_KEY,
  OwnerIndex,
  podLife,
  RUNTIME_OVERHEAD,
  segmentsOf,
  SIZE_LABEL,
  type LedgerChunk,
  type LedgerRecord,
  type UsageSample,
} from '@nodeless/cluster-runtime';
import { fnv32a, mulberry32, type Random } from '../kube-sim/sim/prng.ts';
import { DEMO_RUNTIME_CLASS } from './workloads.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;
export const HISTORY_DAYS = 7;

interface Shape {
  namespace: string;
  app: string;
  cpuMilli: number;
  memoryMiB: number;
  /** Typical CPU and memory use as a share of the spec. */
  cpu: number;
  memory: number;
}

interface HistoryPod {
  shape: Shape;
  name: string;
  uid: string;
  /** Direct controller (ReplicaSet, StatefulSet, Job), absent for a bare pod. */
  controller?: { kind: string; name: string };
  podTemplateHash?: string;
  start: number;
  end: number;
  failed?: boolean;
}

/** Kubernetes' name suffix alphabet (no vowels, no look-alikes). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = (rng: Random, n: number): string =>
  Array.from({ length: n }, () => ALPHANUMS[Math.floor(rng.next() * ALPHANUMS.length)]).join('');
const hex = (rng: Random, n: number): string =>
  Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join('');
const uuid = (rng: Random): string =>
  `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
const jitter = (rng: Random, max: number): number => Math.floor(rng.next() * max);

const SHAPES = {
  web: { namespace: 'shop', app: 'web', cpuMilli: 500, memoryMiB: 1024, cpu: 0.32, memory: 0.45 },
  api: { namespace: 'shop', app: 'api', cpuMilli: 1000, memoryMiB: 2048, cpu: 0.48, memory: 0.6 },
  redis: {
    namespace: 'shop',
    app: 'redis',
    cpuMilli: 1000,
    memoryMiB: 2048,
    cpu: 0.12,
    memory: 0.7,
  },
  report: {
    namespace: 'shop',
    app: 'nightly-report',
    cpuMilli: 250,
    memoryMiB: 512,
    cpu: 0.9,
    memory: 0.5,
  },
  ingest: {
    namespace: 'data',
    app: 'ingest-worker',
    cpuMilli: 250,
    memoryMiB: 512,
    cpu: 0.04,
    memory: 0.15,
  },
  etl: {
    namespace: 'data',
    app: 'etl-scheduler',
    cpuMilli: 250,
    memoryMiB: 1024,
    cpu: 0.08,
    memory: 0.3,
  },
  backfill: {
    namespace: 'data',
    app: 'backfill',
    cpuMilli: 1000,
    memoryMiB: 4096,
    cpu: 0.85,
    memory: 0.55,
  },
  debug: {
    namespace: 'data',
    app: 'debug',
    cpuMilli: 250,
    memoryMiB: 512,
    cpu: 0.01,
    memory: 0.05,
  },
  inference: {
    namespace: 'ml',
    app: 'inference',
    cpuMilli: 2000,
    memoryMiB: 8192,
    cpu: 0.62,
    memory: 0.74,
  },
} satisfies Record<string, Shape>;

/** Is `t` within weekday office hours (09:00–18:00 UTC, Monday to Friday)? */
const officeHours = (t: number): boolean => {
  const d = new Date(t * 1000);
  return d.getUTCDay() >= 1 && d.getUTCDay() <= 5 && d.getUTCHours() >= 9 && d.getUTCHours() < 18;
};

/** A Deployment's pods over the week: `replicas` per ReplicaSet, a new ReplicaSet per rollout. */
function deploymentPods(
  rng: Random,
  shape: Shape,
  replicas: number,
  rollouts: readonly number[],
  from: number,
  to: number,
): HistoryPod[] {
  const out: HistoryPod[] = [];
  const starts = [from, ...rollouts];
  starts.forEach((start, g) => {
    const end = starts[g + 1] ?? to;
    const hash = suffix(rng, 10);
    for (let r = 0; r < replicas; r++) {
      out.push({
        shape,
        name: `${shape.app}-${hash}-${suffix(rng, 5)}`,
        uid: uuid(rng),
        controller: { kind: 'ReplicaSet', name: `${shape.app}-${hash}` },
        podTemplateHash: hash,
        // A rolling update: the new pod's sandbox is up seconds into the rollout, the old one
        // stops once its replacement is ready (tens of seconds later).
        start: start + (g === 0 ? 0 : 3 + r * 20 + jitter(rng, 9)),
        end: g === starts.length - 1 ? end : end + 25 + r * 20 + jitter(rng, 15),
      });
    }
  });
  return out;
}

/** Extra replicas the autoscaler adds in office hours: one pod per weekday per extra replica. */
function scaledPods(rng: Random, shape: Shape, extra: number, from: number, to: number) {
  const out: HistoryPod[] = [];
  const hash = suffix(rng, 10);
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    const up = day + 9 * HOUR;
    if (up < from || !officeHours(up)) continue;
    for (let r = 0; r < extra; r++) {
      out.push({
        shape,
        name: `${shape.app}-${hash}-${suffix(rng, 5)}`,
        uid: uuid(rng),
        controller: { kind: 'ReplicaSet', name: `${shape.app}-${hash}` },
        podTemplateHash: hash,
        start: up + 40 + jitter(rng, 300),
        // HPA scale-down waits out its 300 s stabilisation window after the load drops.
        end: Math.min(to, day + 18 * HOUR + 300 + jitter(rng, 600)),
      });
    }
  }
  return out;
}

/** Every pod of the week `[from, to)`. */
function weekPods(rng: Random, from: number, to: number): HistoryPod[] {
  const rollout = (): number[] => {
    const times: number[] = [];
    for (
      let t = from + DAY + jitter(rng, DAY);
      t < to - 6 * HOUR;
      t += 2 * DAY + jitter(rng, DAY)
    ) {
      times.push(t);
    }
    return times;
  };
  const shopRollouts = rollout();
  const pods = [
    ...deploymentPods(rng, SHAPES.web, 3, shopRollouts, from, to),
    ...scaledPods(rng, SHAPES.web, 2, from, to),
    ...deploymentPods(rng, SHAPES.api, 2, shopRollouts, from, to),
    ...deploymentPods(rng, SHAPES.ingest, 1, rollout(), from, to),
    ...deploymentPods(rng, SHAPES.etl, 1, [], from, to),
    ...deploymentPods(rng, SHAPES.inference, 2, rollout(), from, to),
    ...scaledPods(rng, SHAPES.inference, 2, from, to),
  ];
  pods.push({
    shape: SHAPES.redis,
    name: 'redis-0',
    uid: uuid(rng),
    controller: { kind: 'StatefulSet', name: 'redis' },
    start: from,
    end: to,
  });
  // The nightly report: a Job per night at 02:00, one pod, a minute or two.
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    const at = day + 2 * HOUR;
    if (at < from || at >= to) continue;
    const job = `nightly-report-${at / 60}`;
    const start = at + 2 + jitter(rng, 5);
    pods.push({
      shape: SHAPES.report,
      name: `${job}-${suffix(rng, 5)}`,
      uid: uuid(rng),
      controller: { kind: 'Job', name: job },
      start,
      end: start + 40 + jitter(rng, 80),
    });
  }
  // The quarter's backfill: 4 completions, 2 at a time, one pod failing and retried.
  const backfillAt = from + 3 * DAY + 10 * HOUR + 12 * 60;
  for (let i = 0; i < 5; i++) {
    const start = backfillAt + Math.floor(i / 2) * 33 * 60 + jitter(rng, 60);
    pods.push({
      shape: SHAPES.backfill,
      name: `backfill-2025-q1-${suffix(rng, 5)}`,
      uid: uuid(rng),
      controller: { kind: 'Job', name: 'backfill-2025-q1' },
      start,
      end: start + (i === 1 ? 7 * 60 + 12 : 28 * 60 + jitter(rng, 240)),
      ...(i === 1 ? { failed: true } : {}),
    });
  }
  // Someone's `kubectl run debug --rm -it`: a bare pod for 23 minutes.
  const debugAt = from + 1 * DAY + 15 * HOUR + 7 * 60 + 31;
  pods.push({
    shape: SHAPES.debug,
    name: 'debug',
    uid: uuid(rng),
    start: debugAt,
    end: debugAt + 23 * 60 + 17,
  });
  return pods.filter((p) => p.start < to);
}

/** The pod as the API server last showed it: terminated, with the times the meter reads. */
function podObject(p: HistoryPod): V1Pod {
  const size = billableSize({ cpuMilli: p.shape.cpuMilli, memoryBytes: p.shape.memoryMiB * MIB });
  const overhead = RUNTIME_OVERHEAD[DEMO_RUNTIME_CLASS];
  const amount = { cpu: `${size.cpuMilli}m`, memory: `${size.memoryBytes / MIB}Mi` };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.shape.namespace,
      uid: p.uid,
      labels: {
        app: p.shape.app,
        [SIZE_LABEL]: podSizeLabel(size),
        ...(p.podTemplateHash ? { 'pod-template-hash': p.podTemplateHash } : {}),
      },
      ...(p.controller
        ? {
            ownerReferences: [
              {
                apiVersion: p.controller.kind === 'Job' ? 'batch/v1' : 'apps/v1',
                kind: p.controller.kind,
                name: p.controller.name,
                uid: `owner-${fnv32a(p.controller.name)}`,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      runtimeClassName: DEMO_RUNTIME_CLASS,
      overhead: { cpu: `${overhead.cpuMilli}m`, memory: `${overhead.memoryBytes / MIB}Mi` },
      containers: [
        {
          name: p.shape.app,
          image: 'demo',
          resources: { requests: { ...amount }, limits: { ...amount } },
        },
      ],
    },
    status: {
      phase: p.failed ? 'Failed' : 'Succeeded',
      conditions: [
        {
          type: 'PodReadyToStartContainers',
          status: 'True',
          lastTransitionTime: new Date(p.start * 1000),
        },
      ],
      containerStatuses: [
        {
          name: p.shape.app,
          image: 'demo',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            terminated: {
              exitCode: p.failed ? 1 : 0,
              startedAt: new Date((p.start + 1) * 1000),
              finishedAt: new Date(p.end * 1000),
            },
          },
        },
      ],
    },
  };
}

/** A five-hour metrics-server outage on the week's fourth day (usage missing, never 0). */
const outage = (from: number): [number, number] => {
  const start = from + 3 * DAY + 9 * HOUR;
  return [start, start + 5 * HOUR];
};

/** One sample per hour the pod lived (PodMetrics averaged over the hour), none in the outage. */
function samplesOf(rng: Random, p: HistoryPod, down: [number, number]): UsageSample[] {
  const out: UsageSample[] = [];
  const size = billableSize({ cpuMilli: p.shape.cpuMilli, memoryBytes: p.shape.memoryMiB * MIB });
  for (let h = Math.floor(p.start / HOUR) * HOUR; h < p.end; h += HOUR) {
    if (h + HOUR > down[0] && h < down[1]) continue;
    // Busier in the day than at night (UTC), with some noise.
    const hourOfDay = new Date(h * 1000).getUTCHours();
    const daily = 0.75 + 0.35 * Math.sin(((hourOfDay - 8) / 24) * 2 * Math.PI);
    const noise = 1 + 0.15 * rng.normal();
    const cpu = Math.max(0.005, Math.min(1.4, p.shape.cpu * daily * noise));
    const memory = Math.max(0.02, Math.min(0.98, p.shape.memory * (0.95 + 0.05 * noise)));
    out.push({
      endMs: (h + HOUR) * 1000,
      windowMs: HOUR * 1000,
      cpuNanocores: Math.round(size.cpuMilli * 1e6 * cpu),
      memoryBytes: Math.round(size.memoryBytes * memory),
    });
  }
  return out;
}

export interface DemoHistory {
  /** The hour boundary the history is written through (the meter's watermark). */
  watermark: number;
  records: LedgerRecord[];
  chunks: LedgerChunk[];
  pods: number;
}

/** The week before the hour `nowSeconds` falls in, as the meter's ledger. */
export function demoHistory(nowSeconds: number, seed: number): DemoHistory {
  const rng = mulberry32(seed ^ fnv32a('usage-history'));
  const watermark = Math.floor(nowSeconds / HOUR) * HOUR;
  const from = watermark - HISTORY_DAYS * DAY;
  const pods = weekPods(rng, from, watermark);
  // The meter's owner index: the nightly report's Jobs belong to the CronJob.
  const owners = new OwnerIndex();
  for (const p of pods) {
    if (p.controller?.kind === 'Job' && p.controller.name.startsWith('nightly-report-')) {
      owners.set('Job', p.shape.namespace, p.controller.name, {
        kind: 'CronJob',
        name: 'nightly-report',
      });
    }
  }
  const down = outage(from);
  const records = pods.flatMap((p) =>
    segmentsOf(podLife(podObject(p), { owners }), watermark, samplesOf(rng, p, down)),
  );
  // The meter appends each hour's records when the hour closes (and a pod's last when it ends).
  records.sort((a, b) => a.to - b.to || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const { chunks } = appendRecords([], records);
  return { watermark, records, chunks, pods: pods.length };
}

/** The objects to create in the demo: the namespace, the chunks, the meter's watermark. */
export function historyObjects(history: DemoHistory): (V1ConfigMap | Record<string, unknown>)[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: LEDGER_NAMESPACE,
        labels: { 'kubernetes.io/metadata.name': LEDGER_NAMESPACE },
      },
    },
    ...history.chunks.map((c) => chunkToConfigMap(c)),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: METER_STATE_NAME,
        namespace: LEDGER_NAMESPACE,
        labels: { [LEDGER_LABEL]: LEDGER_STATE_LABEL_VALUE },
      },
      data: { [METER_WATERMARK_KEY]: String(history.watermark) },
    },
  ];
}
