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
  LEDGER_NAMESPACE,
  OwnerIndex,
  podLife,
  RUNTIME_OVERHEAD,
  segmentsOf,
  SIZE_LABEL,
  type LedgerChunk,
  type LedgerRecord,
  type UsageSample,
  stateConfigMap,
} from '@nodeless/cluster-runtime';
import { fnv32a, mulberry32, type Random } from '../kube-sim/sim/prng.ts';
import { DAY, HISTORY_DAYS, HOUR, weekPods, type HistoryPod } from './history-week.ts';
import { DEMO_RUNTIME_CLASS } from './workloads.ts';

export { HISTORY_DAYS };

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
    stateConfigMap(history.watermark),
  ];
}
