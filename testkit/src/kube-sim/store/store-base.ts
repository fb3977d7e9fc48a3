/**
 * The storage core of MemoryStore: per-resource buckets, the global resourceVersion, the uid and
 * owner→dependents indexes, event emission to watchers, watch start (replay or initial list, 410
 * Gone beyond the window) and snapshots. MemoryStore adds the write semantics on top.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
import {
  Bucket,
  deliver,
  makeWatcher,
  viewFor,
  type RawWatchHandler,
  type StoredEvent,
} from './bucket.ts';
import {
  detailsOf,
  StoreError,
  type KubeObject,
  type ListOptions,
  type ResourceKey,
} from './types.ts';

/** Watch options beyond ListOptions: where to start. */
export interface WatchOptions extends ListOptions {
  /**
   * Start after this resourceVersion (replaying the window; 410 Gone if it is older than the
   * window). '0' or undefined without `sendInitialEvents` means "from now".
   */
  resourceVersion?: string;
  /** Send a synthetic ADDED for every current object first (a watch without resourceVersion). */
  sendInitialEvents?: boolean;
}

export interface PageOptions extends ListOptions {
  limit?: number;
  /** Key (`ns/name`) of the last item of the previous page. */
  after?: string;
}

export interface Page {
  items: KubeObject[];
  resourceVersion: string;
  /** Key of the last returned item when more remain. */
  nextAfter?: string;
  remaining?: number;
}

export interface MemoryStoreOptions {
  /** Events kept per resource for watch resume. Default 10,000. */
  watchWindow?: number;
  now?: () => number;
  random?: () => number;
  /** Called after every write (used for debounced persistence). */
  onChange?: () => void;
  /**
   * Whether objects of `resource` carry `metadata.generation` (1 on create, +1 on every change
   * outside metadata and status). Default: all do; kube-sim passes upstream's list.
   */
  tracksGeneration?: (resource: ResourceKey) => boolean;
}

export interface StoreSnapshot {
  resourceVersion: number;
  resources: Record<string, KubeObject[]>;
}

export function resourceId(r: ResourceKey): string {
  return `${r.group}/${r.resource}`;
}

/** `pods`, `deployments.apps`: the qualified name upstream messages use. */
export function qualified(r: ResourceKey): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

export function notFound(r: ResourceKey, name: string): StoreError {
  return new StoreError(404, 'NotFound', `${qualified(r)} "${name}" not found`, detailsOf(r, name));
}

export abstract class StoreBase {
  protected rv = 0;
  protected readonly buckets = new Map<string, Bucket>();
  /** uid → where the object lives. */
  readonly byUid = new Map<
    string,
    { resource: ResourceKey; namespace: string | undefined; name: string }
  >();
  /** owner uid → dependent uids. */
  readonly dependents = new Map<string, Set<string>>();
  protected window: number;
  protected readonly now: () => number;
  protected readonly random: () => number;
  protected readonly onChange: (() => void) | undefined;
  protected readonly tracksGeneration: (resource: ResourceKey) => boolean;

  constructor(options: MemoryStoreOptions = {}) {
    this.window = options.watchWindow ?? 10_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onChange = options.onChange;
    this.tracksGeneration = options.tracksGeneration ?? (() => true);
  }

  /** The newest resourceVersion handed out. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  setWatchWindow(window: number): void {
    this.window = window;
    for (const b of this.buckets.values()) b.setWindow(window);
  }

  protected bucket(r: ResourceKey): Bucket {
    const id = resourceId(r);
    let b = this.buckets.get(id);
    if (b === undefined) this.buckets.set(id, (b = new Bucket(id, this.window)));
    return b;
  }

  /** The stored object itself: shared, must not be mutated. */
  getRaw(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.buckets.get(resourceId(resource))?.get(namespace, name);
  }

  /** A page of stored (shared, read-only) objects in key order. */
  page(resource: ResourceKey, options: PageOptions = {}): Page {
    const b = this.buckets.get(resourceId(resource));
    const resourceVersion = String(this.rv);
    if (b === undefined) return { items: [], resourceVersion };
    const items: KubeObject[] = [];
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
    let lastKey: string | undefined;
    let remaining = 0;
    const unfiltered = (options.labelSelector ?? '') === '' && (options.fieldSelector ?? '') === '';
    for (const [k, o] of b.iterate(options, options.after)) {
      if (items.length < limit) {
        items.push(o);
        lastKey = k;
      } else if (unfiltered && lastKey !== undefined) {
        // Nothing filters: what remains is a count of keys, not a walk.
        remaining = b.countAfter(options.namespace, lastKey);
        break;
      } else remaining++;
    }
    return remaining > 0
      ? { items, resourceVersion, nextAfter: lastKey, remaining }
      : { items, resourceVersion };
  }

  /** Number of stored objects of a resource. */
  count(resource: ResourceKey): number {
    return this.buckets.get(resourceId(resource))?.size ?? 0;
  }

  /** True when a namespace exists and is not terminating (NamespaceLifecycle admission). */
  namespaceState(ns: string): 'active' | 'terminating' | 'missing' {
    const o = this.getRaw({ group: '', version: 'v1', resource: 'namespaces' }, undefined, ns);
    if (o === undefined) return 'missing';
    return o.metadata.deletionTimestamp === undefined ? 'active' : 'terminating';
  }

  /**
   * Watches with shared (read-only) objects. Throws 410 Gone when `resourceVersion` is older
   * than the kept window.
   */
  watchRaw(resource: ResourceKey, handler: RawWatchHandler, options?: WatchOptions): () => void {
    const b = this.bucket(resource);
    const w = makeWatcher(options, handler);
    const rvText = options?.resourceVersion;
    if (rvText !== undefined && rvText !== '' && rvText !== '0') {
      const since = Number(rvText);
      if (!Number.isFinite(since))
        throw new StoreError(400, 'BadRequest', `invalid resourceVersion "${rvText}"`);
      const replay = b.eventsSince(since);
      if (replay === undefined) {
        throw new StoreError(
          410,
          'Gone',
          `too old resource version: ${rvText} (${b.droppedRv + 1})`,
        );
      }
      for (const e of replay) {
        const t = viewFor(w, e);
        if (t !== undefined) deliver(w, t, e.object);
      }
    } else if (options?.sendInitialEvents === true) {
      for (const [, o] of b.iterate(options)) deliver(w, 'ADDED', o);
    }
    b.addWatcher(w);
    return () => b.removeWatcher(w);
  }

  protected emit(b: Bucket, e: StoredEvent): void {
    b.record(e);
    for (const w of b.interested(e)) {
      const t = viewFor(w, e);
      if (t !== undefined) deliver(w, t, e.object);
    }
    this.onChange?.();
  }

  /** A fresh uid from the store's (seeded) generator, for admission that needs it early. */
  newUid(): string {
    return this.uid();
  }

  protected uid(): string {
    const hex = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) s += Math.floor(this.random() * 16).toString(16);
      return s;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(this.random() * 4)] ?? '8'}${hex(3)}-${hex(12)}`;
  }

  protected linkOwners(now: KubeObject | undefined, before: KubeObject | undefined): void {
    const uid = (now ?? before)?.metadata.uid ?? '';
    const oldOwners = new Set((before?.metadata.ownerReferences ?? []).map((r) => r.uid));
    const newOwners = new Set((now?.metadata.ownerReferences ?? []).map((r) => r.uid));
    for (const o of oldOwners) {
      if (newOwners.has(o)) continue;
      const set = this.dependents.get(o);
      set?.delete(uid);
      if (set?.size === 0) this.dependents.delete(o);
    }
    for (const o of newOwners) {
      let set = this.dependents.get(o);
      if (set === undefined) this.dependents.set(o, (set = new Set()));
      set.add(uid);
    }
  }

  snapshot(): StoreSnapshot {
    const resources: Record<string, KubeObject[]> = {};
    for (const b of this.buckets.values()) {
      const all: KubeObject[] = [];
      for (const m of b.byNs.values()) all.push(...m.values());
      if (all.length > 0) resources[b.key] = all;
    }
    return { resourceVersion: this.rv, resources };
  }

  /** Loads a snapshot into an empty store (no events are emitted). */
  restore(s: StoreSnapshot): void {
    this.rv = Math.max(this.rv, s.resourceVersion);
    for (const [key, objects] of Object.entries(s.resources)) {
      const [group = '', resource = ''] = key.split('/');
      const b = this.bucket({ group, version: '', resource });
      for (const o of objects) {
        b.put(o);
        const uid = o.metadata.uid ?? '';
        this.byUid.set(uid, {
          resource: { group, version: '', resource },
          namespace: o.metadata.namespace,
          name: o.metadata.name ?? '',
        });
        this.linkOwners(o, undefined);
      }
    }
  }

  /** Stored object by uid (for garbage collection). */
  byUidRaw(uid: string): { resource: ResourceKey; object: KubeObject } | undefined {
    const loc = this.byUid.get(uid);
    if (loc === undefined) return undefined;
    const object = this.getRaw(loc.resource, loc.namespace, loc.name);
    return object === undefined ? undefined : { resource: loc.resource, object };
  }
}
