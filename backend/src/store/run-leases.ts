/**
 * Run ownership across processes: starting, taking over, renewing and ending runs, and
 * interrupting the runs of owners that are gone (`run-owner.ts` decides who is gone). Every
 * decision that reads "is a run in flight?" and then writes runs inside one `BEGIN IMMEDIATE`
 * transaction, so two processes cannot both see a cluster idle and both start a run; the
 * partial unique index of migration 004 backs this up.
 */
import type Database from 'better-sqlite3';
import type { RunStepsTable } from './run-steps.ts';
import {
  RunInFlightError,
  ownerColumns,
  ownerGone,
  ownerLabel,
  type OwnerPolicy,
  type RunOwner,
} from './run-owner.ts';
import type { RunRow, RunState, RunsTable } from './runs.ts';

/** A new run: what the caller knows; owner and state are filled in. */
export type NewRun = Pick<RunRow, 'id' | 'cluster_id' | 'kind' | 'spec'>;

export interface RunLeases {
  readonly self: RunOwner;
  /** Interrupts the running runs (of one cluster, or all) whose owner is gone; returns them. */
  sweep(clusterId?: string): RunRow[];
  /** The cluster's run in flight (its owner alive), after sweeping; undefined when idle. */
  inFlight(clusterId: string): RunRow | undefined;
  /** Throws {@link RunInFlightError} (naming the run and its owner) when a run is in flight. */
  assertIdle(clusterId: string, consequence: string): void;
  /** Inserts `run` as running, owned by this process; refuses when the cluster is busy. */
  begin(run: NewRun): RunRow;
  /** Takes over a stopped run (Resume); refuses when its cluster is busy. */
  reclaim(runId: string): RunRow;
  /** Renews this process's runs: ids it lost (taken over) and ids asked to cancel. */
  renew(runIds: readonly string[]): { lost: string[]; cancel: string[] };
  /** Ends a run this process owns; false (nothing written) when it no longer owns it. */
  release(runId: string, state: Exclude<RunState, 'running'>, outcome: string | null): boolean;
}

export interface RunLeasesDeps {
  db: Database.Database;
  runs: RunsTable;
  runSteps: RunStepsTable;
  policy: OwnerPolicy;
  clock: () => Date;
}

const BUSY = 'Another run cannot start until it ends.';

export function runLeases(deps: RunLeasesDeps): RunLeases {
  const { db, runs, runSteps, policy } = deps;
  const now = () => deps.clock().toISOString();
  const immediate = <T>(fn: () => T): T =>
    db.inTransaction ? fn() : db.transaction(fn).immediate();

  const sweep = (clusterId?: string): RunRow[] =>
    immediate(() => {
      const at = now();
      const gone: RunRow[] = [];
      for (const row of runs.running(clusterId)) {
        if (!ownerGone(row, policy, deps.clock())) continue;
        if (!runs.interrupt(row.id, row.owner_instance, at)) continue;
        runSteps.settleInterrupted(
          row.id,
          `Interrupted: ${ownerLabel(row)} stopped during this step.`,
          at,
        );
        gone.push({ ...row, state: 'interrupted', finished_at: at });
      }
      return gone;
    });

  const inFlight = (clusterId: string): RunRow | undefined =>
    immediate(() => {
      sweep(clusterId);
      return runs.running(clusterId)[0];
    });

  const assertIdle = (clusterId: string, consequence: string): void => {
    const busy = inFlight(clusterId);
    if (busy) throw new RunInFlightError(busy, consequence);
  };

  return {
    self: policy.self,
    sweep,
    inFlight,
    assertIdle,
    begin: (run) =>
      immediate(() => {
        assertIdle(run.cluster_id, BUSY);
        const at = now();
        const row: RunRow = {
          ...run,
          state: 'running',
          outcome: null,
          started_at: at,
          finished_at: null,
          cancel_requested: 0,
          ...ownerColumns(policy.self, at),
        };
        runs.insert(row);
        return row;
      }),
    reclaim: (runId) =>
      immediate(() => {
        const row = runs.get(runId);
        if (!row) throw new Error(`No run with id ${runId}.`);
        assertIdle(row.cluster_id, BUSY);
        const owner = ownerColumns(policy.self, now());
        runs.claim(runId, owner);
        return { ...row, ...owner, state: 'running', outcome: null, finished_at: null };
      }),
    renew: (runIds) => {
      const at = now();
      const lost: string[] = [];
      const cancel: string[] = [];
      for (const id of runIds) {
        if (!runs.heartbeat(id, policy.self.instance, at)) lost.push(id);
        else if (runs.get(id)?.cancel_requested === 1) cancel.push(id);
      }
      return { lost, cancel };
    },
    release: (runId, state, outcome) =>
      runs.finishOwned(runId, policy.self.instance, state, outcome, now()),
  };
}
