/**
 * Streams pod changes into kube-sim's store at a steady rate, as a busy cluster would: restarts
 * (restartCount + 1, the container briefly not ready), readiness flips and label changes, each
 * one a MODIFIED watch event. Bounded in count and in time, so a benchmark can never run away;
 * ticks every `tickMs` and writes `rate × tickMs / 1000` changes per tick (carrying fractions),
 * catching up after a late tick rather than drifting.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import type { MemoryStore } from '../store/memory-store.ts';
import type { KubeObject } from '../store/types.ts';
import { PODS } from './bulk-pods.ts';

export interface UpdateDriverOptions {
  /** `[namespace, name]` of the pods to change, walked round-robin. */
  keys: ReadonlyArray<readonly [string, string]>;
  /** Changes per second. */
  ratePerSecond: number;
  /** Stop after this long (ms). */
  durationMs: number;
  /** Stop after this many changes (default: rate × duration). */
  maxUpdates?: number;
  /** Default 50 ms. */
  tickMs?: number;
  /** Injected for tests (default performance.now). */
  now?: () => number;
}

export interface UpdateDriverResult {
  updates: number;
  ms: number;
  /** Achieved changes per second. */
  ratePerSecond: number;
}

type Rec = Record<string, unknown>;

/** The next version of `old`: a fresh object (stored objects are never mutated). */
export function changedPod(old: KubeObject, n: number): KubeObject {
  const status = (old['status'] ?? {}) as Rec;
  const containers = (status['containerStatuses'] ?? []) as Rec[];
  const kind = n % 3;
  if (kind === 2) {
    // A label change (e.g. a rollout annotation tool re-labelling), no status change.
    const labels = { ...(old.metadata.labels ?? {}), 'bench.nodeless.dev/tick': String(n) };
    return { ...old, metadata: { ...old.metadata, labels } };
  }
  const c = containers[0] ?? {};
  const restarted = kind === 0;
  const ready = !restarted;
  const next: Rec = {
    ...c,
    ready,
    restartCount: Number(c['restartCount'] ?? 0) + (restarted ? 1 : 0),
  };
  const conditions = ((status['conditions'] ?? []) as Rec[]).map((x) =>
    x['type'] === 'Ready' || x['type'] === 'ContainersReady'
      ? { ...x, status: ready ? 'True' : 'False' }
      : x,
  );
  return {
    ...old,
    status: { ...status, conditions, containerStatuses: [next, ...containers.slice(1)] },
  };
}

/** Runs until `durationMs` or `maxUpdates`, whichever comes first. */
export async function driveUpdates(
  store: MemoryStore,
  options: UpdateDriverOptions,
): Promise<UpdateDriverResult> {
  const now = options.now ?? (() => performance.now());
  const tick = options.tickMs ?? 50;
  const max = options.maxUpdates ?? Math.ceil((options.ratePerSecond * options.durationMs) / 1000);
  const t0 = now();
  let done = 0;
  let cursor = 0;
  const finish = (): UpdateDriverResult => {
    const ms = now() - t0;
    return { updates: done, ms, ratePerSecond: ms > 0 ? (done / ms) * 1000 : 0 };
  };
  if (options.keys.length === 0) return finish();
  while (done < max) {
    const elapsed = now() - t0;
    if (elapsed >= options.durationMs) break;
    const due = Math.min(max, Math.floor((options.ratePerSecond * elapsed) / 1000) + 1);
    let misses = 0;
    while (done < due) {
      const key = options.keys[cursor % options.keys.length];
      cursor++;
      const old = key === undefined ? undefined : store.getRaw(PODS, key[0], key[1]);
      if (key === undefined || old === undefined) {
        // Every pod of the list is gone: nothing left to change.
        if (++misses >= options.keys.length) return finish();
        continue;
      }
      store.replace(PODS, changedPod(old, done), old);
      done++;
    }
    await new Promise((r) => setTimeout(r, tick));
  }
  return finish();
}
