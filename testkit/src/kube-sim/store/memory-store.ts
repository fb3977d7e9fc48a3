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
import { objectKey } from './bucket.ts';
import { deleteWithPolicy, releaseForegroundOwners, type GcHost } from './gc.ts';
import { notFound, qualified, resourceId, StoreBase, type WatchOptions } from './store-base.ts';
import {
  detailsOf,
  StoreError,
  type DeleteOptions,
  type KubeObject,
  type ListOptions,
  type ObjectStore,
  type ResourceKey,
  type WatchHandler,
} from './types.ts';

export {
  notFound,
  qualified,
  resourceId,
  type MemoryStoreOptions,
  type Page,
  type PageOptions,
  type StoreSnapshot,
  type WatchOptions,
} from './store-base.ts';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function strip(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const ma = { ...a.metadata, resourceVersion: undefined, managedFields: undefined };
  const mb = { ...b.metadata, resourceVersion: undefined, managedFields: undefined };
  return JSON.stringify({ ...a, metadata: ma }) === JSON.stringify({ ...b, metadata: mb });
}

export class MemoryStore extends StoreBase implements ObjectStore, GcHost {
  // ---- reads -------------------------------------------------------------------------------

  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.getRaw(resource, namespace, name);
    return o === undefined ? undefined : structuredClone(o);
  }

  list(resource: ResourceKey, options?: ListOptions): KubeObject[] {
    return this.page(resource, options).items.map((o) => structuredClone(o));
  }

  // ---- writes ------------------------------------------------------------------------------

  create(resource: ResourceKey, object: KubeObject): KubeObject {
    return structuredClone(this.createRaw(resource, object));
  }

  /**
   * Five random characters from the alphabet upstream's name generator uses (no vowels, no
   * look-alikes), from the store's seeded generator.
   *
   * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/rand/rand.go (String)
   */
  nameSuffix(): string {
    let suffix = '';
    for (let i = 0; i < 5; i++)
      suffix += NAME_CHARS[Math.floor(this.random() * NAME_CHARS.length)] ?? 'x';
    return suffix;
  }

  createRaw(resource: ResourceKey, input: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const o = structuredClone(input);
    const meta = o.metadata ?? {};
    o.metadata = meta;
    if ((meta.name ?? '') === '' && (meta.generateName ?? '') !== '') {
      for (let attempt = 0; attempt < 10; attempt++) {
        meta.name = `${meta.generateName ?? ''}${this.nameSuffix()}`;
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
      throw new StoreError(
        409,
        'AlreadyExists',
        `${qualified(resource)} "${name}" already exists`,
        detailsOf(resource, name),
      );
    }
    // A uid the API layer drew beforehand (admission that needs it, e.g. a Job's selector) is
    // kept; anything else is replaced, as the server assigns uids.
    meta.uid =
      meta.uid !== undefined && UUID.test(meta.uid) && !this.byUid.has(meta.uid)
        ? meta.uid
        : this.uid();
    meta.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    if (this.tracksGeneration(resource)) meta.generation = 1;
    else delete meta.generation;
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
    options?: { subresource?: 'status' | 'binding' },
  ): KubeObject {
    return structuredClone(this.updateRaw(resource, object, options));
  }

  updateRaw(
    resource: ResourceKey,
    input: KubeObject,
    options?: { subresource?: 'status' | 'binding' },
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
        detailsOf(resource, name),
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
      if (o.metadata.generation === undefined) delete o.metadata.generation;
      else if (options?.subresource !== 'binding' && strip(o) !== strip(old))
        o.metadata.generation = o.metadata.generation + 1;
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
        detailsOf(resource, name),
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
        detailsOf(resource, name),
      );
    }
    if (resourceId(resource) === '/pods') {
      const graceful = this.deleteGracefully(resource, old, options?.gracePeriodSeconds);
      if (graceful !== undefined) return graceful;
    }
    return deleteWithPolicy(this, resource, old, options?.propagationPolicy ?? 'Background');
  }

  /**
   * Graceful deletion of a Pod: one bound to a node and not finished gets `deletionTimestamp`
   * = now + its grace period (the request's, else `terminationGracePeriodSeconds`) and stays
   * until its kubelet removes it (with grace 0); a later delete may only shorten the period.
   * Returns undefined when the pod is to go now.
   *
   * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go (CheckGracefulDelete)
   * @see https://github.com/kubernetes/apiserver/blob/master/pkg/registry/rest/delete.go (BeforeDelete)
   */
  private deleteGracefully(
    resource: ResourceKey,
    old: KubeObject,
    requested: number | undefined,
  ): KubeObject | undefined {
    const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const now = this.now();
    const current = old.metadata.deletionGracePeriodSeconds;
    if (old.metadata.deletionTimestamp !== undefined) {
      // Already going: only a shorter period changes anything; none left means now.
      if (current === undefined || current === 0 || requested === 0) return undefined;
      if (requested === undefined || requested >= current) return old;
      let at = Date.parse(old.metadata.deletionTimestamp) - current * 1000 + requested * 1000;
      let period = requested;
      if (at < now) [at, period] = [now, 1];
      const o = structuredClone(old);
      o.metadata.deletionTimestamp = iso(at);
      o.metadata.deletionGracePeriodSeconds = period;
      return this.replace(resource, o, old);
    }
    const spec = (old['spec'] ?? {}) as {
      nodeName?: string;
      terminationGracePeriodSeconds?: number;
    };
    const phase = ((old['status'] ?? {}) as { phase?: string }).phase;
    let period = requested ?? spec.terminationGracePeriodSeconds ?? 0;
    if ((spec.nodeName ?? '') === '' || phase === 'Succeeded' || phase === 'Failed') period = 0;
    if (period < 0) period = 1;
    if (period === 0) return undefined;
    const o = structuredClone(old);
    o.metadata.deletionTimestamp = iso(now + period * 1000);
    o.metadata.deletionGracePeriodSeconds = period;
    // Controllers must notice the object is going: the first graceful deletion is a new generation.
    if (o.metadata.generation !== undefined) o.metadata.generation += 1;
    return this.replace(resource, o, old);
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

  // ---- watch -------------------------------------------------------------------------------

  watch(resource: ResourceKey, handler: WatchHandler, options?: WatchOptions): () => void {
    return this.watchRaw(resource, (t, o) => handler(t, structuredClone(o)), options);
  }

  /** For tests and persistence: the key a stored object would be found under. */
  static key(namespace: string | undefined, name: string): string {
    return objectKey(namespace, name);
  }
}
