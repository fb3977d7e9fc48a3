/**
 * Data access for `run_logs`: already-redacted log lines per step. Bounded per run: beyond
 * {@link MAX_LOG_LINES_PER_RUN} the oldest lines go, so a chatty or looping step cannot grow
 * the database without limit.
 */
import type Database from 'better-sqlite3';

export const MAX_LOG_LINES_PER_RUN = 5_000;
/** Longer lines are cut (a step's log is for people, not for dumps). */
export const MAX_LOG_LINE_CHARS = 4_000;

export interface RunLogRow {
  step: string;
  at: string;
  line: string;
}

export interface RunLogsTable {
  append(runId: string, step: string, at: string, line: string): void;
  /** Oldest first; at most `limit` lines (the newest ones), optionally of some steps only. */
  list(runId: string, options?: { steps?: readonly string[]; limit?: number }): RunLogRow[];
}

export function runLogsTable(
  db: Database.Database,
  maxLines = MAX_LOG_LINES_PER_RUN,
): RunLogsTable {
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO run_logs (run_id, step, at, line) VALUES (?, ?, ?, ?)',
  );
  const count = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM run_logs WHERE run_id = ?',
  );
  const prune = db.prepare<[string, string, number]>(
    `DELETE FROM run_logs WHERE run_id = ? AND id NOT IN (
       SELECT id FROM run_logs WHERE run_id = ? ORDER BY id DESC LIMIT ?)`,
  );
  const all = db.prepare<[string, number], RunLogRow>(
    `SELECT step, at, line FROM (
       SELECT id, step, at, line FROM run_logs WHERE run_id = ? ORDER BY id DESC LIMIT ?
     ) ORDER BY id`,
  );
  // Pruning on every insert would be a DELETE per line; every 10% over the cap is enough.
  const slack = Math.max(1, Math.floor(maxLines / 10));
  return {
    append: db.transaction((runId: string, step: string, at: string, line: string) => {
      insert.run(runId, step, at, line.slice(0, MAX_LOG_LINE_CHARS));
      if ((count.get(runId)?.n ?? 0) > maxLines + slack) prune.run(runId, runId, maxLines);
    }),
    list(runId, options = {}) {
      const limit = Math.min(options.limit ?? maxLines, maxLines);
      const rows = all.all(runId, options.steps ? maxLines + slack : limit);
      if (!options.steps) return rows;
      const wanted = new Set(options.steps);
      return rows.filter((r) => wanted.has(r.step)).slice(-limit);
    },
  };
}
