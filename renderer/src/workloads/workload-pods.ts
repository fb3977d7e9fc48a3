/**
 * The pods of one workload, kept in step with the pods feed like the Pods table's view: one
 * pass over the feed when it starts (or the feed resets), then each batch only looks at the
 * pods it changed — never a scan of every pod per batch.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PodRow } from '../api/workspace-api.ts';
import type { FeedState } from '../workspace/feed-store.ts';
import type { WorkloadRef } from './workload-ref.ts';
import { ownsPod } from './workloads-model.ts';

export interface WorkloadPods {
  /** Its pods by name; a new array only when one of them changed. */
  store: StoreApi<{ pods: readonly PodRow[] }>;
  /** Follows the feed (catching up first); returns the function that stops following. */
  start(): () => void;
}

const byName = (a: PodRow, b: PodRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function createWorkloadPods(
  feed: StoreApi<FeedState<PodRow>>,
  ref: WorkloadRef,
): WorkloadPods {
  const scan = (rows: ReadonlyMap<string, PodRow>) => {
    const map = new Map<string, PodRow>();
    for (const p of rows.values()) if (ownsPod(ref, p)) map.set(p.uid, p);
    return map;
  };
  const first = feed.getState();
  let map = scan(first.rows);
  let seen = first.version;
  const store = createStore<{ pods: readonly PodRow[] }>(() => ({
    pods: [...map.values()].sort(byName),
  }));
  const follow = (s: FeedState<PodRow>) => {
    if (s.version === seen) return;
    seen = s.version;
    let changed = false;
    if (s.change.reset) {
      map = scan(s.rows);
      changed = true;
    } else {
      for (const [uid, before] of s.change.before) {
        const now = s.rows.get(uid);
        if (now && ownsPod(ref, now)) {
          map.set(uid, now);
          changed = true;
        } else if (map.delete(uid) || (before && ownsPod(ref, before))) {
          changed = true;
        }
      }
    }
    if (changed) store.setState({ pods: [...map.values()].sort(byName) });
  };
  return {
    store,
    start() {
      const now = feed.getState();
      if (now.version !== seen) {
        seen = now.version;
        map = scan(now.rows);
        store.setState({ pods: [...map.values()].sort(byName) });
      }
      return feed.subscribe(follow);
    },
  };
}
