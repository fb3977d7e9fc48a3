/**
 * Simulated resource usage, served as metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics (what
 * metrics-server reports and `kubectl top` and the HPA read). Usage comes from a load model:
 * a pod annotation (`sim.nodeless.dev/cpu-millicores`, `sim.nodeless.dev/memory-bytes`, per pod,
 * split across containers), else a caller-supplied function of pod and time, else a small
 * baseline with deterministic noise (seeded, per pod and 15 s window). A node reports the sum of
 * its running pods plus a fixed system overhead (the k3s agent's footprint, DESIGN.md §8).
 *
 * @see https://github.com/kubernetes/metrics/blob/master/pkg/apis/metrics/v1beta1/types.go
 */
import type { V1Container } from '@kubernetes/client-node';
import type { KubeObject } from '../store/types.ts';
import type { Cache } from './cache.ts';
import type { SimContext } from './context.ts';
import { CPU_ANNOTATION, MEMORY_ANNOTATION, R, isoTime, view, type Pod } from './model.ts';
import { fnv32a, mulberry32 } from './prng.ts';
import { bytes, formatKi, formatNanoCpu } from './quantity.ts';

export interface Usage {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
}

/** Input of a custom load model. */
export interface LoadContext {
  pod: Pod;
  container: V1Container;
  /** Simulated now, ms. */
  now: number;
  /** Seeded uniform [0,1) for this pod, container and 15 s window. */
  noise: number;
}

/** Returns a container's usage, or undefined to fall back to annotations/baseline. */
export type LoadModel = (ctx: LoadContext) => Partial<Usage> | undefined;

export interface ContainerMetrics {
  name: string;
  usage: { cpu: string; memory: string };
}

export interface PodMetrics extends KubeObject {
  apiVersion: 'metrics.k8s.io/v1beta1';
  kind: 'PodMetrics';
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

export interface NodeMetrics extends KubeObject {
  apiVersion: 'metrics.k8s.io/v1beta1';
  kind: 'NodeMetrics';
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}

/** What the API serves under metrics.k8s.io/v1beta1. */
export interface MetricsSource {
  /** PodMetrics of running pods, optionally of one namespace. */
  pods(namespace?: string): PodMetrics[];
  pod(namespace: string, name: string): PodMetrics | undefined;
  nodes(): NodeMetrics[];
  node(name: string): NodeMetrics | undefined;
  /** Raw usage of a pod in base units (HPA, tests). */
  podUsage(pod: Pod): Usage | undefined;
}

const WINDOW_MS = 15_000;
const BASE_CPU = 5;
const BASE_MEMORY = 24 * 2 ** 20;
const SYSTEM = { cpu: 120, memory: 275 * 2 ** 20 };

export class SimMetrics implements MetricsSource {
  private readonly podCache: Cache;
  private readonly nodeCache: Cache;

  constructor(
    private readonly ctx: SimContext,
    private readonly model?: LoadModel,
  ) {
    this.podCache = ctx.cache(R.pods);
    this.nodeCache = ctx.cache(R.nodes);
  }

  podUsage(pod: Pod): Usage | undefined {
    return this.containerUsage(pod)?.reduce(
      (a, c) => ({ cpu: a.cpu + c.usage.cpu, memory: a.memory + c.usage.memory }),
      { cpu: 0, memory: 0 },
    );
  }

  pods(namespace?: string): PodMetrics[] {
    const source = namespace ? this.podCache.inNamespace(namespace) : [...this.podCache.all()];
    return source.map((o) => this.toPodMetrics(o)).filter((m): m is PodMetrics => m !== undefined);
  }

  pod(namespace: string, name: string): PodMetrics | undefined {
    const o = this.podCache.get(`${namespace}/${name}`);
    return o ? this.toPodMetrics(o) : undefined;
  }

  nodes(): NodeMetrics[] {
    const totals = new Map<string, Usage>();
    for (const o of this.podCache.all()) {
      const pod = view<Pod>(o);
      const node = pod.spec?.nodeName;
      const u = node ? this.podUsage(pod) : undefined;
      if (!node || !u) continue;
      const t = totals.get(node) ?? { cpu: 0, memory: 0 };
      totals.set(node, { cpu: t.cpu + u.cpu, memory: t.memory + u.memory });
    }
    return [...this.nodeCache.all()].map((n) =>
      this.toNodeMetrics(n, totals.get(n.metadata.name ?? '')),
    );
  }

  node(name: string): NodeMetrics | undefined {
    const n = this.nodeCache.get(name);
    if (!n) return undefined;
    let total: Usage = { cpu: 0, memory: 0 };
    for (const o of this.podCache.all()) {
      const pod = view<Pod>(o);
      if (pod.spec?.nodeName !== name) continue;
      const u = this.podUsage(pod);
      if (u) total = { cpu: total.cpu + u.cpu, memory: total.memory + u.memory };
    }
    return this.toNodeMetrics(n, total);
  }

  /** Per-container usage of a pod with running containers; undefined otherwise (as metrics-server). */
  private containerUsage(pod: Pod): { name: string; usage: Usage }[] | undefined {
    if (pod.status?.phase !== 'Running') return undefined;
    const running = new Set(
      (pod.status.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name),
    );
    const containers = (pod.spec?.containers ?? []).filter((c) => running.has(c.name));
    if (containers.length === 0) return undefined;
    const now = this.ctx.clock.now();
    const ann = pod.metadata?.annotations ?? {};
    const cpuAnn = ann[CPU_ANNOTATION] !== undefined ? Number(ann[CPU_ANNOTATION]) : undefined;
    const memAnn =
      ann[MEMORY_ANNOTATION] !== undefined ? safeBytes(ann[MEMORY_ANNOTATION]) : undefined;
    const windowIndex = Math.floor(now / WINDOW_MS);
    return containers.map((c) => {
      const noise = mulberry32(
        fnv32a(`${this.ctx.seed}/${pod.metadata?.uid}/${c.name}/${windowIndex}`),
      ).next();
      const custom = this.model?.({ pod, container: c, now, noise });
      const cpu =
        cpuAnn !== undefined && Number.isFinite(cpuAnn)
          ? cpuAnn / containers.length
          : (custom?.cpu ?? BASE_CPU + noise * 3);
      const memory =
        memAnn !== undefined
          ? memAnn / containers.length
          : (custom?.memory ?? BASE_MEMORY + noise * 4 * 2 ** 20);
      return { name: c.name, usage: { cpu, memory } };
    });
  }

  private toPodMetrics(o: KubeObject): PodMetrics | undefined {
    const pod = view<Pod>(o);
    const usage = this.containerUsage(pod);
    if (!usage) return undefined;
    const now = this.ctx.clock.now();
    return {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: {
        name: o.metadata.name ?? '',
        namespace: o.metadata.namespace ?? '',
        creationTimestamp: isoTime(now),
        ...(o.metadata.labels ? { labels: o.metadata.labels } : {}),
      },
      timestamp: isoTime(now - WINDOW_MS / 2),
      window: '15s',
      containers: usage.map((c) => ({
        name: c.name,
        usage: { cpu: formatNanoCpu(c.usage.cpu), memory: formatKi(c.usage.memory) },
      })),
    };
  }

  private toNodeMetrics(n: KubeObject, pods: Usage | undefined): NodeMetrics {
    const now = this.ctx.clock.now();
    const u = { cpu: SYSTEM.cpu + (pods?.cpu ?? 0), memory: SYSTEM.memory + (pods?.memory ?? 0) };
    return {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'NodeMetrics',
      metadata: {
        name: n.metadata.name ?? '',
        creationTimestamp: isoTime(now),
        ...(n.metadata.labels ? { labels: n.metadata.labels } : {}),
      },
      timestamp: isoTime(now - WINDOW_MS / 2),
      window: '15s',
      usage: { cpu: formatNanoCpu(u.cpu), memory: formatKi(u.memory) },
    };
  }
}

function safeBytes(q: string | undefined): number | undefined {
  try {
    return bytes(q);
  } catch {
    return undefined;
  }
}
