/**
 * The Overview section's data, computed from a connection's caches: health (status, machines
 * Ready), the capacity pool (cluster-runtime's pool math), pod counts by phase and the
 * warnings. Pushed to subscribers when something it depends on changes, at most twice a second
 * however fast pods change (one computation per connection, shared by every window).
 *
 * Pods that wait because no machine has room (cluster-runtime's pool-full: PodScheduled
 * Unschedulable or FailedScheduling events saying `Insufficient cpu/memory`, joined through the
 * events-by-uid index) are said in one sentence with the pool's free room; other Pending pods
 * keep the plain "Pending" warning.
 *
 * The sandbox overhead every new pod pays is that of the RuntimeClass most pods run under
 * (admission puts every tenant pod on the cluster's sandbox class), else the first Nodeless
 * sandbox class the cluster has.
 */
import {
  capacityPool,
  capacityShortage,
  poolFullNotice,
  resourceAmount,
  SANDBOXES,
  type CacheTimers,
  type PoolPod,
  type WaitingPod,
} from '@nodeless/cluster-runtime';
import type { SubscribeOptions } from '../feed/index.ts';
import type { Connection } from './connection.ts';
import type { CapacityPool, Overview, OverviewWarning, PoolAmount } from './contract.ts';

/** Minimum time between two pushes of one connection's Overview. */
export const OVERVIEW_INTERVAL_MS = 500;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The capacity pool of a connection's machines and placed pods. */
export function poolOf(
  connection: Pick<Connection, 'pods' | 'nodes' | 'runtimeClasses'>,
): CapacityPool {
  const poolPods: PoolPod[] = [];
  const classes = new Map<string, number>();
  for (const pod of connection.pods.rows().values()) {
    poolPods.push({
      node: pod.node,
      phase: pod.phase,
      request: pod.request ?? { cpuMilli: 0, memoryBytes: 0 },
    });
    if (pod.runtimeClass) classes.set(pod.runtimeClass, (classes.get(pod.runtimeClass) ?? 0) + 1);
  }
  return capacityPool(
    connection.nodes.rows().values(),
    poolPods,
    sandboxOverhead(connection, classes),
  );
}

export function computeOverview(connection: Connection): Overview {
  const nodes = [...connection.nodes.rows().values()];
  const pods = { total: 0, running: 0, pending: 0, failed: 0, succeeded: 0 };
  const waiting: WaitingPod[] = [];
  for (const pod of connection.pods.rows().values()) {
    pods.total++;
    if (pod.phase === 'Running') pods.running++;
    else if (pod.phase === 'Pending') pods.pending++;
    else if (pod.phase === 'Failed') pods.failed++;
    else if (pod.phase === 'Succeeded') pods.succeeded++;
    if (pod.phase === 'Pending' && pod.node === undefined) {
      const short = capacityShortage(pod, connection.eventsByObject.get(pod.uid));
      if (short) waiting.push({ size: pod.size, short });
    }
  }
  const ready = nodes.filter((n) => n.ready).length;
  const pool = poolOf(connection);
  const metricsAvailable = connection.metricsAvailable;
  const warnings: OverviewWarning[] = [];
  const fits = new Map(pool.fits.map((f) => [f.size, f.count]));
  const poolFull = poolFullNotice(waiting, pool.free, fits);
  if (poolFull) {
    warnings.push({
      kind: 'pool-full',
      count: poolFull.pods,
      message: `${poolFull.message}.`,
      poolFull,
    });
  }
  const otherPending = pods.pending - waiting.length;
  if (otherPending > 0) {
    warnings.push({
      kind: 'pending-pods',
      count: otherPending,
      message: `${plural(otherPending, 'pod is', 'pods are')} Pending: not placed on a machine or not started yet.`,
    });
  }
  if (pods.failed > 0) {
    warnings.push({
      kind: 'failed-pods',
      count: pods.failed,
      message: `${plural(pods.failed, 'pod has', 'pods have')} failed.`,
    });
  }
  if (ready < nodes.length) {
    warnings.push({
      kind: 'machines-not-ready',
      count: nodes.length - ready,
      message: `${plural(nodes.length - ready, 'machine is', 'machines are')} not Ready: their capacity is not in the pool.`,
    });
  }
  if (!metricsAvailable) {
    warnings.push({
      kind: 'metrics-missing',
      message:
        'Usage metrics are missing: the metrics API (v1beta1.metrics.k8s.io, metrics-server) is not available.',
    });
  }
  return {
    status: connection.status,
    ...(connection.version === undefined ? {} : { version: connection.version }),
    machines: { total: nodes.length, ready },
    pool,
    pods,
    metricsAvailable,
    warnings,
  };
}

function sandboxOverhead(
  connection: Pick<Connection, 'runtimeClasses'>,
  used: Map<string, number>,
): PoolAmount {
  const rcs = connection.runtimeClasses.rows();
  const byName = new Map([...rcs.values()].map((rc) => [rc.name, rc]));
  const mostUsed = [...used.entries()]
    .filter(([name]) => byName.has(name))
    .sort((a, b) => b[1] - a[1])[0]?.[0];
  const name = mostUsed ?? SANDBOXES.find((s) => byName.has(s));
  const rc = name === undefined ? undefined : byName.get(name);
  return rc ? resourceAmount(rc.overhead) : { cpuMilli: 0, memoryBytes: 0 };
}

/** One connection's Overview, recomputed at most every {@link OVERVIEW_INTERVAL_MS}. */
class OverviewPublisher {
  #value: Overview | undefined;
  #dirty = true;
  #last = Number.NEGATIVE_INFINITY;
  #timer: unknown;
  readonly #waiters = new Set<() => void>();
  #unlisten: (() => void) | undefined;
  #subscribers = 0;

  constructor(
    private readonly connection: Connection,
    private readonly timers: CacheTimers,
    private readonly intervalMs: number,
  ) {}

  /** The latest Overview (computed now if due). */
  current(): Overview {
    if (this.#dirty || !this.#value) {
      this.#value = computeOverview(this.connection);
      this.#dirty = false;
      this.#last = this.timers.now();
    }
    return this.#value;
  }

  /** Resolves once a newer Overview than `seen` exists (throttled), or `signal` aborts. */
  async next(seen: Overview | undefined, signal: AbortSignal): Promise<Overview | undefined> {
    while (!signal.aborted) {
      if (this.#value !== seen && this.#value !== undefined && !this.#dirty) return this.#value;
      if (this.#dirty && this.timers.now() - this.#last >= this.intervalMs) return this.current();
      if (this.#dirty) this.#arm();
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.#waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    return undefined;
  }

  #invalidate(): void {
    this.#dirty = true;
    this.#arm();
  }

  /** Wakes the waiters when the interval since the last computation has passed. */
  #arm(): void {
    if (this.#timer !== undefined || this.#waiters.size === 0) return;
    const wait = Math.max(0, this.intervalMs - (this.timers.now() - this.#last));
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = undefined;
      for (const wake of [...this.#waiters]) wake();
    }, wait);
  }

  /** A subscriber arrives: follow the connection's changes. */
  join(): void {
    this.#subscribers++;
    this.#unlisten ??= this.connection.onChange(() => this.#invalidate());
  }

  /** A subscriber leaves; the last one stops the listening. */
  leave(): void {
    if (--this.#subscribers > 0) return;
    this.#unlisten?.();
    this.#unlisten = undefined;
    this.#dirty = true;
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

const publishers = new WeakMap<Connection, OverviewPublisher>();

/**
 * The Overview now, then each newer one (throttled), until `signal` aborts. Subscribers of one
 * connection share one computation. `transport.writable` (a WebSocket's buffer bound) is awaited
 * before each one: a window that stops reading is sent the latest Overview later, not a queue.
 */
export async function* overviewStream(
  connection: Connection,
  timers: CacheTimers,
  signal: AbortSignal,
  transport: SubscribeOptions = {},
  intervalMs = OVERVIEW_INTERVAL_MS,
): AsyncGenerator<Overview, void, undefined> {
  let publisher = publishers.get(connection);
  if (!publisher) {
    publisher = new OverviewPublisher(connection, timers, intervalMs);
    publishers.set(connection, publisher);
  }
  let seen: Overview | undefined;
  publisher.join();
  try {
    while (!signal.aborted) {
      // Wait for the transport before taking the next Overview, so the one sent is the latest.
      if (transport.writable) await transport.writable();
      if (signal.aborted) return;
      const next = seen === undefined ? publisher.current() : await publisher.next(seen, signal);
      if (next === undefined) return;
      seen = next;
      yield next;
    }
  } finally {
    publisher.leave();
  }
}
