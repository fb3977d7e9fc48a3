/**
 * 002: onboarding check reports per cluster (`host_checks`). `known_host_keys` already has the
 * right shape since 001 (host, port, key type → fingerprint and key), so it is unchanged.
 * Deleting a cluster deletes its reports (ON DELETE CASCADE).
 */
import type { Migration } from '../migrate.ts';

export const migration002: Migration = {
  version: 2,
  name: 'host_checks',
  up(db) {
    db.exec(`
      CREATE TABLE host_checks (
        id TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        report TEXT NOT NULL CHECK (json_valid(report))
      ) STRICT;
      CREATE INDEX host_checks_by_cluster ON host_checks(cluster_id, finished_at);
    `);
  },
};
