/**
 * The meter assembled: pod watch (cluster-runtime's watch cache: paged LIST, WATCH with
 * bookmarks, relist on 410, backoff) → recorder → ledger store, gated by leader election;
 * a Job watch (the same cache) feeding the owner index, so a CronJob's pods are billed to the
 * CronJob and not to one Job per run; usage sampler; the pool's capacity per hour (leader only);
 * hourly compaction; /healthz. Everything it needs is injected, so the bench and tests run the
 * same assembly on any client.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import {
  createWatchCache,
  followOwners,
  jobRow,
  OwnerIndex,
  ownerEntry,
  RESOURCES,
  type KubeClient,
  type OwnerEntry,
  type WatchCache,
} from '@nodeless/cluster-runtime';
import { createCapacitySampler } from './capacity.ts';
import { systemTimers, type MeterLog, type MeterTimers } from './client.ts';
import { compactOnce } from './compaction.ts';
import { createLeaderElector } from './election.ts';
import { ensureFinalizerSwitch } from './finalizer-switch.ts';
import type { MeterOptions } from './flags.ts';
import { startHealthServer, type HealthServer } from './health.ts';
import { createLedgerStore } from './ledger-store.ts';
import { slimPod } from './pod-state.ts';
import { createRecorder, ROUND_MS, type PodRow } from './recorder.ts';
import { createSampleBook, createSampler } from './samples.ts';

const COMPACT_EVERY_MS = 3_600_000;
/** A failed finalizer switch (API down, 403) is tried again this often while leading. */
const SWITCH_RETRY_MS = 5_000;
/**
 * How long a new leader waits for the Job list before recording: pods that ended while no meter
 * ran are recorded at once, and a record is never rewritten, so they should find their CronJob.
 * Bounded: a Job watch that cannot list (an install whose RBAC predates it) must not stop
 * metering; those pods are billed to their Job.
 */
export const OWNERS_WAIT_MS = 10_000;

export interface RunningMeter {
  /** Graceful: stops watching, finishes the work in hand, releases the Lease. */
  stop(): Promise<void>;
  healthPort: number | undefined;
  /** For tests and the bench. */
  readonly pods: WatchCache<PodRow>;
  isLeader(): boolean;
}

export interface MeterDeps {
  client: KubeClient;
  log: MeterLog;
  timers?: MeterTimers;
}

export async function runMeter(options: MeterOptions, deps: MeterDeps): Promise<RunningMeter> {
  const { client, log } = deps;
  const timers = deps.timers ?? systemTimers;
  const { namespace } = options;
  const samples = createSampleBook();
  const owners = new OwnerIndex();
  // Filled once the elector exists (the store and recorder ask it before every write).
  let leader = (): boolean => false;
  const store = createLedgerStore({ client, namespace, log, canWrite: () => leader() });
  const recorder = createRecorder({
    client,
    store,
    samples,
    timers,
    log,
    isLeader: () => leader(),
    owners,
    roundMs: ROUND_MS,
  });
  let compactTimer: unknown;
  const compact = () => {
    compactTimer = timers.setTimeout(() => {
      if (!leader()) return compact();
      const now = Math.floor(timers.now() / 1000);
      const retentionSeconds = options.retentionDays * 86_400;
      compactOnce({ client, store, namespace, retentionSeconds, canWrite: leader, log }, now)
        .catch((e: unknown) =>
          log('compact-error', { message: e instanceof Error ? e.message : String(e) }),
        )
        .finally(compact);
    }, COMPACT_EVERY_MS);
  };
  // The leader turns the finalizer on (finalizer-switch.ts: why the meter and not the install).
  let switchTimer: unknown;
  const switchOn = () => {
    timers.clearTimeout(switchTimer);
    ensureFinalizerSwitch(client, () => leader()).then(
      (outcome) => log('finalizer-switch', { outcome }),
      (e: unknown) => {
        log('finalizer-switch-error', { message: e instanceof Error ? e.message : String(e) });
        if (leader()) switchTimer = timers.setTimeout(switchOn, SWITCH_RETRY_MS);
      },
    );
  };
  const elector = createLeaderElector(
    { namespace, leaseName: options.leaseName, identity: options.identity },
    {
      client,
      timers,
      log,
      onStartedLeading: () => {
        void ownersListed.then(() => {
          if (elector.isLeader()) void recorder.startLeading();
        });
        switchOn();
        // A new leader samples at once: the hour's first sample should not wait an interval.
        void capacity.sampleOnce();
      },
      onStoppedLeading: () => {
        timers.clearTimeout(switchTimer);
        recorder.stopLeading();
      },
    },
  );
  leader = () => elector.isLeader();
  const capacity = createCapacitySampler({ client, timers, log, namespace, isLeader: leader });

  const pods = createWatchCache<V1Pod, PodRow>({
    client: () => client,
    type: RESOURCES.pods,
    project: (pod) => ({ uid: pod.metadata?.uid ?? '', pod: slimPod(pod) }),
    onError: (e) => log('pod-watch-error', { message: e instanceof Error ? e.message : String(e) }),
  });
  pods.subscribe((change) => recorder.onChange(change));
  // Jobs only as the owner index needs them (key and controller): Job → CronJob.
  const jobs = createWatchCache<V1Job, OwnerEntry>({
    client: () => client,
    type: RESOURCES.jobs,
    project: (job) => ownerEntry('Job', jobRow(job)),
    onError: (e) => log('job-watch-error', { message: e instanceof Error ? e.message : String(e) }),
  });
  followOwners(jobs, owners);
  let ownersTimer: unknown;
  const ownersListed = new Promise<void>((resolve) => {
    const off = jobs.subscribe(() => {
      if (!jobs.synced) return;
      off();
      resolve();
    });
    ownersTimer = timers.setTimeout(resolve, OWNERS_WAIT_MS);
  });
  const sampler = createSampler({
    client,
    timers,
    log,
    book: samples,
    uidOf: (ns, name) => recorder.uidOf(ns, name),
    intervalMs: options.sampleIntervalMs,
  });

  let health: HealthServer | undefined;
  if (options.healthPort > 0) {
    // Alive while the election loop turns (a round every 2 s; 30 s of silence is a wedge).
    health = await startHealthServer(
      options.healthPort,
      () => timers.now() - elector.lastRoundMs() < 30_000,
    );
  }
  jobs.start();
  pods.start();
  sampler.start();
  capacity.start();
  elector.start();
  compact();
  log('started', { identity: options.identity, namespace, healthPort: health?.port ?? null });

  return {
    pods,
    healthPort: health?.port,
    isLeader: leader,
    async stop() {
      timers.clearTimeout(compactTimer);
      timers.clearTimeout(switchTimer);
      timers.clearTimeout(ownersTimer);
      sampler.stop();
      capacity.stop();
      pods.stop();
      jobs.stop();
      await recorder.idle();
      recorder.stop();
      await elector.stop();
      await health?.close();
      log('stopped', { identity: options.identity });
    },
  };
}
