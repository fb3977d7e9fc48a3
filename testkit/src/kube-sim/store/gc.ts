/**
 * Deletion with propagation policies, as the upstream garbage collector does it:
 * - Background: the owner goes now; dependents whose owners are all gone are deleted after it.
 * - Foreground: the owner gets deletionTimestamp + the `foregroundDeletion` finalizer, its
 *   dependents are deleted, and the owner disappears once no blocking dependent remains.
 * - Orphan: dependents lose their ownerReference to the owner, then the owner goes.
 * Namespaces are marked Terminating and emptied asynchronously, then removed.
 *
 * @see https://kubernetes.io/docs/concepts/architecture/garbage-collection/#cascading-deletion
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/garbagecollector/garbagecollector.go
 */
import type { KubeObject, ResourceKey } from './types.ts';

export interface GcHost {
  readonly dependents: Map<string, Set<string>>;
  byUidRaw(uid: string): { resource: ResourceKey; object: KubeObject } | undefined;
  getRaw(
    resource: ResourceKey,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  markDeleting(resource: ResourceKey, old: KubeObject, addFinalizers?: string[]): KubeObject;
  removeNow(resource: ResourceKey, o: KubeObject): void;
  replace(resource: ResourceKey, o: KubeObject, old: KubeObject): KubeObject;
  updateRaw(resource: ResourceKey, o: KubeObject): KubeObject;
  purgeNamespace(ns: string): void;
}

type Policy = 'Orphan' | 'Background' | 'Foreground';
const FOREGROUND = 'foregroundDeletion';

function dependentsOf(
  host: GcHost,
  uid: string,
): Array<{ resource: ResourceKey; object: KubeObject }> {
  const out: Array<{ resource: ResourceKey; object: KubeObject }> = [];
  for (const d of host.dependents.get(uid) ?? []) {
    const found = host.byUidRaw(d);
    if (found !== undefined) out.push(found);
  }
  return out;
}

/** Deletes `old` per `policy`; returns the object as last stored. */
export function deleteWithPolicy(
  host: GcHost,
  resource: ResourceKey,
  old: KubeObject,
  policy: Policy,
): KubeObject {
  if (resource.group === '' && resource.resource === 'namespaces') {
    const o = host.markDeleting(resource, old);
    const name = old.metadata.name ?? '';
    setImmediate(() => host.purgeNamespace(name));
    return o;
  }
  const uid = old.metadata.uid ?? '';
  const deps = dependentsOf(host, uid);
  if (policy === 'Orphan') {
    for (const d of deps) {
      const o = structuredClone(d.object);
      o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
      host.replace(d.resource, o, d.object);
    }
  }
  if (policy === 'Foreground' && deps.length > 0) {
    host.markDeleting(resource, old, [FOREGROUND]);
    for (const d of deps) {
      const current = host.getRaw(
        d.resource,
        d.object.metadata.namespace,
        d.object.metadata.name ?? '',
      );
      if (current !== undefined && current.metadata.deletionTimestamp === undefined) {
        deleteWithPolicy(host, d.resource, current, 'Foreground');
      }
    }
    releaseOwner(host, uid);
    return host.getRaw(resource, old.metadata.namespace, old.metadata.name ?? '') ?? old;
  }
  if ((old.metadata.finalizers ?? []).length > 0) return host.markDeleting(resource, old);
  host.removeNow(resource, old);
  if (policy === 'Background') collectOrphans(host, deps);
  return old;
}

/** Deletes dependents none of whose owners still exist. */
function collectOrphans(
  host: GcHost,
  deps: Array<{ resource: ResourceKey; object: KubeObject }>,
): void {
  for (const d of deps) {
    const current = host.getRaw(
      d.resource,
      d.object.metadata.namespace,
      d.object.metadata.name ?? '',
    );
    if (current === undefined || current.metadata.deletionTimestamp !== undefined) continue;
    const ownerAlive = (current.metadata.ownerReferences ?? []).some(
      (r) => host.byUidRaw(r.uid) !== undefined,
    );
    if (!ownerAlive) deleteWithPolicy(host, d.resource, current, 'Background');
  }
}

/** After `removed` left storage: owners waiting in foreground deletion may now go. */
export function releaseForegroundOwners(host: GcHost, removed: KubeObject): void {
  for (const ref of removed.metadata.ownerReferences ?? []) releaseOwner(host, ref.uid);
}

function releaseOwner(host: GcHost, ownerUid: string): void {
  const owner = host.byUidRaw(ownerUid);
  if (owner === undefined || !(owner.object.metadata.finalizers ?? []).includes(FOREGROUND)) return;
  const blocking = dependentsOf(host, ownerUid).some((d) =>
    (d.object.metadata.ownerReferences ?? []).some(
      (r) => r.uid === ownerUid && r.blockOwnerDeletion === true,
    ),
  );
  if (blocking) return;
  const o = structuredClone(owner.object);
  o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND);
  host.updateRaw(owner.resource, o);
}
