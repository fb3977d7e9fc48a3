/**
 * Data access for `host_checks`: the onboarding check reports of a cluster, newest first.
 * The report is stored as JSON (it is a view, read whole, never queried inside); only the
 * latest {@link KEEP_CHECKS_PER_CLUSTER} per cluster are kept.
 */
import type Database from 'better-sqlite3';

/** Older reports add nothing the UI shows; a few are kept to compare after a fix. */
export const KEEP_CHECKS_PER_CLUSTER = 5;

export interface HostCheckRow {
  id: string;
  cluster_id: string;
  started_at: string;
  finished_at: string;
  /** JSON of the report view. */
  report: string;
}

export interface HostChecksTable {
  /** Inserts a report and drops the cluster's older ones beyond the limit. */
  insert(row: HostCheckRow): void;
  latest(clusterId: string): HostCheckRow | undefined;
  listByCluster(clusterId: string): HostCheckRow[];
}

export function hostChecksTable(db: Database.Database): HostChecksTable {
  const order = 'ORDER BY finished_at DESC, rowid DESC';
  const insert = db.prepare<[HostCheckRow]>(
    `INSERT INTO host_checks (id, cluster_id, started_at, finished_at, report)
     VALUES (@id, @cluster_id, @started_at, @finished_at, @report)`,
  );
  const prune = db.prepare<[string, string, number]>(
    `DELETE FROM host_checks WHERE cluster_id = ? AND id NOT IN (
       SELECT id FROM host_checks WHERE cluster_id = ? ${order} LIMIT ?)`,
  );
  const latest = db.prepare<[string], HostCheckRow>(
    `SELECT * FROM host_checks WHERE cluster_id = ? ${order} LIMIT 1`,
  );
  const byCluster = db.prepare<[string], HostCheckRow>(
    `SELECT * FROM host_checks WHERE cluster_id = ? ${order}`,
  );
  return {
    insert: db.transaction((row: HostCheckRow) => {
      insert.run(row);
      prune.run(row.cluster_id, row.cluster_id, KEEP_CHECKS_PER_CLUSTER);
    }),
    latest: (clusterId) => latest.get(clusterId),
    listByCluster: (clusterId) => byCluster.all(clusterId),
  };
}
