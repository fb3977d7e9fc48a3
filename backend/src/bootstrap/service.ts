/**
 * The bootstrap service: composes and runs a cluster's plan (install, add hosts, remove a
 * host, reset) in the background, one run per cluster at a time, journals every step in
 * SQLite, streams progress on {@link BootstrapEvents}, and keeps the kubeconfig encrypted.
 *
 * The app and the `nodeless` CLI share the database, so "one run per cluster" holds across
 * processes: runs are started and resumed through the store's leases (`store/run-leases.ts`),
 * each owned by the process that runs it, which renews a heartbeat. Only runs whose owner is
 * gone become `interrupted` (at startup and at every heartbeat), never a live process's run.
 * Cancel reaches a run owned by another process through the database (its owner stops at its
 * next heartbeat). Resume runs the same plan under the same run id (finished steps re-check
 * as unchanged).
 *
 * @see ../../../host-bootstrap/src/bootstrap/runner.ts — `runPlan`
 * @see ./compose.ts — what a plan is made of
 * @see ./run-context.ts — opening a run's hosts and composing its plan
 * @see DESIGN.md §4 phases 5–12
 */
import { randomUUID } from 'node:crypto';
import type { SubscribeOptions } from '../feed/types.ts';
import { NotFoundError } from '../inventory/errors.ts';
import { assertManaged } from '../inventory/managed.ts';
import type { Logger } from '../log/logger.ts';
import type { ClusterCheckView } from '../onboarding/types.ts';
import { ConflictError } from '../onboarding/errors.ts';
import type { ClusterRow } from '../store/clusters.ts';
import { HEARTBEAT_MS, ownerLabel } from '../store/run-owner.ts';
import type { RunRow } from '../store/runs.ts';
import type { Store } from '../store/store.ts';
import type { BootstrapEvent, StepProgress } from '@nodeless/common';
import { runPlan, type RunOutcome } from './engine.ts';
import type { BootstrapEvents } from './events.ts';
import type { BootstrapHost } from './hosts.ts';
import { SqliteJournal, stepIndex } from './journal.ts';
import { forgetInstall, recordMembers } from './kubeconfig-store.ts';
import {
  concurrencyOf,
  connectFailedOutcome,
  openRun,
  planFailedOutcome,
  previewRun,
  type BootstrapEngine,
  type OpenedRun,
} from './run-context.ts';
import type { ClusterShape, RunSpec } from './run-spec.ts';
import type { PreviewView, RunView } from './types.ts';
import { runView } from './views.ts';

export type { BootstrapEngine } from './run-context.ts';

export interface BootstrapServiceDeps {
  store: Store;
  events: BootstrapEvents;
  engine: BootstrapEngine;
  clock: () => Date;
  logger: Logger;
  /** Masks registered secrets (the backend's redactor). */
  redact: (text: string) => string;
  /** Registers a secret read during a run (the k3s join token) with the redactor. */
  registerSecret: (plain: string) => void;
  /** The hosts of a cluster, secrets decrypted and registered with the redactor. */
  hosts: (clusterId: string) => BootstrapHost[];
  /** The latest check report of a cluster (sandbox readiness, kernels, blockers). */
  report: (clusterId: string) => ClusterCheckView | null;
  newId?: () => string;
  /** Period of the owner's heartbeat and of the orphan sweep (ms); 0 = only on demand. */
  heartbeatMs?: number;
}

interface Active {
  clusterId: string;
  controller: AbortController;
  live: Map<string, StepProgress>;
  done: Promise<void>;
}

const CLOSE_GRACE_MS = 3_000;

/** What a run of each kind would do, as a refusal says it. */
const ACTIONS: Record<RunSpec['kind'], string> = {
  install: 'install onto it',
  'add-hosts': 'add machines to it',
  'remove-host': 'remove machines from it',
  reset: 'reset its machines',
};
export class BootstrapService {
  readonly #deps: BootstrapServiceDeps;
  readonly #newId: () => string;
  readonly #active = new Map<string, Active>();
  readonly #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: BootstrapServiceDeps) {
    this.#deps = deps;
    this.#newId = deps.newId ?? randomUUID;
    // Runs whose process died (or closed) mid-run are resumable, not running. Runs of live
    // processes (the CLI installing while the app starts) are left alone.
    this.#sweep();
    const period = deps.heartbeatMs ?? HEARTBEAT_MS;
    if (period > 0) {
      this.#timer = setInterval(() => this.heartbeat(), period);
      // The heartbeat must not keep a finished CLI command (or a closing app) alive.
      this.#timer.unref();
    }
  }

  /**
   * Renews this process's runs (stopping any another process took over or asked to cancel)
   * and interrupts other processes' runs whose owner is gone. Runs on a timer.
   */
  heartbeat(): void {
    if (this.#closed || !this.#deps.store.db.open) return;
    const { lost, cancel } = this.#deps.store.leases.renew([...this.#active.keys()]);
    for (const runId of lost) {
      this.#deps.logger.log('warn', 'bootstrap.run_lost', { runId });
      this.#active.get(runId)?.controller.abort();
    }
    for (const runId of cancel) {
      this.#deps.logger.log('info', 'bootstrap.run_cancel_requested', { runId, remote: true });
      this.#active.get(runId)?.controller.abort();
    }
    this.#sweep();
  }

  /**
   * Throws a 409 naming the run (and the process running it) when the cluster has a run in
   * flight; the CLI asks before checking hosts, so a second `apply` stops at once.
   */
  assertIdle(clusterId: string): void {
    this.#deps.store.leases.assertIdle(clusterId, 'Another run cannot start until it ends.');
  }

  get store(): Store {
    return this.#deps.store;
  }

  cluster(clusterId: string): ClusterRow {
    const row = this.#deps.store.clusters.get(clusterId);
    if (!row) throw new NotFoundError('cluster', clusterId);
    return row;
  }

  report(clusterId: string): ClusterCheckView | null {
    return this.#deps.report(clusterId);
  }

  hosts(clusterId: string): BootstrapHost[] {
    return this.#deps.hosts(clusterId);
  }

  /** Dry run of an install: only the checks. Hosts must be reachable and trusted. */
  async preview(clusterId: string, spec: RunSpec): Promise<PreviewView> {
    const cluster = this.cluster(clusterId);
    assertManaged(this.#deps.store, cluster, ACTIONS[spec.kind]);
    return previewRun(this.#deps, cluster, spec);
  }

  /**
   * Starts a run; returns at once. 409 (naming the run and its process) when the cluster
   * already has one in flight, in this process or another.
   */
  start(clusterId: string, spec: RunSpec): { runId: string } {
    assertManaged(this.#deps.store, this.cluster(clusterId), ACTIONS[spec.kind]);
    const row = this.#deps.store.leases.begin({
      id: this.#newId(),
      cluster_id: clusterId,
      kind: spec.kind,
      spec: JSON.stringify(spec),
    });
    this.#launch(row, spec);
    return { runId: row.id };
  }

  /**
   * Continues a run that is not running (failed, cancelled, interrupted, or orphaned by a
   * process that is gone) under its id.
   */
  resume(runId: string): { runId: string } {
    this.#run(runId);
    const row = this.#deps.store.leases.reclaim(runId);
    this.#launch(row, JSON.parse(row.spec) as RunSpec);
    return { runId };
  }

  /**
   * Stops after the steps in flight (hosts stay between two steps). A run of another process
   * is asked through the database; that process stops it at its next heartbeat.
   */
  cancel(runId: string): { runId: string } {
    const row = this.#run(runId);
    const active = this.#active.get(runId);
    if (active) {
      active.controller.abort();
      this.#deps.logger.log('info', 'bootstrap.run_cancel_requested', { runId });
      return { runId };
    }
    const inFlight = this.#deps.store.leases.inFlight(row.cluster_id);
    if (inFlight?.id !== runId || !this.#deps.store.runs.requestCancel(runId)) {
      const state = this.#deps.store.runs.get(runId)?.state ?? row.state;
      throw new ConflictError(`This run is not running (it is ${state}).`);
    }
    this.#deps.logger.log('info', 'bootstrap.run_cancel_requested', {
      runId,
      owner: ownerLabel(inFlight),
    });
    return { runId };
  }

  runView(runId: string): RunView {
    const row = this.#run(runId);
    return runView(row, this.#deps.store.runSteps.listByRun(runId), this.#active.get(runId)?.live);
  }

  runs(clusterId: string): RunView[] {
    this.cluster(clusterId);
    return this.#deps.store.runs.listByCluster(clusterId).map((r) => this.runView(r.id));
  }

  latestRun(clusterId: string): RunView | null {
    const row = this.#deps.store.runs.latest(clusterId);
    return row ? this.runView(row.id) : null;
  }

  subscribe(clusterId: string, signal: AbortSignal, options?: SubscribeOptions) {
    this.cluster(clusterId);
    return this.#deps.events.subscribe(clusterId, () => this.latestRun(clusterId), signal, options);
  }

  /** The shape of the installed cluster (from its last successful run), or undefined. */
  installedShape(clusterId: string): ClusterShape | undefined {
    const install = this.#deps.store.clusterInstalls.get(clusterId);
    if (!install?.installed_at) return undefined;
    const last = this.#deps.store.runs
      .listByCluster(clusterId)
      .find((r) => r.state === 'succeeded' && r.kind !== 'reset');
    if (!last) return undefined;
    const spec = JSON.parse(last.spec) as Exclude<RunSpec, { kind: 'reset' }>;
    const members = JSON.parse(install.members) as { servers: string[]; agents: string[] };
    return { ...spec.shape, servers: members.servers, agents: members.agents };
  }

  /** Host ids in the installed cluster (empty when nothing is installed). */
  installedMembers(clusterId: string): Set<string> {
    const shape = this.installedShape(clusterId);
    return new Set(shape ? [...shape.servers, ...shape.agents] : []);
  }

  /** Resolves when the run (if active) has finished and been recorded. */
  async settled(runId: string): Promise<void> {
    await this.#active.get(runId)?.done;
  }

  /** Marks this process's active runs interrupted, asks them to stop, waits briefly. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    const { store } = this.#deps;
    const self = store.leases.self;
    const detail = `Interrupted: ${ownerLabel({ owner_kind: self.kind, owner_pid: self.pid })} stopped during this step.`;
    for (const [runId, active] of this.#active) {
      if (store.db.open && store.leases.release(runId, 'interrupted', null)) {
        store.runSteps.settleInterrupted(runId, detail, this.#now());
      }
      active.controller.abort();
    }
    const all = Promise.allSettled([...this.#active.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
  }

  /** Interrupts other processes' runs whose owner is gone, and says so. */
  #sweep(): void {
    for (const row of this.#deps.store.leases.sweep()) {
      this.#deps.logger.log('warn', 'bootstrap.run_interrupted', {
        runId: row.id,
        owner: ownerLabel(row),
      });
      this.#publish(row.cluster_id, { type: 'run.finished', run: this.runView(row.id) });
    }
  }

  #launch(row: RunRow, spec: RunSpec): void {
    const controller = new AbortController();
    const active: Active = {
      clusterId: row.cluster_id,
      controller,
      live: new Map(),
      done: Promise.resolve(),
    };
    this.#active.set(row.id, active);
    this.#publish(row.cluster_id, { type: 'run.started', run: this.runView(row.id) });
    this.#deps.logger.log('info', 'bootstrap.run_started', { runId: row.id, kind: row.kind });
    active.done = this.#execute(row, spec, active)
      .catch((error: unknown) => {
        this.#deps.logger.log('error', 'bootstrap.run_crashed', {
          runId: row.id,
          error: String(error),
        });
      })
      .finally(() => this.#active.delete(row.id));
  }

  async #execute(row: RunRow, spec: RunSpec, active: Active): Promise<void> {
    const cluster = this.cluster(row.cluster_id);
    let run: OpenedRun | undefined;
    let outcome: RunOutcome;
    try {
      run = await openRun(this.#deps, cluster, spec);
      if (run.opened.failures.length > 0) {
        outcome = connectFailedOutcome(row.id, run.opened.failures, this.#deps.redact);
      } else {
        const plan = await run.plan();
        const journal = new SqliteJournal(
          this.#deps.store,
          stepIndex(plan.waves.flat()),
          this.#deps.clock,
          (runId, step, line) => this.#publish(cluster.id, { type: 'run.log', runId, step, line }),
        );
        outcome = await runPlan(plan, {
          runId: row.id,
          journal,
          concurrency: concurrencyOf(this.#deps.engine),
          signal: active.controller.signal,
          redactor: this.#deps.redact,
          clock: this.#deps.clock,
          onEvent: (e) => this.#onEvent(cluster.id, row.id, active, e),
        });
      }
    } catch (error) {
      outcome = planFailedOutcome(row.id, error, this.#deps.redact);
    } finally {
      await run?.opened.close();
    }
    this.#finish(row, spec, outcome);
  }

  #onEvent(clusterId: string, runId: string, active: Active, e: BootstrapEvent): void {
    active.live.set(e.step, { current: e.current, max: e.max, description: e.description });
    this.#publish(clusterId, { type: 'run.step', runId, event: { ...e, hostId: e.host } });
  }

  #finish(row: RunRow, spec: RunSpec, outcome: RunOutcome): void {
    if (this.#closed || !this.#deps.store.db.open) return;
    const { store } = this.#deps;
    const now = this.#now();
    const { state } = outcome;
    // Recorded only while this process still owns the run: one that was taken over (its
    // lease ran out and another process interrupted or resumed it) is that process's now.
    const owned = store.transaction(() => {
      const json = JSON.stringify({ changed: outcome.changed, failed: outcome.failed });
      if (!store.leases.release(row.id, state, json)) return false;
      if (state === 'succeeded') recordOutcome(store, row.cluster_id, spec, now);
      return true;
    });
    if (!owned) {
      this.#deps.logger.log('warn', 'bootstrap.run_lost', { runId: row.id, state });
      return;
    }
    const view = this.runView(row.id);
    this.#publish(row.cluster_id, { type: 'run.finished', run: view });
    this.#deps.logger.log('info', 'bootstrap.run_finished', {
      runId: row.id,
      state,
      changed: outcome.changed.length,
      failed: outcome.failed.map((f) => f.step).join(','),
    });
  }

  #run(runId: string): RunRow {
    const row = this.#deps.store.runs.get(runId);
    if (!row) throw new NotFoundError('run', runId);
    return row;
  }

  #publish(clusterId: string, event: Parameters<BootstrapEvents['publish']>[1]): void {
    this.#deps.events.publish(clusterId, event);
  }

  #now(): string {
    return this.#deps.clock().toISOString();
  }
}

/** What a succeeded run leaves: the install record's members, or none after a reset. */
function recordOutcome(store: Store, clusterId: string, spec: RunSpec, now: string): void {
  if (spec.kind === 'reset') forgetInstall(store, clusterId);
  else if (spec.kind === 'remove-host') {
    const shape = {
      ...spec.shape,
      servers: spec.shape.servers.filter((h) => h !== spec.hostId),
      agents: spec.shape.agents.filter((h) => h !== spec.hostId),
    };
    recordMembers(store, clusterId, shape, now);
  } else recordMembers(store, clusterId, spec.shape, now);
}
