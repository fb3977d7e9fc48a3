/**
 * The recorder: turns the pods the watch reports into ledger records.
 * - A pod that ended (terminal, or deleted with its containers stopped) gets its remaining
 *   segments (cluster-runtime's podLife + segmentsOf, after the watermark) appended, and THEN
 *   its finalizer `nodeless.dev/metering` removed — so a pod that lived and died while the meter
 *   was down is still there, finalizer-held, when the meter comes back, and is recorded exactly.
 * - A pod without the finalizer (system namespaces, pods from before the install) is recorded
 *   best-effort once when the meter sees it end, or sees it disappear.
 * - Every hour (shortly after it closes, so status updates about it have arrived) the complete
 *   hours of every pod still running are appended, then the watermark is moved to that hour.
 * Only the leader writes; a follower keeps its view of the pods (and samples) to take over.
 *
 * @see ../../cluster-runtime/src/metering/record.ts
 * @see ./pod-state.ts
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  isNotFound,
  isConflict,
  podLife,
  podStart,
  RESOURCES,
  SEGMENT_SECONDS,
  segmentsOf,
  type CacheChange,
  type LedgerRecord,
  type OwnerIndex,
} from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog, MeterTimers } from './client.ts';
import type { LedgerStore } from './ledger-store.ts';
import { deletedAt, finalizerRemoval, hasEnded, hasMeterFinalizer } from './pod-state.ts';
import type { SampleBook } from './samples.ts';

/** How long after an hour closes its records are flushed (late status updates arrive first). */
export const FLUSH_DELAY_MS = 60_000;
/** Period of the scan over every pod (deleted pods whose kubelet never reports; retries). */
export const SCAN_MS = 15_000;
/**
 * Least time between the starts of two rounds kicked by pod changes (the meter's setting): a
 * round writes the open ledger chunk whole (up to 512 KiB) and reads it back, so under churn the
 * records of many ended pods go in one write instead of one each. The first change after a quiet
 * spell is recorded at once; a pod waits at most this long more for its finalizer to go.
 */
export const ROUND_MS = 200;

export interface PodRow {
  uid: string;
  pod: V1Pod;
}

export interface RecorderDeps {
  client: MeterClient;
  store: LedgerStore;
  samples: SampleBook;
  timers: MeterTimers;
  log: MeterLog;
  isLeader: () => boolean;
  flushDelayMs?: number;
  /** Least ms between the starts of change-kicked rounds; 0 (default): a round per burst. */
  roundMs?: number;
  /** Job → CronJob (the meter's Job watch); without it a CronJob's pods bill to their Job. */
  owners?: OwnerIndex;
}

export interface Recorder {
  /** Feeds one change of the pod watch. */
  onChange(change: CacheChange<PodRow>): void;
  /** This replica now leads: re-read the ledger and watermark, then record what is due. */
  startLeading(): Promise<void>;
  stopLeading(): void;
  /** Records what is due now (ended pods; the hourly flush when an hour closed). */
  process(): Promise<void>;
  /** Resolves once the work queued so far is done (tests, graceful stop). */
  idle(): Promise<void>;
  stop(): void;
  /** uid of `namespace/name` (for the sampler). */
  uidOf(namespace: string, name: string): string | undefined;
  readonly watermark: number | undefined;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createRecorder(deps: RecorderDeps): Recorder {
  const { client, store, samples, timers, log } = deps;
  const flushDelayMs = deps.flushDelayMs ?? FLUSH_DELAY_MS;
  const roundMs = deps.roundMs ?? 0;
  const pods = new Map<string, V1Pod>();
  const byName = new Map<string, string>();
  /** Pods gone from the API before they were recorded (no finalizer): the last view of each. */
  const vanished = new Map<string, { pod: V1Pod; atMs: number }>();
  /** uid → first start seen (a recreated sandbox moves the condition later). */
  const observedStart = new Map<string, number>();
  /** Pods whose final records are in the ledger (until the pod is gone from the API). */
  const recorded = new Set<string>();
  /** Pods changed since the last round (the rounds look at these, a periodic scan at all). */
  const dirty = new Set<string>();
  /** resourceVersion at which the finalizer removal was sent: not sent twice for one view. */
  const releasing = new Map<string, string>();
  let watermark: number | undefined;
  let needLoad = false;
  let leading = false;
  let scanTimer: unknown;
  let queue: Promise<void> = Promise.resolve();
  let flushTimer: unknown;
  let kickTimer: unknown;
  let lastRoundMs = Number.NEGATIVE_INFINITY;
  let stopped = false;

  const key = (ns: string, name: string) => `${ns}/${name}`;

  function upsert(pod: V1Pod): void {
    const uid = pod.metadata?.uid ?? '';
    pods.set(uid, pod);
    byName.set(key(pod.metadata?.namespace ?? '', pod.metadata?.name ?? ''), uid);
    // podStart alone (podLife's start): this runs on every watch event, podLife parses quantities.
    const start = observedStart.has(uid) ? undefined : podStart(pod)?.start;
    if (start !== undefined) observedStart.set(uid, start);
    dirty.add(uid);
  }

  function forget(uid: string): void {
    samples.drop(uid);
    observedStart.delete(uid);
    releasing.delete(uid);
    dirty.delete(uid);
  }

  function remove(uid: string): void {
    const pod = pods.get(uid);
    pods.delete(uid);
    if (!pod) return;
    const k = key(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    if (byName.get(k) === uid) byName.delete(k);
    // Gone before it was recorded (no finalizer held it): record it from its last view. A
    // follower leaves that to the leader (best effort, bounded memory).
    if (!recorded.delete(uid) && leading) vanished.set(uid, { pod, atMs: timers.now() });
    else forget(uid);
  }

  function onChange(change: CacheChange<PodRow>): void {
    if (change.type === 'upsert') upsert(change.row.pod);
    else if (change.type === 'delete') remove(change.uid);
    else if (change.type === 'reset') {
      const next = new Set(change.rows.map((r) => r.uid));
      for (const uid of [...pods.keys()]) if (!next.has(uid)) remove(uid);
      for (const r of change.rows) upsert(r.pod);
    } else return;
    kick();
  }

  /**
   * Coalesces bursts of events into one processing round, and rounds into one per `roundMs`:
   * the records of every pod that ended meanwhile are appended together, and each pod's finalizer
   * still goes only after its round's append (recordEnded).
   */
  function kick(): void {
    if (!leading || stopped || kickTimer !== undefined) return;
    const wait = Math.max(0, lastRoundMs + roundMs - timers.now());
    kickTimer = timers.setTimeout(() => {
      kickTimer = undefined;
      void process();
    }, wait);
  }

  const recordsOf = (pod: V1Pod, nowMs: number, deletedAtMs?: number): LedgerRecord[] => {
    const uid = pod.metadata?.uid ?? '';
    const start = observedStart.get(uid);
    // The workload is resolved now, at record time, not when the pod was first seen (a pod may
    // arrive before its Job). A Job already gone by now (deleted by the CronJob's history limit
    // while no meter ran) has left the index: the pod is billed to the Job it names.
    const life = podLife(pod, {
      ...(deps.owners ? { owners: deps.owners } : {}),
      ...(deletedAtMs === undefined ? {} : { deletedAtMs }),
      ...(start === undefined ? {} : { observedStart: start }),
    });
    return segmentsOf(life, Math.floor(nowMs / 1000), samples.get(uid), watermark);
  };

  async function removeFinalizer(pod: V1Pod): Promise<void> {
    if (!deps.isLeader()) return;
    try {
      await client.mergePatch(
        RESOURCES.pods,
        pod.metadata?.name ?? '',
        finalizerRemoval(pod),
        pod.metadata?.namespace,
      );
    } catch (e) {
      // 409: the pod changed since this view; its next event brings it back here. 404: gone.
      if (!isConflict(e) && !isNotFound(e)) log('finalizer-error', { message: msg(e) });
    }
  }

  /** Final records of every pod that ended and is not recorded yet; then their finalizers. */
  async function recordEnded(nowMs: number, uids: Iterable<string>): Promise<void> {
    const records: LedgerRecord[] = [];
    const done: string[] = [];
    const release: V1Pod[] = [];
    for (const uid of uids) {
      const pod = pods.get(uid);
      if (!pod || !hasEnded(pod, nowMs)) continue;
      if (!recorded.has(uid)) {
        records.push(...recordsOf(pod, nowMs, deletedAt(pod, nowMs)));
        done.push(uid);
      }
      const rv = pod.metadata?.resourceVersion ?? '';
      if (hasMeterFinalizer(pod) && releasing.get(uid) !== rv) release.push(pod);
    }
    for (const [uid, v] of vanished) {
      const d = deletedAt(v.pod, v.atMs) ?? v.atMs;
      records.push(...recordsOf(v.pod, v.atMs, d));
      done.push(uid);
    }
    if (records.length > 0) {
      const out = await store.append(records);
      log('recorded', { pods: done.length, records: out.appended, duplicates: out.duplicates });
    }
    for (const uid of done) {
      if (vanished.delete(uid)) forget(uid);
      else recorded.add(uid);
    }
    for (const pod of release) {
      releasing.set(pod.metadata?.uid ?? '', pod.metadata?.resourceVersion ?? '');
      await removeFinalizer(pod);
    }
  }

  /** The hourly flush: complete hours of every running pod, then the watermark. */
  async function flush(nowMs: number): Promise<void> {
    const boundary = Math.floor((nowMs - flushDelayMs) / 1000 / SEGMENT_SECONDS) * SEGMENT_SECONDS;
    if (watermark !== undefined && boundary <= watermark) return;
    const records: LedgerRecord[] = [];
    // Everything up to the boundary: now is past it, so only complete hours come out.
    for (const [uid, pod] of pods) {
      if (recorded.has(uid) || hasEnded(pod, nowMs)) continue;
      records.push(...recordsOf(pod, boundary * 1000));
    }
    if (records.length > 0) {
      const out = await store.append(records);
      log('flushed', { through: boundary, records: out.appended, duplicates: out.duplicates });
    }
    await store.writeWatermark(boundary);
    watermark = boundary;
    samples.prune(boundary * 1000);
  }

  function scheduleFlush(): void {
    timers.clearTimeout(flushTimer);
    if (!leading || stopped) return;
    const now = timers.now();
    const hourMs = SEGMENT_SECONDS * 1000;
    const next = (Math.floor((now - flushDelayMs) / hourMs) + 1) * hourMs + flushDelayMs;
    flushTimer = timers.setTimeout(() => void process().finally(scheduleFlush), next - now);
  }

  /**
   * One round. `all`: look at every pod, not only the changed ones (after taking the lead, and
   * every {@link SCAN_MS}: a deleted pod whose kubelet never reports ends by the clock).
   */
  function process(all = false): Promise<void> {
    queue = queue.then(async () => {
      if (!leading || stopped || !deps.isLeader()) return;
      const now = timers.now();
      lastRoundMs = now;
      const uids = all || needLoad ? [...pods.keys()] : [...dirty];
      dirty.clear();
      try {
        if (needLoad) {
          await store.load();
          watermark = await store.readWatermark();
          needLoad = false;
          log('leading', { chunks: store.chunks().length, watermark: watermark ?? null });
        }
        await recordEnded(now, uids);
        await flush(now);
      } catch (e) {
        log('record-error', { message: msg(e) });
        // Retry soon: nothing was lost, the pods are still held by their finalizers.
        for (const uid of uids) dirty.add(uid);
        timers.setTimeout(kick, 2_000);
      }
    });
    return queue;
  }

  function scheduleScan(): void {
    timers.clearTimeout(scanTimer);
    if (!leading || stopped) return;
    scanTimer = timers.setTimeout(() => void process(true).finally(scheduleScan), SCAN_MS);
  }

  return {
    onChange,
    process,
    uidOf: (ns, name) => byName.get(key(ns, name)),
    get watermark() {
      return watermark;
    },
    idle: () => queue,
    async startLeading() {
      leading = true;
      needLoad = true;
      // Another leader may have recorded pods since: the ledger's dedupe makes a repeat free.
      recorded.clear();
      releasing.clear();
      await process(true);
      scheduleFlush();
      scheduleScan();
    },
    stopLeading() {
      leading = false;
      timers.clearTimeout(flushTimer);
      timers.clearTimeout(scanTimer);
      for (const uid of vanished.keys()) forget(uid);
      vanished.clear();
    },
    stop() {
      stopped = true;
      leading = false;
      timers.clearTimeout(flushTimer);
      timers.clearTimeout(scanTimer);
      timers.clearTimeout(kickTimer);
    },
  };
}
