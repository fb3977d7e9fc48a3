/**
 * The owner index beside a connection's ReplicaSet and Job caches: each cache keeps a slim
 * entry per object (its key and controller) and {@link followOwners} keeps the
 * {@link OwnerIndex} in step, so pod rows name their Deployment or CronJob without a request.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/
 */
import type { ObjectRef, OwnerIndex, WatchCache } from '@nodeless/cluster-runtime';

/** A ReplicaSet or Job as the owner index needs it: its key and its controller. */
export function ownerEntry(
  kind: string,
  row: { uid: string; name: string; namespace: string; owner?: ObjectRef },
): { uid: string; key: string; owner?: ObjectRef } {
  return {
    uid: row.uid,
    key: `${kind}\u0000${row.namespace}\u0000${row.name}`,
    ...(row.owner ? { owner: row.owner } : {}),
  };
}

/** Keeps the owner index in step with a cache of owner entries. */
export function followOwners(
  cache: WatchCache<{ uid: string; key: string; owner?: ObjectRef }>,
  index: OwnerIndex,
): () => void {
  const keys = new Map<string, string>();
  const set = (row: { uid: string; key: string; owner?: ObjectRef }) => {
    const [kind = '', namespace = '', name = ''] = row.key.split('\u0000');
    keys.set(row.uid, row.key);
    index.set(kind, namespace, name, row.owner);
  };
  const unset = (uid: string) => {
    const key = keys.get(uid);
    if (key === undefined) return;
    keys.delete(uid);
    const [kind = '', namespace = '', name = ''] = key.split('\u0000');
    index.set(kind, namespace, name, undefined);
  };
  for (const row of cache.rows().values()) set(row);
  return cache.subscribe((change) => {
    if (change.type === 'reset') {
      for (const uid of [...keys.keys()]) unset(uid);
      for (const row of change.rows) set(row);
    } else if (change.type === 'upsert') set(change.row);
    else if (change.type === 'delete') unset(change.uid);
  });
}
