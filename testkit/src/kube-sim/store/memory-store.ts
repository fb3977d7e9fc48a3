/**
 * In-memory ObjectStore with upstream API semantics: one global, monotonically increasing
 * resourceVersion, uid/creationTimestamp/generation, generateName, optimistic concurrency,
 * finalizers + deletionTimestamp, ownerReference garbage collection, namespace termination,
 * selectors, and a bounded per-resource event window for watch resume (410 Gone beyond it).
 *
 * Storage is keyed by group + resource (not version): every served version of a resource shares
 * one set of objects, as in etcd; the HTTP layer stamps the requested apiVersion on the way out.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/concepts/architecture/garbage-collection/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/
 */
import {
  Bucket,
  deliver,
  makeWatcher,
  objectKey,
  viewFor,
  type RawWatchHandler,
  type StoredEvent,
} from './bucket.ts';
import { deleteWithPolicy, releaseForegroundOwners, type GcHost } from './gc.ts';
import {
  StoreError,
  type DeleteOptions,
  type KubeObject,
  type ListOptions,
  type ObjectStore,
  type ResourceKey,
  type WatchHandler,
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
}

export interface StoreSnapshot {
  resourceVersion: number;
  resources: Record<string, KubeObject[]>;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function resourceId(r: ResourceKey): string {
  return `${r.group}/${r.resource}`;
}

/** `pods`, `deployments.apps`: the qualified name upstream messages use. */
export function qualified(r: ResourceKey): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

export function notFound(r: ResourceKey, name: string): StoreError {
  return new StoreError(404, 'NotFound', `${qualified(r)} "${name}" not found`);
}

function strip(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const ma = { ...a.metadata, resourceVersion: undefined, managedFields: undefined };
  const mb = { ...b.metadata, resourceVersion: undefined, managedFields: undefined };
  return JSON.stringify({ ...a, metadata: ma }) === JSON.stringify({ ...b, metadata: mb });
}

export class MemoryStore implements ObjectStore, GcHost {
  private rv = 0;
  private readonly buckets = new Map<string, Bucket>();
  /** uid → where the object lives. */
  readonly byUid = new Map<
    string,
    { resource: ResourceKey; namespace: string | undefined; name: string }
  >();
  /** owner uid → dependent uids. */
  readonly dependents = new Map<string, Set<string>>();
  private window: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onChange: (() => void) | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.window = options.watchWindow ?? 10_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onChange = options.onChange;
  }

  /** The newest resourceVersion handed out. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  setWatchWindow(window: number): void {
    this.window = window;
    for (const b of this.buckets.values()) b.setWindow(window);
  }

  private bucket(r: ResourceKey): Bucket {
    const id = resourceId(r);
    let b = this.buckets.get(id);
    if (b === undefined) this.buckets.set(id, (b = new Bucket(id, this.window)));
    return b;
  }

  // ---- reads -------------------------------------------------------------------------------

  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.getRaw(resource, namespace, name);
    return o === undefined ? undefined : structuredClone(o);
  }

  /** The stored object itself: shared, must not be mutated. */
  getRaw(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.buckets.get(resourceId(resource))?.get(namespace, name);
  }

  list(resource: ResourceKey, options?: ListOptions): KubeObject[] {
    return this.page(resource, options).items.map((o) => structuredClone(o));
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
    for (const [k, o] of b.iterate(options, options.after)) {
      if (items.length < limit) {
        items.push(o);
        lastKey = k;
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

  // ---- writes ------------------------------------------------------------------------------

  create(resource: ResourceKey, object: KubeObject): KubeObject {
    return structuredClone(this.createRaw(resource, object));
  }

  createRaw(resource: ResourceKey, input: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const o = structuredClone(input);
    const meta = o.metadata ?? {};
    o.metadata = meta;
    if ((meta.name ?? '') === '' && (meta.generateName ?? '') !== '') {
      for (let attempt = 0; attempt < 10; attempt++) {
        let suffix = '';
        for (let i = 0; i < 5; i++)
          suffix += NAME_CHARS[Math.floor(this.random() * NAME_CHARS.length)] ?? 'x';
        meta.name = `${meta.generateName ?? ''}${suffix}`;
        if (b.get(meta.namespace, meta.name) === undefined) break;
      }
    }
    const name = meta.name ?? '';
    if (name === '')
      throw new StoreError(
        422,
        'Invalid',
        `${qualified(resource)} "": name or generateName is required`,
      );
    if (b.get(meta.namespace, name) !== undefined) {
      throw new StoreError(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`);
    }
    meta.uid = this.uid();
    meta.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.resourceVersion = String(++this.rv);
    b.put(o);
    this.byUid.set(meta.uid, { resource, namespace: meta.namespace, name });
    this.linkOwners(o, undefined);
    this.emit(b, { rv: this.rv, type: 'ADDED', object: o });
    return o;
  }

  update(
    resource: ResourceKey,
    object: KubeObject,
    options?: { subresource?: 'status' },
  ): KubeObject {
    return structuredClone(this.updateRaw(resource, object, options));
  }

  updateRaw(
    resource: ResourceKey,
    input: KubeObject,
    options?: { subresource?: 'status' },
  ): KubeObject {
    const b = this.bucket(resource);
    const name = input.metadata?.name ?? '';
    const ns = input.metadata?.namespace;
    const old = b.get(ns, name);
    if (old === undefined) throw notFound(resource, name);
    const given = input.metadata?.resourceVersion;
    if (given !== undefined && given !== '' && given !== old.metadata.resourceVersion) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    let o: KubeObject;
    if (options?.subresource === 'status') {
      o = { ...structuredClone(old), status: structuredClone(input['status']) };
    } else {
      o = structuredClone(input);
      o.metadata = {
        ...o.metadata,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        generation: old.metadata.generation,
        deletionTimestamp: old.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds,
      };
      if (o.metadata.deletionTimestamp === undefined) delete o.metadata.deletionTimestamp;
      if (o.metadata.deletionGracePeriodSeconds === undefined)
        delete o.metadata.deletionGracePeriodSeconds;
      if (strip(o) !== strip(old)) o.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    o.metadata.resourceVersion = old.metadata.resourceVersion;
    // A no-op write does not bump resourceVersion nor emit an event, as upstream.
    if (
      sameContent(o, old) &&
      JSON.stringify(o.metadata.managedFields) === JSON.stringify(old.metadata.managedFields)
    ) {
      return old;
    }
    if (
      old.metadata.deletionTimestamp !== undefined &&
      (o.metadata.finalizers ?? []).length === 0
    ) {
      o.metadata.resourceVersion = String(++this.rv);
      b.put(o);
      this.linkOwners(o, old);
      this.emit(b, { rv: this.rv, type: 'MODIFIED', object: o, prev: old });
      this.removeNow(resource, o);
      return o;
    }
    return this.replace(resource, o, old);
  }

  /** Stores `o` over `old`, bumping resourceVersion and emitting MODIFIED. */
  replace(resource: ResourceKey, o: KubeObject, old: KubeObject): KubeObject {
    const b = this.bucket(resource);
    o.metadata.resourceVersion = String(++this.rv);
    b.put(o);
    this.linkOwners(o, old);
    this.emit(b, { rv: this.rv, type: 'MODIFIED', object: o, prev: old });
    return o;
  }

  delete(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined {
    const o = this.deleteRaw(resource, namespace, name, options);
    return o === undefined ? undefined : structuredClone(o);
  }

  deleteRaw(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined {
    const old = this.bucket(resource).get(namespace, name);
    if (old === undefined) return undefined;
    const pre = options?.preconditions;
    if (pre?.uid !== undefined && pre.uid !== old.metadata.uid) {
      throw new StoreError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid ?? ''}`,
      );
    }
    if (
      pre?.resourceVersion !== undefined &&
      pre.resourceVersion !== old.metadata.resourceVersion
    ) {
      throw new StoreError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion ?? ''}`,
      );
    }
    return deleteWithPolicy(this, resource, old, options?.propagationPolicy ?? 'Background');
  }

  /** Marks an object as being deleted (deletionTimestamp), adding finalizers if given. */
  markDeleting(resource: ResourceKey, old: KubeObject, addFinalizers: string[] = []): KubeObject {
    const o = structuredClone(old);
    const fins = new Set(o.metadata.finalizers ?? []);
    for (const f of addFinalizers) fins.add(f);
    o.metadata.finalizers = [...fins];
    o.metadata.deletionTimestamp ??= new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.deletionGracePeriodSeconds ??= 0;
    if (resourceId(resource) === '/namespaces') {
      o['status'] = { ...((o['status'] as object | undefined) ?? {}), phase: 'Terminating' };
    }
    if (sameContent(o, old)) return old;
    return this.replace(resource, o, old);
  }

  /** Removes an object from storage now (no finalizer checks) and runs the follow-ups. */
  removeNow(resource: ResourceKey, o: KubeObject): void {
    const b = this.bucket(resource);
    if (b.get(o.metadata.namespace, o.metadata.name ?? '') === undefined) return;
    b.remove(o);
    const uid = o.metadata.uid ?? '';
    this.byUid.delete(uid);
    this.linkOwners(undefined, o);
    const gone = { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.rv) } };
    this.emit(b, { rv: this.rv, type: 'DELETED', object: gone });
    releaseForegroundOwners(this, o);
    this.afterNamespacedRemoval(o.metadata.namespace);
  }

  // ---- namespaces --------------------------------------------------------------------------

  /** Deletes everything in a terminating namespace; the namespace goes once it is empty. */
  purgeNamespace(ns: string): void {
    for (const b of [...this.buckets.values()]) {
      const m = b.byNs.get(ns);
      if (m === undefined) continue;
      const [group = '', resource = ''] = b.key.split('/');
      for (const o of [...m.values()]) {
        deleteWithPolicy(this, { group, version: '', resource }, o, 'Background');
      }
    }
    this.afterNamespacedRemoval(ns);
  }

  private afterNamespacedRemoval(ns: string | undefined): void {
    if (ns === undefined || ns === '') return;
    const nsKey = { group: '', version: 'v1', resource: 'namespaces' };
    const nsObj = this.getRaw(nsKey, undefined, ns);
    if (nsObj?.metadata.deletionTimestamp === undefined) return;
    for (const b of this.buckets.values()) if (b.byNs.has(ns)) return;
    if ((nsObj.metadata.finalizers ?? []).length === 0) this.removeNow(nsKey, nsObj);
  }

  /** True when a namespace exists and is not terminating (NamespaceLifecycle admission). */
  namespaceState(ns: string): 'active' | 'terminating' | 'missing' {
    const o = this.getRaw({ group: '', version: 'v1', resource: 'namespaces' }, undefined, ns);
    if (o === undefined) return 'missing';
    return o.metadata.deletionTimestamp === undefined ? 'active' : 'terminating';
  }

  // ---- watch -------------------------------------------------------------------------------

  watch(resource: ResourceKey, handler: WatchHandler, options?: WatchOptions): () => void {
    return this.watchRaw(resource, (t, o) => handler(t, structuredClone(o)), options);
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

  private emit(b: Bucket, e: StoredEvent): void {
    b.record(e);
    for (const w of b.interested(e)) {
      const t = viewFor(w, e);
      if (t !== undefined) deliver(w, t, e.object);
    }
    this.onChange?.();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private uid(): string {
    const hex = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) s += Math.floor(this.random() * 16).toString(16);
      return s;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(this.random() * 4)] ?? '8'}${hex(3)}-${hex(12)}`;
  }

  private linkOwners(now: KubeObject | undefined, before: KubeObject | undefined): void {
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

  // ---- persistence -------------------------------------------------------------------------

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

  /** For tests and persistence: the key a stored object would be found under. */
  static key(namespace: string | undefined, name: string): string {
    return objectKey(namespace, name);
  }
}
