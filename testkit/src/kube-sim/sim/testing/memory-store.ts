/**
 * A small in-memory ObjectStore for the simulation's unit tests: the contract of
 * `store/types.ts` (resourceVersion, 409 on stale writes, generation, status subresource,
 * finalizers, graceful pod deletion, background garbage collection, synchronous watches),
 * without selectors beyond namespace and equality labels.
 */
import { randomUUID } from 'node:crypto';
import {
  StoreError,
  type DeleteOptions,
  type KubeObject,
  type ListOptions,
  type ObjectStore,
  type ResourceKey,
  type WatchHandler,
} from '../../store/types.ts';

const CLUSTER_SCOPED = new Set(['namespaces', 'nodes', 'runtimeclasses', 'persistentvolumes']);

interface Watcher {
  handler: WatchHandler;
  namespace: string | undefined;
}

export class TestStore implements ObjectStore {
  private rv = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly keys = new Map<string, ResourceKey>();
  /** uids some object names as owner: only their removal needs a garbage-collection scan. */
  private readonly owners = new Set<string>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(resource).get(this.k(resource, namespace, name));
    return o ? structuredClone(o) : undefined;
  }

  list(resource: ResourceKey, options?: ListOptions): KubeObject[] {
    const out: KubeObject[] = [];
    const eq = parseEquality(options?.labelSelector);
    for (const o of this.bucket(resource).values()) {
      if (options?.namespace && o.metadata.namespace !== options.namespace) continue;
      if (!eq.every(([k, v]) => o.metadata.labels?.[k] === v)) continue;
      out.push(structuredClone(o));
    }
    return out;
  }

  create(resource: ResourceKey, object: KubeObject): KubeObject {
    const o = structuredClone(object);
    const m = o.metadata;
    if (!m.name && m.generateName) m.name = m.generateName + Math.random().toString(36).slice(2, 7);
    if (!m.name) throw new StoreError(422, 'Invalid', 'name or generateName is required');
    if (CLUSTER_SCOPED.has(resource.resource)) delete m.namespace;
    else m.namespace ??= 'default';
    const k = this.k(resource, m.namespace, m.name);
    if (this.bucket(resource).has(k))
      throw new StoreError(409, 'AlreadyExists', `${resource.resource} "${m.name}" already exists`);
    for (const r of m.ownerReferences ?? []) this.owners.add(r.uid);
    m.uid = randomUUID();
    m.resourceVersion = String(++this.rv);
    m.generation = 1;
    m.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    delete m.deletionTimestamp;
    this.bucket(resource).set(k, o);
    this.emit(resource, 'ADDED', o);
    return structuredClone(o);
  }

  update(
    resource: ResourceKey,
    object: KubeObject,
    options?: { subresource?: 'status' | 'binding' },
  ): KubeObject {
    const m = object.metadata;
    const k = this.k(resource, m.namespace, m.name ?? '');
    const cur = this.bucket(resource).get(k);
    if (!cur) throw new StoreError(404, 'NotFound', `${resource.resource} "${m.name}" not found`);
    if (m.resourceVersion && m.resourceVersion !== cur.metadata.resourceVersion)
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource.resource} "${m.name}": the object has been modified`,
      );
    let next: KubeObject;
    if (options?.subresource === 'status') {
      next = structuredClone(cur);
      next.status = structuredClone(object.status);
    } else {
      next = structuredClone(object);
      next.status = structuredClone(cur.status);
      next.metadata = {
        ...structuredClone(object.metadata),
        uid: cur.metadata.uid,
        creationTimestamp: cur.metadata.creationTimestamp,
      };
      if (cur.metadata.deletionTimestamp)
        next.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
      const { metadata: _a, status: _b, ...specNew } = next;
      const { metadata: _c, status: _d, ...specOld } = cur;
      next.metadata.generation =
        (cur.metadata.generation ?? 1) +
        (JSON.stringify(specNew) === JSON.stringify(specOld) ? 0 : 1);
    }
    for (const r of next.metadata.ownerReferences ?? []) this.owners.add(r.uid);
    next.metadata.resourceVersion = String(++this.rv);
    if (
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      resource.resource !== 'pods'
    ) {
      this.remove(resource, k, next);
      return structuredClone(next);
    }
    this.bucket(resource).set(k, next);
    this.emit(resource, 'MODIFIED', next);
    return structuredClone(next);
  }

  delete(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined {
    const k = this.k(resource, namespace, name);
    const cur = this.bucket(resource).get(k);
    if (!cur) throw new StoreError(404, 'NotFound', `${resource.resource} "${name}" not found`);
    if (options?.preconditions?.uid && options.preconditions.uid !== cur.metadata.uid)
      throw new StoreError(409, 'Conflict', 'precondition failed: uid');
    const graceful =
      resource.resource === 'pods' &&
      options?.gracePeriodSeconds !== 0 &&
      typeof (cur.spec as { nodeName?: string } | undefined)?.nodeName === 'string';
    if ((cur.metadata.finalizers ?? []).length > 0 || graceful) {
      if (cur.metadata.deletionTimestamp) return structuredClone(cur);
      const next = structuredClone(cur);
      next.metadata.deletionTimestamp = new Date(this.now())
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      if (graceful)
        next.metadata.deletionGracePeriodSeconds =
          options?.gracePeriodSeconds ??
          (cur.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ??
          30;
      next.metadata.resourceVersion = String(++this.rv);
      this.bucket(resource).set(k, next);
      this.emit(resource, 'MODIFIED', next);
      return structuredClone(next);
    }
    this.remove(resource, k, cur, options?.propagationPolicy);
    return structuredClone(cur);
  }

  watch(resource: ResourceKey, handler: WatchHandler, options?: ListOptions): () => void {
    const w: Watcher = { handler, namespace: options?.namespace };
    const id = this.id(resource);
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(w);
    return () => set.delete(w);
  }

  /** Total stored objects of a resource (tests). */
  count(resource: ResourceKey): number {
    return this.bucket(resource).size;
  }

  private remove(
    resource: ResourceKey,
    k: string,
    obj: KubeObject,
    policy?: DeleteOptions['propagationPolicy'],
  ): void {
    this.bucket(resource).delete(k);
    obj.metadata.resourceVersion = String(++this.rv);
    this.emit(resource, 'DELETED', obj);
    // Background garbage collection: dependents go too (Orphan strips the reference instead).
    const uid = obj.metadata.uid;
    if (!uid || !this.owners.delete(uid)) return;
    for (const [id, bucket] of this.data) {
      const rk = this.keys.get(id);
      if (!rk) continue;
      for (const dep of [...bucket.values()]) {
        if (!dep.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        if (policy === 'Orphan') {
          const next = structuredClone(dep);
          next.metadata.ownerReferences = dep.metadata.ownerReferences.filter((r) => r.uid !== uid);
          this.update(rk, next);
        } else {
          try {
            this.delete(rk, dep.metadata.namespace, dep.metadata.name ?? '');
          } catch {
            // already gone
          }
        }
      }
    }
  }

  private emit(resource: ResourceKey, type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KubeObject): void {
    for (const w of [...(this.watchers.get(this.id(resource)) ?? [])]) {
      if (w.namespace && w.namespace !== o.metadata.namespace) continue;
      w.handler(type, structuredClone(o));
    }
  }

  private id(r: ResourceKey): string {
    const id = `${r.group}/${r.resource}`;
    this.keys.set(id, r);
    return id;
  }

  private bucket(r: ResourceKey): Map<string, KubeObject> {
    const id = this.id(r);
    let b = this.data.get(id);
    if (!b) this.data.set(id, (b = new Map()));
    return b;
  }

  private k(r: ResourceKey, ns: string | undefined, name: string): string {
    return CLUSTER_SCOPED.has(r.resource) ? name : `${ns ?? 'default'}/${name}`;
  }
}

function parseEquality(selector: string | undefined): [string, string][] {
  if (!selector) return [];
  return selector.split(',').map((p) => {
    const [k, v] = p.split('=');
    return [k ?? '', v ?? ''];
  });
}
