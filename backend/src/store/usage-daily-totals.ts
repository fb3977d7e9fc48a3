/**
 * Data access for `usage_daily_totals`: the daily per-workload totals the meter compacted old,
 * acknowledged chunks into (`nodeless-ledger-totals-<day>` ConfigMaps), as last read. The bill
 * uses them only for days the desktop holds no records of — a second desktop, or one that was
 * away longer than the retention — since records are finer and carry the exact minimum.
 */
import type Database from 'better-sqlite3';

export interface UsageDailyTotalRow {
  cluster_id: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  namespace: string;
  owner_kind: string;
  owner_name: string;
  records: number;
  pods_ended: number;
  seconds: number;
  spec_cpu_milli_s: number;
  spec_memory_kib_s: number;
  usage_cpu_milli_s: number;
  usage_memory_kib_s: number;
  usage_covered_s: number;
  usage_missing_s: number;
}

export interface UsageDailyTotalsTable {
  /** Replaces the totals of `day` (the ConfigMap holds the whole day). */
  replaceDay(clusterId: string, day: string, rows: readonly UsageDailyTotalRow[]): void;
  /** Totals of the days in [fromDay, toDay) (`YYYY-MM-DD`, compared as text). */
  range(clusterId: string, fromDay: string, toDay: string): UsageDailyTotalRow[];
}

export function usageDailyTotalsTable(db: Database.Database): UsageDailyTotalsTable {
  const clear = db.prepare<[string, string]>(
    'DELETE FROM usage_daily_totals WHERE cluster_id = ? AND day = ?',
  );
  const insert = db.prepare<[UsageDailyTotalRow]>(
    `INSERT OR REPLACE INTO usage_daily_totals
       (cluster_id, day, namespace, owner_kind, owner_name, records, pods_ended, seconds,
        spec_cpu_milli_s, spec_memory_kib_s, usage_cpu_milli_s, usage_memory_kib_s,
        usage_covered_s, usage_missing_s)
     VALUES (@cluster_id, @day, @namespace, @owner_kind, @owner_name, @records, @pods_ended,
             @seconds, @spec_cpu_milli_s, @spec_memory_kib_s, @usage_cpu_milli_s,
             @usage_memory_kib_s, @usage_covered_s, @usage_missing_s)`,
  );
  const range = db.prepare<[string, string, string], UsageDailyTotalRow>(
    `SELECT * FROM usage_daily_totals WHERE cluster_id = ? AND day >= ? AND day < ?
     ORDER BY day, namespace, owner_kind, owner_name`,
  );
  return {
    replaceDay(clusterId, day, rows) {
      clear.run(clusterId, day);
      for (const row of rows) insert.run(row);
    },
    range: (clusterId, fromDay, toDay) => range.all(clusterId, fromDay, toDay),
  };
}
