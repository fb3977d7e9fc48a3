/**
 * 003: the bootstrap journal (`runs`, `run_steps`, `run_logs`) and what an install leaves
 * behind (`cluster_installs`, whose kubeconfig lives ENCRYPTED in `secrets`). Deleting a
 * cluster deletes its runs, steps, logs and install record (ON DELETE CASCADE).
 *
 * @see ../../../../host-bootstrap/src/bootstrap/types.ts — `Journal`, `JournalEntry`
 */
import type { Migration } from '../migrate.ts';

export const migration003: Migration = {
  version: 3,
  name: 'bootstrap',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('install', 'add-hosts', 'remove-host', 'reset')),
        spec TEXT NOT NULL CHECK (json_valid(spec)),
        state TEXT NOT NULL
          CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        outcome TEXT CHECK (outcome IS NULL OR json_valid(outcome)),
        started_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX runs_by_cluster ON runs(cluster_id, started_at);

      CREATE TABLE run_steps (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        seq INTEGER NOT NULL,
        phase TEXT NOT NULL,
        host_id TEXT,
        state TEXT NOT NULL,
        current INTEGER NOT NULL DEFAULT 0,
        max INTEGER NOT NULL DEFAULT 1,
        description TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      ) STRICT;

      CREATE TABLE run_logs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        at TEXT NOT NULL,
        line TEXT NOT NULL
      ) STRICT;
      CREATE INDEX run_logs_by_run ON run_logs(run_id, id);

      CREATE TABLE cluster_installs (
        cluster_id TEXT PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
        server_url TEXT NOT NULL,
        sandbox TEXT NOT NULL,
        k3s_version TEXT NOT NULL,
        nodes INTEGER NOT NULL,
        members TEXT NOT NULL CHECK (json_valid(members)),
        kubeconfig_secret_id TEXT REFERENCES secrets(id),
        kubeconfig_sha256 TEXT,
        installed_at TEXT
      ) STRICT;
    `);
  },
};
