/**
 * 004: who runs a run. The app and the `nodeless` CLI share the data directory, so a process
 * that starts must not take another live process's runs for crashed ones. Each `running` row
 * names its owner (kind, pid, a per-process instance id, the process's start tag) and carries
 * a heartbeat; a run is interrupted only when its owner is gone (see `../run-owner.ts`).
 * A run in flight can be asked to stop by any process (`cancel_requested`): its owner sees the
 * flag at its next heartbeat. At most one run per cluster is `running` (partial unique index),
 * so two processes can never install one cluster at once, whatever the code above does.
 *
 * Rows written before this migration have no owner: they count as orphaned (the old code
 * interrupted every `running` row on startup anyway). Should an old database hold two running
 * rows of one cluster, all but the newest become `interrupted` so the index can be built.
 *
 * @see https://www.sqlite.org/partialindex.html
 */
import type { Migration } from '../migrate.ts';

export const migration004: Migration = {
  version: 4,
  name: 'run_owners',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN owner_kind TEXT CHECK (owner_kind IN ('app', 'cli'));
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE runs ADD COLUMN owner_instance TEXT;
      ALTER TABLE runs ADD COLUMN owner_start TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
      ALTER TABLE runs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0
        CHECK (cancel_requested IN (0, 1));

      UPDATE runs
         SET state = 'interrupted',
             finished_at = COALESCE(finished_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
       WHERE state = 'running'
         AND rowid NOT IN (SELECT max(rowid) FROM runs WHERE state = 'running' GROUP BY cluster_id);
      CREATE UNIQUE INDEX runs_one_running_per_cluster ON runs(cluster_id) WHERE state = 'running';
    `);
  },
};
