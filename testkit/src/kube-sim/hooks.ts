/**
 * Hooks through which the simulated cluster (`sim/`) feeds data the API server serves but does
 * not store as objects: container logs (`pods/log`) and usage (`metrics.k8s.io`). The API side
 * owns these; `startKubeSim` passes them to `startSimulation`.
 *
 * @see https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.33/#read-log-pod-v1-core
 * @see https://github.com/kubernetes/metrics/blob/master/pkg/apis/metrics/v1beta1/types.go
 */
import type { KubeObject } from './store/types.ts';

/** Where kubelets write container output. */
export interface PodLogSink {
  append(namespace: string, pod: string, container: string, line: string): void;
}

/** What `pods/log` asks of a container's log (the API's PodLogOptions, resolved). */
export interface PodLogReadOptions {
  tailLines?: number;
  /** ms since the epoch: only lines written at or after it. */
  sinceTime?: number;
  /** Prefix each line with its RFC 3339 (nanosecond) time and a space, as the kubelet does. */
  timestamps?: boolean;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
}

/** Log storage with bounded per-container buffers, readable and followable by the API. */
export interface PodLogs extends PodLogSink {
  /** Throws StoreError 400 with the kubelet's words when there is no such log (yet). */
  read(namespace: string, pod: string, container: string, options?: PodLogReadOptions): string[];
  /** Calls `onLine` for each line appended after now; returns an unsubscribe. */
  follow(
    namespace: string,
    pod: string,
    container: string,
    onLine: (line: string) => void,
    options?: { timestamps?: boolean },
  ): () => void;
  /** Drops a pod's logs (called when a pod is deleted). */
  forget(namespace: string, pod: string): void;
}

/**
 * Supplies metrics.k8s.io objects: `PodMetrics` (for `resource: 'pods'`, optionally limited to a
 * namespace) or `NodeMetrics` (for `resource: 'nodes'`), in the shape of metrics/v1beta1.
 */
export type MetricsProvider = (
  resource: 'pods' | 'nodes',
  namespace: string | undefined,
) => KubeObject[];

/** The hooks object handed to the simulation. */
export interface SimHooks {
  logs: PodLogSink;
  setMetricsProvider(provider: MetricsProvider): void;
}

/** In-memory PodLogs keeping the last `maxLines` lines per container. */
export function createPodLogs(maxLines = 1000): PodLogs {
  const buffers = new Map<string, string[]>();
  const followers = new Map<string, Set<(line: string) => void>>();
  const key = (ns: string, pod: string, container: string): string => `${ns}/${pod}/${container}`;
  return {
    append(ns, pod, container, line) {
      const k = key(ns, pod, container);
      let buf = buffers.get(k);
      if (buf === undefined) buffers.set(k, (buf = []));
      buf.push(line);
      if (buf.length > maxLines) buf.splice(0, buf.length - maxLines);
      for (const f of followers.get(k) ?? []) f(line);
    },
    read(ns, pod, container, options = {}) {
      const { tailLines } = options;
      const buf = buffers.get(key(ns, pod, container)) ?? [];
      return tailLines === undefined ? [...buf] : buf.slice(Math.max(0, buf.length - tailLines));
    },
    follow(ns, pod, container, onLine) {
      const k = key(ns, pod, container);
      let set = followers.get(k);
      if (set === undefined) followers.set(k, (set = new Set()));
      set.add(onLine);
      return () => {
        set.delete(onLine);
        if (set.size === 0) followers.delete(k);
      };
    },
    forget(ns, pod) {
      const prefix = `${ns}/${pod}/`;
      for (const k of [...buffers.keys()]) if (k.startsWith(prefix)) buffers.delete(k);
    },
  };
}
