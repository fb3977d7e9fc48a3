/**
 * Data access for `runs`: one row per bootstrap run (install, add hosts, remove a host,
 * reset). The spec is the JSON the run was started with, so Resume rebuilds the same plan;
 * the outcome is the engine's `RunOutcome` (changed/failed steps) once the run ends.
 */
import type Database from 'better-sqlite3';

export type RunKind = 'install' | 'add-hosts' | 'remove-host' | 'reset';
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface RunRow {
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
}

export interface RunsTable {
  insert(row: RunRow): void;
  get(id: string): RunRow | undefined;
  /** Newest first. */
  listByCluster(clusterId: string): RunRow[];
  latest(clusterId: string): RunRow | undefined;
  /** Sets state, outcome and finished_at (null when the run goes on again). */
  finish(id: string, state: RunState, outcome: string | null, finishedAt: string | null): void;
  /** Every `running` row becomes `interrupted` (the process that ran it is gone); returns ids. */
  interruptRunning(finishedAt: string): string[];
}

export function runsTable(db: Database.Database): RunsTable {
  const order = 'ORDER BY started_at DESC, rowid DESC';
  const insert = db.prepare<[RunRow]>(
    `INSERT INTO runs (id, cluster_id, kind, spec, state, outcome, started_at, finished_at)
     VALUES (@id, @cluster_id, @kind, @spec, @state, @outcome, @started_at, @finished_at)`,
  );
  const get = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
  const byCluster = db.prepare<[string], RunRow>(
    `SELECT * FROM runs WHERE cluster_id = ? ${order}`,
  );
  const latest = db.prepare<[string], RunRow>(
    `SELECT * FROM runs WHERE cluster_id = ? ${order} LIMIT 1`,
  );
  const finish = db.prepare<[string, string | null, string | null, string]>(
    'UPDATE runs SET state = ?, outcome = ?, finished_at = ? WHERE id = ?',
  );
  const running = db.prepare<[], { id: string }>("SELECT id FROM runs WHERE state = 'running'");
  const interrupt = db.prepare<[string]>(
    "UPDATE runs SET state = 'interrupted', finished_at = ? WHERE state = 'running'",
  );
  return {
    insert: (row) => void insert.run(row),
    get: (id) => get.get(id),
    listByCluster: (clusterId) => byCluster.all(clusterId),
    latest: (clusterId) => latest.get(clusterId),
    finish: (id, state, outcome, finishedAt) => void finish.run(state, outcome, finishedAt, id),
    interruptRunning: db.transaction((finishedAt: string) => {
      const ids = running.all().map((r) => r.id);
      interrupt.run(finishedAt);
      return ids;
    }),
  };
}
