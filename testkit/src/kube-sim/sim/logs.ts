/**
 * Container logs of simulated pods: a bounded ring buffer per container, filled by the kubelet
 * (startup banner, crash and completion lines) and by a lazily evaluated heartbeat, so 50,000
 * idle containers cost no timers. Served by the API as `pods/log`.
 *
 * @see https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.33/#read-log-pod-v1-core
 */
import type { SimClock, SimTimer } from '../clock.ts';
import { StoreError, type ObjectStore } from '../store/types.ts';
import { R, view, type Pod } from './model.ts';

export interface LogReadOptions {
  tailLines?: number;
  /** RFC 3339 time or ms since the epoch: only lines at or after it. */
  sinceTime?: string | number;
  /** Prefix each line with its RFC 3339 timestamp, as `kubectl logs --timestamps`. */
  timestamps?: boolean;
  /** The previous (terminated) instance's lines, as `kubectl logs --previous`. */
  previous?: boolean;
}

/** Read access to container logs, for the API's `pods/log`. */
export interface LogSource {
  /**
   * Lines of one container (the pod's default container when `container` is undefined).
   * Throws StoreError 404 for an unknown pod and 400 for an unknown or not yet started container,
   * with upstream's messages.
   */
  read(
    namespace: string,
    pod: string,
    container: string | undefined,
    options?: LogReadOptions,
  ): string[];
  /** Calls `onLine` for every line written after now; returns an unsubscribe. */
  follow(
    namespace: string,
    pod: string,
    container: string | undefined,
    onLine: (line: string) => void,
    options?: { timestamps?: boolean },
  ): () => void;
}

interface Line {
  ts: number;
  text: string;
}

interface Buffer {
  lines: Line[];
  /** The previous instance's lines, kept when the container restarts (as the kubelet keeps one). */
  previous?: Line[];
  /** Heartbeat generator state while the container runs. */
  heartbeat?: { from: number; every: number; next: number; text: (n: number) => string };
  followers: Set<(line: Line) => void>;
  timers: Map<(line: Line) => void, SimTimer>;
}

export class PodLogs implements LogSource {
  private readonly buffers = new Map<string, Buffer>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly maxLines = 1000,
  ) {}

  /** Appends a line now (kubelet). */
  write(namespace: string, pod: string, container: string, text: string): void {
    const b = this.buffer(namespace, pod, container);
    this.catchUp(b);
    this.push(b, { ts: this.clock.now(), text });
  }

  /** Starts (or, with `every` 0, stops) the periodic heartbeat lines of a container. */
  heartbeat(
    namespace: string,
    pod: string,
    container: string,
    every: number,
    text?: (n: number) => string,
  ): void {
    const b = this.buffer(namespace, pod, container);
    this.catchUp(b);
    const now = this.clock.now();
    b.heartbeat = every > 0 && text ? { from: now, every, next: 1, text } : undefined;
  }

  /**
   * The container starts again: its lines so far become the previous instance's (read with
   * `previous`), the new instance starts with an empty log.
   */
  restarted(namespace: string, pod: string, container: string): void {
    const b = this.buffer(namespace, pod, container);
    this.catchUp(b);
    b.previous = b.lines;
    b.lines = [];
    b.heartbeat = undefined;
  }

  /** Drops a pod's logs (pod deleted). */
  forget(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [k, b] of this.buffers) {
      if (!k.startsWith(prefix)) continue;
      for (const t of b.timers.values()) this.clock.clearTimeout(t);
      this.buffers.delete(k);
    }
  }

  stop(): void {
    for (const b of this.buffers.values())
      for (const t of b.timers.values()) this.clock.clearTimeout(t);
  }

  read(
    namespace: string,
    pod: string,
    container: string | undefined,
    options: LogReadOptions = {},
  ): string[] {
    const name = this.resolve(namespace, pod, container, options.previous);
    const b = this.buffers.get(`${namespace}/${pod}/${name}`);
    if (!b) return [];
    this.catchUp(b);
    let lines = options.previous ? (b.previous ?? []) : b.lines;
    if (options.sinceTime !== undefined) {
      const since =
        typeof options.sinceTime === 'number' ? options.sinceTime : Date.parse(options.sinceTime);
      lines = lines.filter((l) => l.ts >= since);
    }
    if (options.tailLines !== undefined)
      lines = lines.slice(Math.max(0, lines.length - options.tailLines));
    return lines.map((l) => format(l, options.timestamps));
  }

  follow(
    namespace: string,
    pod: string,
    container: string | undefined,
    onLine: (line: string) => void,
    options: { timestamps?: boolean } = {},
  ): () => void {
    const name = this.resolve(namespace, pod, container);
    const b = this.buffer(namespace, pod, name);
    this.catchUp(b);
    const listener = (l: Line): void => onLine(format(l, options.timestamps));
    b.followers.add(listener);
    // While followed, heartbeat lines are produced on time instead of lazily.
    const tick = (): void => {
      this.catchUp(b);
      if (b.followers.has(listener))
        b.timers.set(listener, this.clock.setTimeout(tick, b.heartbeat?.every ?? 1000));
    };
    b.timers.set(listener, this.clock.setTimeout(tick, b.heartbeat?.every ?? 1000));
    return () => {
      b.followers.delete(listener);
      const t = b.timers.get(listener);
      if (t) this.clock.clearTimeout(t);
      b.timers.delete(listener);
    };
  }

  /** Validates pod and container as the kubelet's log endpoint does; returns the container name. */
  private resolve(
    namespace: string,
    podName: string,
    container: string | undefined,
    previous = false,
  ): string {
    const o = this.store.get(R.pods, namespace, podName);
    if (!o) throw new StoreError(404, 'NotFound', `pods "${podName}" not found`);
    const pod = view<Pod>(o);
    const names = (pod.spec?.containers ?? []).map((c) => c.name);
    const name =
      container ??
      pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ??
      names[0];
    if (name === undefined)
      throw new StoreError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${podName}`,
      );
    if (!names.includes(name) && !(pod.spec?.initContainers ?? []).some((c) => c.name === name))
      throw new StoreError(400, 'BadRequest', `container ${name} is not valid for pod ${podName}`);
    const status = pod.status?.containerStatuses?.find((s) => s.name === name);
    if (previous) {
      if (!this.buffers.get(`${namespace}/${podName}/${name}`)?.previous)
        throw new StoreError(
          400,
          'BadRequest',
          `previous terminated container "${name}" in pod "${podName}" not found`,
        );
      return name;
    }
    const waiting = status?.state?.waiting;
    if (
      (!status || waiting) &&
      (status?.restartCount ?? 0) === 0 &&
      !this.buffers.has(`${namespace}/${podName}/${name}`)
    ) {
      const reason = waiting?.reason ?? 'ContainerCreating';
      throw new StoreError(
        400,
        'BadRequest',
        `container "${name}" in pod "${podName}" is waiting to start: ${reason}`,
      );
    }
    return name;
  }

  private buffer(namespace: string, pod: string, container: string): Buffer {
    const k = `${namespace}/${pod}/${container}`;
    let b = this.buffers.get(k);
    if (!b) this.buffers.set(k, (b = { lines: [], followers: new Set(), timers: new Map() }));
    return b;
  }

  /** Materialises heartbeat lines due by now (at most a buffer's worth). */
  private catchUp(b: Buffer): void {
    const h = b.heartbeat;
    if (!h) return;
    const now = this.clock.now();
    const due = Math.floor((now - h.from) / h.every);
    if (due < h.next) return;
    const first = Math.max(h.next, due - this.maxLines + 1);
    for (let n = first; n <= due; n++) this.push(b, { ts: h.from + n * h.every, text: h.text(n) });
    h.next = due + 1;
  }

  private push(b: Buffer, line: Line): void {
    b.lines.push(line);
    if (b.lines.length > this.maxLines) b.lines.splice(0, b.lines.length - this.maxLines);
    for (const f of b.followers) f(line);
  }
}

function format(l: Line, timestamps: boolean | undefined): string {
  return timestamps ? `${new Date(l.ts).toISOString().replace('Z', '000000Z')} ${l.text}` : l.text;
}
