/**
 * A secondary index over a watch cache: key → uids, kept up to date from the cache's changes
 * (a reset rebuilds it). The pod details pane joins events to a pod with it — events by
 * `regarding.uid` — in one lookup instead of a scan of every event per pod (the scan that froze
 * Lens at a few thousand pods, lens#6247).
 *
 * @see https://github.com/kubernetes/client-go/blob/master/tools/cache/index.go (the same idea)
 */
import type { CacheIndex, WatchCache } from './types.ts';

export function createIndex<R extends { uid: string }>(
  cache: WatchCache<R>,
  /** The key of a row, or undefined to leave it out of the index. */
  keyOf: (row: R) => string | undefined,
): CacheIndex<R> {
  const byKey = new Map<string, Set<string>>();
  /** Each indexed uid's key, so an update or delete finds its old bucket without the old row. */
  const keyOfUid = new Map<string, string>();
  const EMPTY: ReadonlySet<string> = new Set();

  const remove = (uid: string): void => {
    const key = keyOfUid.get(uid);
    if (key === undefined) return;
    keyOfUid.delete(uid);
    const bucket = byKey.get(key);
    bucket?.delete(uid);
    if (bucket?.size === 0) byKey.delete(key);
  };
  const add = (row: R): void => {
    const key = keyOf(row);
    if (keyOfUid.get(row.uid) === key) return;
    remove(row.uid);
    if (key === undefined) return;
    keyOfUid.set(row.uid, key);
    const bucket = byKey.get(key);
    if (bucket) bucket.add(row.uid);
    else byKey.set(key, new Set([row.uid]));
  };
  const rebuild = (rows: Iterable<R>): void => {
    byKey.clear();
    keyOfUid.clear();
    for (const row of rows) add(row);
  };

  rebuild(cache.rows().values());
  const unsubscribe = cache.subscribe((change) => {
    if (change.type === 'reset') rebuild(change.rows);
    else if (change.type === 'upsert') add(change.row);
    else if (change.type === 'delete') remove(change.uid);
  });

  return {
    uids: (key) => byKey.get(key) ?? EMPTY,
    get(key) {
      const rows = cache.rows();
      const found: R[] = [];
      for (const uid of byKey.get(key) ?? EMPTY) {
        const row = rows.get(uid);
        if (row) found.push(row);
      }
      return found;
    },
    close() {
      unsubscribe();
      byKey.clear();
      keyOfUid.clear();
    },
  };
}
