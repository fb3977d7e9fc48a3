/**
 * Data access for `runs`: one row per bootstrap run (install, add hosts, remove a host,
 * reset). The spec is the JSON the run was started with, so Resume rebuilds the same plan;
 * the outcome is the engine's `RunOutcome` (changed/failed steps) once the run ends. A
 * `running` row names the process that runs it (owner columns, heartbeat); the rules about
 * owners live in `run-leases.ts`, this module only reads and writes rows.
 */
import type Database from 'better-sqlite3';

export type RunKind = 'install' | 'add-hosts' | 'remove-host' | 'reset';
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type OwnerKind = 'app' | 'cli';

/** The process that runs (or last ran) a run. */
export interface OwnerColumns {
  owner_kind: OwnerKind | null;
  owner_pid: number | null;
  /** Random per process: tells this process from an earlier one that had the same pid. */
  owner_instance: string | null;
  /** Where and when the owner started (opaque, see `process-probe.ts`), or null. */
  owner_start: string | null;
  heartbeat_at: string | null;
}

export interface RunRow extends OwnerColumns {
  id: string;
  cluster_id: string;
  kind: RunKind;
  /** JSON of the run's spec (see `bootstrap/run-spec.ts`). */
  spec: string;
  state: RunState;
  /** JSON of the outcome, null while running. */
  outcome: string | null;
  started_at: string;
  finished_at: string | null;
  /** 1 when another process asked the owner to stop the run. */
  cancel_requested: 0 | 1;
}

export interface RunsTable {
  insert(row: RunRow): void;
  get(id: string): RunRow | undefined;
  /** Newest first. */
  listByCluster(clusterId: string): RunRow[];
  latest(clusterId: string): RunRow | undefined;
  /** Rows in state `running` (of one cluster, or all). */
  running(clusterId?: string): RunRow[];
  /** A stopped run goes on under `owner`; false when the row is missing or running. */
  claim(id: string, owner: OwnerColumns): boolean;
  /** Renews the owner's heartbeat; false when `instance` no longer runs the run. */
  heartbeat(id: string, instance: string, at: string): boolean;
  /** Ends a run `instance` owns; false when it no longer owns it (nothing is written). */
  finishOwned(
    id: string,
    instance: string,
    state: Exclude<RunState, 'running'>,
    outcome: string | null,
    finishedAt: string,
  ): boolean;
  /** A running run whose owner (`instance`, null for none) is gone becomes `interrupted`. */
  interrupt(id: string, instance: string | null, finishedAt: string): boolean;
  /** Asks the owner of a running run to stop it; false when the run is not running. */
  requestCancel(id: string): boolean;
}

export function runsTable(db: Database.Database): RunsTable {
  const order = 'ORDER BY started_at DESC, rowid DESC';
  const insert = db.prepare<[RunRow]>(
    `INSERT INTO runs (id, cluster_id, kind, spec, state, outcome, started_at, finished_at,
                       owner_kind, owner_pid, owner_instance, owner_start, heartbeat_at,
                       cancel_requested)
     VALUES (@id, @cluster_id, @kind, @spec, @state, @outcome, @started_at, @finished_at,
             @owner_kind, @owner_pid, @owner_instance, @owner_start, @heartbeat_at,
             @cancel_requested)`,
  );
  const get = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
  const byCluster = db.prepare<[string], RunRow>(
    `SELECT * FROM runs WHERE cluster_id = ? ${order}`,
  );
  const latest = db.prepare<[string], RunRow>(
    `SELECT * FROM runs WHERE cluster_id = ? ${order} LIMIT 1`,
  );
  const runningAll = db.prepare<[], RunRow>(`SELECT * FROM runs WHERE state = 'running' ${order}`);
  const runningOf = db.prepare<[string], RunRow>(
    `SELECT * FROM runs WHERE state = 'running' AND cluster_id = ? ${order}`,
  );
  const claim = db.prepare<[OwnerColumns & { id: string }]>(
    `UPDATE runs SET state = 'running', outcome = NULL, finished_at = NULL, cancel_requested = 0,
            owner_kind = @owner_kind, owner_pid = @owner_pid, owner_instance = @owner_instance,
            owner_start = @owner_start, heartbeat_at = @heartbeat_at
     WHERE id = @id AND state != 'running'`,
  );
  const heartbeat = db.prepare<[string, string, string]>(
    `UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_instance = ? AND state = 'running'`,
  );
  const finishOwned = db.prepare<[string, string | null, string, string, string]>(
    `UPDATE runs SET state = ?, outcome = ?, finished_at = ?
     WHERE id = ? AND owner_instance = ? AND state = 'running'`,
  );
  const interrupt = db.prepare<[string, string, string | null]>(
    `UPDATE runs SET state = 'interrupted', finished_at = ?
     WHERE id = ? AND state = 'running' AND owner_instance IS ?`,
  );
  const cancel = db.prepare<[string]>(
    `UPDATE runs SET cancel_requested = 1 WHERE id = ? AND state = 'running'`,
  );
  return {
    insert: (row) => void insert.run(row),
    get: (id) => get.get(id),
    listByCluster: (clusterId) => byCluster.all(clusterId),
    latest: (clusterId) => latest.get(clusterId),
    running: (clusterId) => (clusterId === undefined ? runningAll.all() : runningOf.all(clusterId)),
    claim: (id, owner) => claim.run({ ...owner, id }).changes === 1,
    heartbeat: (id, instance, at) => heartbeat.run(at, id, instance).changes === 1,
    finishOwned: (id, instance, state, outcome, finishedAt) =>
      finishOwned.run(state, outcome, finishedAt, id, instance).changes === 1,
    interrupt: (id, instance, finishedAt) => interrupt.run(finishedAt, id, instance).changes === 1,
    requestCancel: (id) => cancel.run(id).changes === 1,
  };
}
