/**
 * The `workloads` feed of a connection: one keyed feed of {@link WorkloadRow}s made from the
 * Deployment, StatefulSet, Job (those no CronJob owns), CronJob and pod caches (bare pods), each
 * row decorated from the pods it owns:
 * - size and sandbox from one of its pods when the template does not say (admission writes
 *   them on pods, not on templates) — one lookup in the pods-by-workload index;
 * - "pool full" when some of its pods wait for room (see cluster-runtime's pool-full), joined
 *   to their FailedScheduling events through the events-by-uid index — never a scan per row.
 *
 * A workload's own change is pushed at once (a `kubectl scale` shows immediately). What pods,
 * events and machines change is gathered and re-decorated after {@link DECORATE_MS}, and only
 * for the workloads concerned: those with waiting pods (the pool's free room changed) or
 * missing a size or sandbox. With no waiting pod, a pod update costs one map lookup.
 *
 * @see ../../../../cluster-runtime/src/workloads/list/pool-full.ts
 */
import {
  capacityShortage,
  createIndex,
  isBarePod,
  poolFullNotice,
  podWorkload,
  type CacheIndex,
  type CacheTimers,
  type EventRow,
  type NodeRow,
  type PoolFullNotice,
  type WaitingPod,
  type WatchCache,
  type WorkloadRow,
} from '@nodeless/cluster-runtime';
import { createKeyedFeed, type KeyedFeed } from '../../feed/index.ts';
import type { CapacityPool, WorkspacePodRow } from '../../clusters/contract.ts';

/** How long pod, event and machine changes gather before the rows they touch are redone. */
export const DECORATE_MS = 200;

/** A Job in the jobs cache: its owner-index entry and, when listed, its workload row. */
export interface JobEntry {
  uid: string;
  key: string;
  owner?: { kind: string; name: string };
  workload?: WorkloadRow;
}

export interface WorkloadSourceCaches {
  deployments: WatchCache<WorkloadRow>;
  statefulsets: WatchCache<WorkloadRow>;
  jobs: WatchCache<JobEntry>;
  cronjobs: WatchCache<WorkloadRow>;
  pods: WatchCache<WorkspacePodRow>;
  nodes: WatchCache<NodeRow>;
  eventsByObject: CacheIndex<EventRow>;
  events: WatchCache<EventRow>;
}

export interface WorkloadSourceOptions extends WorkloadSourceCaches {
  timers: CacheTimers;
  /** The capacity pool now (only asked while some pod waits for room). */
  pool: () => CapacityPool;
  /** Called when the set of pods waiting for room may have changed (the Overview listens). */
  onWaitingChanged?: () => void;
}

type Source = 'deployments' | 'statefulsets' | 'jobs' | 'cronjobs' | 'pods';

/** The workload key of a row (also what a pod's owner resolves to). */
export const workloadKey = (kind: string, namespace: string, name: string): string =>
  `${kind}\u0000${namespace}\u0000${name}`;

const keyOfRow = (r: WorkloadRow) => workloadKey(r.kind, r.namespace, r.name);

/** The workload a pod belongs to: its owner, or itself when bare. */
const keyOfPod = (p: WorkspacePodRow) =>
  p.owner
    ? workloadKey(p.owner.kind, p.namespace, p.owner.name)
    : workloadKey('Pod', p.namespace, p.name);

/** Whether a pod may be waiting for the scheduler (cheap test; events decide the rest). */
const unplaced = (p: WorkspacePodRow) =>
  p.phase === 'Pending' && p.node === undefined && p.deletedAt === undefined;

export class WorkloadsSource {
  readonly feed: KeyedFeed<WorkloadRow> = createKeyedFeed<WorkloadRow>();
  readonly #o: WorkloadSourceOptions;
  /** Undecorated rows by uid, and where each came from. */
  readonly #base = new Map<string, WorkloadRow>();
  readonly #source = new Map<string, Source>();
  readonly #uidOfKey = new Map<string, string>();
  /** Pods by workload key (for size/sandbox fallback and the details pane). */
  readonly podsByWorkload: CacheIndex<WorkspacePodRow>;
  /** Pods not placed yet → their workload key, and back (small: only Pending, unbound pods). */
  readonly #unplaced = new Map<string, string>();
  readonly #unplacedByKey = new Map<string, Set<string>>();
  /** Workload keys whose row carries a pool-full notice now. */
  readonly #noticed = new Set<string>();
  readonly #dirty = new Set<string>();
  #poolStale = true;
  #pool: CapacityPool | undefined;
  #timer: unknown;
  readonly #detach: (() => void)[] = [];

  constructor(options: WorkloadSourceOptions) {
    this.#o = options;
    this.podsByWorkload = createIndex(options.pods, keyOfPod);
    const follow = <R extends { uid: string }>(
      name: Source,
      cache: WatchCache<R>,
      toRow: (r: R) => WorkloadRow | undefined,
    ) => {
      this.#detach.push(
        cache.subscribe((change) => {
          if (change.type === 'reset') this.#resetSource(name, change.rows, toRow);
          else if (change.type === 'upsert') this.#upsertSource(name, change.row, toRow);
          else if (change.type === 'delete') this.#deleteRow(change.uid);
          else this.#syncState();
        }),
      );
      this.#resetSource(name, cache.rows().values(), toRow, false);
    };
    follow('deployments', options.deployments, (r) => r);
    follow('statefulsets', options.statefulsets, (r) => r);
    follow('cronjobs', options.cronjobs, (r) => r);
    follow('jobs', options.jobs, (j) => j.workload);
    follow('pods', options.pods, (p) => (isBarePod(p) ? podWorkload(p) : undefined));
    this.#detach.push(
      options.pods.subscribe((change) => this.#onPod(change)),
      options.nodes.subscribe((change) => {
        if (change.type !== 'state') this.#poolChanged();
      }),
      options.events.subscribe((change) => {
        if (change.type !== 'upsert' || change.row.reason !== 'FailedScheduling') return;
        const key = this.#unplaced.get(change.row.regarding.uid ?? '');
        if (key !== undefined) this.#mark(key, true);
      }),
    );
    for (const pod of options.pods.rows().values())
      if (unplaced(pod)) this.#place(pod.uid, keyOfPod(pod));
    this.feed.reset(this.#allDecorated());
    this.#syncState();
  }

  /** The pods of a workload (its details pane). */
  podsOf(kind: string, namespace: string, name: string): WorkspacePodRow[] {
    return this.podsByWorkload.get(workloadKey(kind, namespace, name));
  }

  dispose(): void {
    for (const d of this.#detach.splice(0)) d();
    this.podsByWorkload.close();
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #resetSource<R extends { uid: string }>(
    name: Source,
    rows: Iterable<R>,
    toRow: (r: R) => WorkloadRow | undefined,
    publish = true,
  ): void {
    for (const [uid, source] of [...this.#source]) if (source === name) this.#forget(uid);
    for (const r of rows) {
      const row = toRow(r);
      if (row) this.#remember(name, row);
    }
    if (publish) {
      this.feed.reset(this.#allDecorated());
      this.#syncState();
    }
  }

  #upsertSource<R extends { uid: string }>(
    name: Source,
    r: R,
    toRow: (r: R) => WorkloadRow | undefined,
  ): void {
    const row = toRow(r);
    if (!row) {
      // e.g. a pod that gained an owner, a Job adopted by a CronJob
      if (this.#source.get(r.uid) === name) this.#deleteRow(r.uid);
      return;
    }
    this.#remember(name, row);
    this.feed.upsert(this.#decorate(row));
  }

  #deleteRow(uid: string): void {
    if (!this.#base.has(uid)) return;
    this.#forget(uid);
    this.feed.delete(uid);
  }

  #remember(name: Source, row: WorkloadRow): void {
    const old = this.#base.get(row.uid);
    if (old) this.#uidOfKey.delete(keyOfRow(old));
    this.#base.set(row.uid, row);
    this.#source.set(row.uid, name);
    this.#uidOfKey.set(keyOfRow(row), row.uid);
  }

  #forget(uid: string): void {
    const old = this.#base.get(uid);
    if (old) {
      const key = keyOfRow(old);
      this.#uidOfKey.delete(key);
      this.#noticed.delete(key);
    }
    this.#base.delete(uid);
    this.#source.delete(uid);
  }

  #allDecorated(): WorkloadRow[] {
    return [...this.#base.values()].map((r) => this.#decorate(r));
  }

  #syncState(): void {
    const c = this.#o;
    const all = [c.deployments, c.statefulsets, c.jobs, c.cronjobs, c.pods];
    this.feed.setSynced(all.every((x) => x.synced));
  }

  #onPod(change: Parameters<Parameters<WatchCache<WorkspacePodRow>['subscribe']>[0]>[0]): void {
    if (change.type === 'state') return;
    if (change.type === 'reset') {
      this.#unplaced.clear();
      this.#unplacedByKey.clear();
      for (const pod of change.rows) if (unplaced(pod)) this.#place(pod.uid, keyOfPod(pod));
      for (const key of this.#uidOfKey.keys()) this.#dirty.add(key);
      this.#poolChanged(true);
      return;
    }
    const uid = change.type === 'upsert' ? change.row.uid : change.uid;
    const was = this.#unplaced.get(uid);
    if (change.type === 'upsert' && unplaced(change.row)) {
      const key = keyOfPod(change.row);
      if (was !== undefined && was !== key) this.#unplace(uid);
      this.#place(uid, key);
      this.#mark(key, true);
    } else if (was !== undefined) {
      this.#unplace(uid);
      this.#mark(was, true);
    }
    if (change.type === 'upsert') {
      // A workload whose template names no size or sandbox takes them from its pods.
      const key = keyOfPod(change.row);
      const row = this.#base.get(this.#uidOfKey.get(key) ?? '');
      if (row && (row.size === undefined || row.sandbox === undefined)) this.#mark(key, false);
    }
    this.#poolChanged();
  }

  #place(uid: string, key: string): void {
    this.#unplaced.set(uid, key);
    const set = this.#unplacedByKey.get(key);
    if (set) set.add(uid);
    else this.#unplacedByKey.set(key, new Set([uid]));
  }

  #unplace(uid: string): void {
    const key = this.#unplaced.get(uid);
    if (key === undefined) return;
    this.#unplaced.delete(uid);
    const set = this.#unplacedByKey.get(key);
    set?.delete(uid);
    if (set?.size === 0) this.#unplacedByKey.delete(key);
  }

  /** Pods placed, finished or machines changed: the pool's free room moved. */
  #poolChanged(force = false): void {
    this.#poolStale = true;
    if (force || this.#unplaced.size > 0 || this.#noticed.size > 0) this.#schedule();
  }

  #mark(key: string, waiting: boolean): void {
    this.#dirty.add(key);
    this.#schedule();
    if (waiting) this.#o.onWaitingChanged?.();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, DECORATE_MS);
  }

  /** Re-decorates what changed (also called by tests instead of waiting). */
  flush(): void {
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#poolStale) {
      for (const key of this.#unplacedByKey.keys()) this.#dirty.add(key);
      for (const key of this.#noticed) this.#dirty.add(key);
    }
    const keys = [...this.#dirty];
    this.#dirty.clear();
    const current = this.feed.rows();
    for (const key of keys) {
      const row = this.#base.get(this.#uidOfKey.get(key) ?? '');
      if (!row) continue;
      const next = this.#decorate(row);
      const prev = current.get(row.uid);
      // A workload's own changes were pushed when they came: only decorations are news here.
      if (!prev || !sameDecoration(prev, next)) this.feed.upsert(next);
    }
  }

  #poolNow(): CapacityPool {
    if (this.#poolStale || !this.#pool) {
      this.#pool = this.#o.pool();
      this.#poolStale = false;
    }
    return this.#pool;
  }

  #decorate(row: WorkloadRow): WorkloadRow {
    const key = keyOfRow(row);
    let { size, sandbox } = row;
    if (size === undefined || sandbox === undefined) {
      const pods = this.podsByWorkload.uids(key);
      const rows = this.#o.pods.rows();
      for (const uid of pods) {
        const pod = rows.get(uid);
        size ??= pod?.size;
        sandbox ??= pod?.runtimeClass;
        if (size !== undefined && sandbox !== undefined) break;
      }
    }
    const notice = this.#noticeFor(key);
    if (notice) this.#noticed.add(key);
    else this.#noticed.delete(key);
    if (size === row.size && sandbox === row.sandbox && !notice) return row;
    return {
      ...row,
      ...(size === undefined ? {} : { size }),
      ...(sandbox === undefined ? {} : { sandbox }),
      ...(notice ? { poolFull: notice, warning: true } : {}),
    };
  }

  #noticeFor(key: string): PoolFullNotice | undefined {
    const uids = this.#unplacedByKey.get(key);
    if (!uids) return undefined;
    const waiting: WaitingPod[] = [];
    const rows = this.#o.pods.rows();
    for (const uid of uids) {
      const pod = rows.get(uid);
      if (!pod) continue;
      const short = capacityShortage(pod, this.#o.eventsByObject.get(uid));
      if (short) waiting.push({ size: pod.size, short });
    }
    if (waiting.length === 0) return undefined;
    const pool = this.#poolNow();
    return poolFullNotice(waiting, pool.free, new Map(pool.fits.map((f) => [f.size, f.count])));
  }
}

/** Same size, sandbox and pool-full sentence: nothing a window would see changed. */
function sameDecoration(a: WorkloadRow, b: WorkloadRow): boolean {
  return (
    a.size === b.size &&
    a.sandbox === b.sandbox &&
    a.poolFull?.message === b.poolFull?.message &&
    a.warning === b.warning
  );
}
