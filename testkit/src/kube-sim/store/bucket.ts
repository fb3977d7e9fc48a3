/**
 * One resource's storage inside MemoryStore: objects by namespace and name, a lazily sorted key
 * list for paginated lists, the bounded event window for watch resume, and its watchers.
 *
 * Stored objects are never mutated after being stored: every write stores a fresh object, so the
 * event window and list snapshots can share references without copying.
 */
import {
  compileFieldSelector,
  compileLabelSelector,
  pinnedNodeName,
  type ObjectPredicate,
} from './selectors.ts';
import type { KubeObject, ListOptions, WatchEventType } from './types.ts';

export interface StoredEvent {
  rv: number;
  type: Exclude<WatchEventType, 'BOOKMARK'>;
  object: KubeObject;
  /** The object before a MODIFIED change, to turn selector exits into DELETED. */
  prev?: KubeObject;
}

/** Receives raw (shared, read-only) objects. */
export type RawWatchHandler = (type: WatchEventType, object: KubeObject) => void;

export interface Watcher {
  namespace: string | undefined;
  labels: ObjectPredicate;
  fields: ObjectPredicate;
  node: string | undefined;
  handler: RawWatchHandler;
  queue: Array<[WatchEventType, KubeObject]>;
  scheduled: boolean;
  closed: boolean;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function nodeNameOf(object: KubeObject | undefined): string | undefined {
  const spec = object?.['spec'];
  if (spec === null || typeof spec !== 'object') return undefined;
  const n = (spec as Record<string, unknown>)['nodeName'];
  return typeof n === 'string' ? n : undefined;
}

export class Bucket {
  readonly byNs = new Map<string, Map<string, KubeObject>>();
  size = 0;
  private sorted: string[] | undefined;
  private events: StoredEvent[] = [];
  private eventsStart = 0;
  /** Highest resourceVersion of an event that fell out of the window (0 = none yet). */
  droppedRv = 0;
  readonly watchers = new Set<Watcher>();
  readonly nodeWatchers = new Map<string, Set<Watcher>>();

  constructor(
    readonly key: string,
    private window: number,
  ) {}

  setWindow(window: number): void {
    this.window = window;
    this.trim();
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byNs.get(namespace ?? '')?.get(name);
  }

  put(object: KubeObject): void {
    const ns = object.metadata.namespace ?? '';
    let m = this.byNs.get(ns);
    if (m === undefined) this.byNs.set(ns, (m = new Map()));
    const name = object.metadata.name ?? '';
    if (!m.has(name)) {
      this.size++;
      this.sorted = undefined;
    }
    m.set(name, object);
  }

  remove(object: KubeObject): void {
    const ns = object.metadata.namespace ?? '';
    const m = this.byNs.get(ns);
    if (m?.delete(object.metadata.name ?? '') === true) {
      this.size--;
      this.sorted = undefined;
      if (m.size === 0) this.byNs.delete(ns);
    }
  }

  /** Keys (`ns/name`) in the order upstream lists them (etcd key order). */
  sortedKeys(): string[] {
    if (this.sorted === undefined) {
      const keys: string[] = [];
      for (const [ns, m] of this.byNs) for (const name of m.keys()) keys.push(`${ns}/${name}`);
      keys.sort();
      this.sorted = keys;
    }
    return this.sorted;
  }

  /** The keys a list walks: all of them, or one namespace's (sorted on demand, it is cheap). */
  private keysFor(ns: string | undefined): string[] {
    if (ns === undefined) return this.sortedKeys();
    const m = this.byNs.get(ns);
    return m === undefined ? [] : [...m.keys()].sort().map((n) => `${ns}/${n}`);
  }

  /** Index of the first key strictly after `afterKey` (binary search). */
  private static startAfter(keys: readonly string[], afterKey: string | undefined): number {
    if (afterKey === undefined) return 0;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] ?? '') <= afterKey) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * How many objects of the namespace (or all) come after `afterKey`, without a selector: a
   * page of an unfiltered list counts what remains without walking it (a 100,000-pod list in
   * pages of 500 would otherwise walk every object for every page).
   */
  countAfter(namespace: string | undefined, afterKey: string): number {
    const keys = this.keysFor(namespace);
    return keys.length - Bucket.startAfter(keys, afterKey);
  }

  /** All objects matching options, in key order, starting strictly after `afterKey`. */
  *iterate(options: ListOptions | undefined, afterKey?: string): Generator<[string, KubeObject]> {
    const labels = compileLabelSelector(options?.labelSelector);
    const fields = compileFieldSelector(options?.fieldSelector);
    const keys = this.keysFor(options?.namespace);
    for (let i = Bucket.startAfter(keys, afterKey); i < keys.length; i++) {
      const k = keys[i] ?? '';
      const slash = k.indexOf('/');
      const o = this.byNs.get(k.slice(0, slash))?.get(k.slice(slash + 1));
      if (o !== undefined && labels(o) && fields(o)) yield [k, o];
    }
  }

  record(event: StoredEvent): void {
    this.events.push(event);
    this.trim();
  }

  private trim(): void {
    const live = this.events.length - this.eventsStart;
    if (live > this.window) {
      const drop = live - this.window;
      const last = this.events[this.eventsStart + drop - 1];
      if (last !== undefined) this.droppedRv = last.rv;
      this.eventsStart += drop;
      // Compact occasionally so the array does not grow without bound.
      if (this.eventsStart > 1024 && this.eventsStart > this.events.length / 2) {
        this.events = this.events.slice(this.eventsStart);
        this.eventsStart = 0;
      }
    }
  }

  /** Events with rv > `since`, or undefined when some of them already fell out of the window. */
  eventsSince(since: number): StoredEvent[] | undefined {
    if (since < this.droppedRv) return undefined;
    const out: StoredEvent[] = [];
    for (let i = this.eventsStart; i < this.events.length; i++) {
      const e = this.events[i];
      if (e !== undefined && e.rv > since) out.push(e);
    }
    return out;
  }

  addWatcher(w: Watcher): void {
    if (w.node !== undefined) {
      let set = this.nodeWatchers.get(w.node);
      if (set === undefined) this.nodeWatchers.set(w.node, (set = new Set()));
      set.add(w);
    } else this.watchers.add(w);
  }

  removeWatcher(w: Watcher): void {
    w.closed = true;
    if (w.node !== undefined) {
      const set = this.nodeWatchers.get(w.node);
      set?.delete(w);
      if (set?.size === 0) this.nodeWatchers.delete(w.node);
    } else this.watchers.delete(w);
  }

  /** Watchers that may care about this event (node-pinned ones only for their node). */
  interested(event: StoredEvent): Set<Watcher> {
    const out = new Set(this.watchers);
    if (this.nodeWatchers.size === 0) return out;
    // Unscheduled pods have no nodeName; watchers pinned to '' (schedulers) must see them.
    for (const n of [nodeNameOf(event.object) ?? '', nodeNameOf(event.prev) ?? '', '']) {
      for (const w of this.nodeWatchers.get(n) ?? []) out.add(w);
    }
    return out;
  }
}

export function makeWatcher(options: ListOptions | undefined, handler: RawWatchHandler): Watcher {
  return {
    namespace: options?.namespace,
    labels: compileLabelSelector(options?.labelSelector),
    fields: compileFieldSelector(options?.fieldSelector),
    node: pinnedNodeName(options?.fieldSelector),
    handler,
    queue: [],
    scheduled: false,
    closed: false,
  };
}

function matches(w: Watcher, o: KubeObject | undefined): boolean {
  if (o === undefined) return false;
  if (w.namespace !== undefined && (o.metadata.namespace ?? '') !== w.namespace) return false;
  return w.labels(o) && w.fields(o);
}

/** Translates a stored event to what this watcher sees (selector entries/exits), or undefined. */
export function viewFor(w: Watcher, e: StoredEvent): WatchEventType | undefined {
  const now = matches(w, e.object);
  if (e.type !== 'MODIFIED') return now ? e.type : undefined;
  const before = matches(w, e.prev);
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

/** Queues an event for a watcher; delivery is asynchronous so handlers may write re-entrantly. */
export function deliver(w: Watcher, type: WatchEventType, object: KubeObject): void {
  if (w.closed) return;
  w.queue.push([type, object]);
  if (w.scheduled) return;
  w.scheduled = true;
  queueMicrotask(() => {
    w.scheduled = false;
    const batch = w.queue;
    w.queue = [];
    for (const [t, o] of batch) {
      if (w.closed) return;
      w.handler(t, o);
    }
  });
}
