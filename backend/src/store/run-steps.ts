/**
 * Data access for `run_steps`: the last known state of every step of a run (the journal
 * Resume reads, and the grid a reloaded window draws). `seq` keeps the plan's order.
 */
import type Database from 'better-sqlite3';

export interface RunStepRow {
  run_id: string;
  step: string;
  seq: number;
  phase: string;
  host_id: string | null;
  state: string;
  current: number;
  max: number;
  description: string;
  detail: string;
  updated_at: string;
}

export interface RunStepsTable {
  /** Inserts or replaces the step's row; `seq` of an existing row is kept. */
  upsert(row: RunStepRow): void;
  /** Updates progress only (no state change) of an existing step. */
  progress(runId: string, step: string, current: number, max: number, description: string): void;
  listByRun(runId: string): RunStepRow[];
  /** Steps left mid-flight by a process that is gone: their state becomes `cancelled`. */
  settleInterrupted(runId: string, detail: string, at: string): void;
}

export function runStepsTable(db: Database.Database): RunStepsTable {
  const upsert = db.prepare<[RunStepRow]>(
    `INSERT INTO run_steps
       (run_id, step, seq, phase, host_id, state, current, max, description, detail, updated_at)
     VALUES (@run_id, @step, @seq, @phase, @host_id, @state, @current, @max, @description,
             @detail, @updated_at)
     ON CONFLICT (run_id, step) DO UPDATE SET
       phase = excluded.phase, host_id = excluded.host_id, state = excluded.state,
       current = excluded.current, max = excluded.max, description = excluded.description,
       detail = excluded.detail, updated_at = excluded.updated_at`,
  );
  const progress = db.prepare<[number, number, string, string, string]>(
    'UPDATE run_steps SET current = ?, max = ?, description = ? WHERE run_id = ? AND step = ?',
  );
  const list = db.prepare<[string], RunStepRow>(
    'SELECT * FROM run_steps WHERE run_id = ? ORDER BY seq, step',
  );
  const settle = db.prepare<[string, string, string, string]>(
    `UPDATE run_steps SET state = 'cancelled', description = ?, detail = ?, updated_at = ?
     WHERE run_id = ? AND state IN ('pending', 'checking', 'applying', 'verifying')`,
  );
  return {
    upsert: (row) => void upsert.run(row),
    progress: (runId, step, current, max, description) =>
      void progress.run(current, max, description, runId, step),
    listByRun: (runId) => list.all(runId),
    settleInterrupted: (runId, detail, at) => void settle.run(detail, detail, at, runId),
  };
}
