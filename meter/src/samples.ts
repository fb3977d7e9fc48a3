/**
 * Usage samples: metrics.k8s.io/v1beta1 PodMetrics listed every sample interval, folded into
 * per-pod samples kept in memory until the pod's records are written. When the metrics API is not
 * served (no metrics-server, or it is down: 404/503) there are simply no samples, and the records
 * say usage "missing" — never 0.
 *
 * @see https://github.com/kubernetes-sigs/metrics-server
 * @see https://kubernetes.io/docs/reference/external-api/metrics.v1beta1/
 * @see ../../cluster-runtime/src/metering/usage.ts
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  podMetricsSample,
  type PodMetricsLike,
  type ResourceRef,
  type UsageSample,
} from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog, MeterTimers } from './client.ts';
import { periodic } from './periodic.ts';

export const POD_METRICS: ResourceRef = {
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
};

type PodMetricsObject = KubernetesObject & PodMetricsLike;

/** Samples per pod uid. */
export interface SampleBook {
  add(uid: string, sample: UsageSample): void;
  get(uid: string): readonly UsageSample[];
  drop(uid: string): void;
  /** Forgets samples that ended before `ms` (their hours are written). */
  prune(beforeMs: number): void;
  size(): number;
}

export function createSampleBook(): SampleBook {
  const book = new Map<string, UsageSample[]>();
  return {
    add(uid, s) {
      const list = book.get(uid) ?? [];
      // metrics-server answers the same scrape until its next one: keep each window once.
      if (list.some((x) => x.endMs === s.endMs)) return;
      list.push(s);
      book.set(uid, list);
    },
    get: (uid) => book.get(uid) ?? [],
    drop: (uid) => void book.delete(uid),
    prune(beforeMs) {
      for (const [uid, list] of book) {
        const kept = list.filter((s) => s.endMs >= beforeMs);
        if (kept.length === 0) book.delete(uid);
        else book.set(uid, kept);
      }
    },
    size: () => book.size,
  };
}

export interface SamplerDeps {
  client: MeterClient;
  timers: MeterTimers;
  log: MeterLog;
  book: SampleBook;
  /** The uid of the pod `namespace/name` as the pod watch knows it now. */
  uidOf: (namespace: string, name: string) => string | undefined;
  intervalMs: number;
}

export interface Sampler {
  start(): void;
  stop(): void;
  /** One round (exported for tests): the number of samples taken. */
  sampleOnce(): Promise<number>;
}

export function createSampler(deps: SamplerDeps): Sampler {
  let missingLogged = false;

  async function sampleOnce(): Promise<number> {
    let items: PodMetricsObject[];
    try {
      items = (await deps.client.list<PodMetricsObject>(POD_METRICS)).items;
      missingLogged = false;
    } catch (e) {
      // Not served (UnknownResourceError, 404) or unavailable (503): no samples this round.
      if (!missingLogged) {
        deps.log('metrics-unavailable', { message: e instanceof Error ? e.message : String(e) });
        missingLogged = true;
      }
      return 0;
    }
    let taken = 0;
    for (const m of items) {
      const uid = deps.uidOf(m.metadata?.namespace ?? '', m.metadata?.name ?? '');
      const sample = uid === undefined ? undefined : podMetricsSample(m);
      if (uid === undefined || sample === undefined) continue;
      deps.book.add(uid, sample);
      taken++;
    }
    return taken;
  }

  return { sampleOnce, ...periodic(sampleOnce, deps.intervalMs, deps.timers) };
}
