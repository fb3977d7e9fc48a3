/**
 * A watch-fed, indexed cache of one resource type: the simulation's equivalent of a client-go
 * shared informer. Controllers read from it (O(1) by key, by namespace, by controller owner)
 * and write to the store. Writes are also folded in at once ({@link Cache.assume}), so a
 * controller never acts twice on the same stale view whether the store delivers watch events
 * synchronously or later.
 *
 * @see https://github.com/kubernetes/client-go/blob/master/tools/cache/shared_informer.go
 */
import type { KubeObject, ObjectStore, ResourceKey, WatchEventType } from '../store/types.ts';
import { controllerOf, keyOf } from './model.ts';

export type CacheHandler = (
  type: Exclude<WatchEventType, 'BOOKMARK'>,
  object: KubeObject,
  old: KubeObject | undefined,
) => void;

/** True when `a` is an older resourceVersion than `b` (only comparable when both are integers). */
function older(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length < b.length : a < b;
}

const TOMBSTONES = 100_000;

export class Cache {
  private readonly byKey = new Map<string, KubeObject>();
  private readonly nsIndex = new Map<string, Set<string>>();
  private readonly ownerIndex = new Map<string, Set<string>>();
  private readonly handlers: CacheHandler[] = [];
  /** uids seen deleted: a late event for them must not resurrect the object. */
  private readonly deleted = new Set<string>();
  private readonly unwatch: () => void;

  constructor(
    store: ObjectStore,
    readonly resource: ResourceKey,
  ) {
    this.unwatch = store.watch(resource, (type, object) => {
      if (type === 'BOOKMARK') return;
      if (type === 'DELETED') this.remove(object);
      else this.upsert(object);
    });
    for (const object of store.list(resource)) this.upsert(object);
  }

  on(handler: CacheHandler): void {
    this.handlers.push(handler);
  }

  stop(): void {
    this.unwatch();
    this.handlers.length = 0;
  }

  get(key: string): KubeObject | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  all(): IterableIterator<KubeObject> {
    return this.byKey.values();
  }

  inNamespace(namespace: string): KubeObject[] {
    const keys = this.nsIndex.get(namespace);
    return keys
      ? [...keys].map((k) => this.byKey.get(k)).filter((o): o is KubeObject => o !== undefined)
      : [];
  }

  /** Objects whose controller ownerReference points at `uid`. */
  ownedBy(uid: string | undefined): KubeObject[] {
    const keys = uid ? this.ownerIndex.get(uid) : undefined;
    return keys
      ? [...keys].map((k) => this.byKey.get(k)).filter((o): o is KubeObject => o !== undefined)
      : [];
  }

  /** Folds in an object just written to the store. */
  assume(object: KubeObject | undefined): void {
    if (object) this.upsert(object);
  }

  /** Folds in the result of a store.delete: gone, or still there with a deletionTimestamp. */
  assumeDeleted(key: string, result: KubeObject | undefined, removed: boolean): void {
    const current = result ?? this.byKey.get(key);
    if (!current) return;
    if (removed) this.remove(current);
    else this.upsert(current);
  }

  private upsert(object: KubeObject): void {
    const uid = object.metadata.uid;
    if (uid && this.deleted.has(uid)) return;
    const key = keyOf(object);
    const old = this.byKey.get(key);
    if (
      old &&
      old.metadata.uid === uid &&
      older(object.metadata.resourceVersion, old.metadata.resourceVersion)
    )
      return;
    if (
      old &&
      old.metadata.resourceVersion === object.metadata.resourceVersion &&
      old.metadata.uid === uid
    )
      return;
    if (old) this.unindex(key, old);
    this.byKey.set(key, object);
    this.index(key, object);
    const type = old && old.metadata.uid === uid ? 'MODIFIED' : 'ADDED';
    if (old && old.metadata.uid !== uid) this.emit('DELETED', old, undefined);
    this.emit(type, object, old && old.metadata.uid === uid ? old : undefined);
  }

  private remove(object: KubeObject): void {
    const key = keyOf(object);
    const uid = object.metadata.uid;
    if (uid) {
      if (this.deleted.has(uid)) return;
      this.deleted.add(uid);
      if (this.deleted.size > TOMBSTONES) {
        const first = this.deleted.values().next();
        if (!first.done) this.deleted.delete(first.value);
      }
    }
    const old = this.byKey.get(key);
    if (old && uid && old.metadata.uid !== uid) return;
    if (old) {
      this.unindex(key, old);
      this.byKey.delete(key);
    }
    this.emit('DELETED', old ?? object, undefined);
  }

  private emit(
    type: Exclude<WatchEventType, 'BOOKMARK'>,
    object: KubeObject,
    old: KubeObject | undefined,
  ): void {
    for (const h of this.handlers) h(type, object, old);
  }

  private index(key: string, object: KubeObject): void {
    const ns = object.metadata.namespace;
    if (ns) addTo(this.nsIndex, ns, key);
    const owner = controllerOf(object)?.uid;
    if (owner) addTo(this.ownerIndex, owner, key);
  }

  private unindex(key: string, object: KubeObject): void {
    const ns = object.metadata.namespace;
    if (ns) removeFrom(this.nsIndex, ns, key);
    const owner = controllerOf(object)?.uid;
    if (owner) removeFrom(this.ownerIndex, owner, key);
  }
}

function addTo(index: Map<string, Set<string>>, k: string, v: string): void {
  let s = index.get(k);
  if (!s) index.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom(index: Map<string, Set<string>>, k: string, v: string): void {
  const s = index.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) index.delete(k);
}
