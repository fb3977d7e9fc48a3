/**
 * The demo's week of pods, as its workloads (workloads.ts) lived it: who ran, from when to when,
 * under which controller — the input of history.ts, which turns them into the meter's ledger.
 * Seeded: the same PRNG state gives the same pods, names and uids.
 */
import { type Random } from '../kube-sim/sim/prng.ts';

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const HISTORY_DAYS = 7;

export interface Shape {
  namespace: string;
  app: string;
  cpuMilli: number;
  memoryMiB: number;
  /** Typical CPU and memory use as a share of the spec. */
  cpu: number;
  memory: number;
}

export interface HistoryPod {
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
export function weekPods(rng: Random, from: number, to: number): HistoryPod[] {
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
