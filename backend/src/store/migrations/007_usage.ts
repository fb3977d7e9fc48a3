/**
 * 007: metering on the desktop (issue 15). The cluster's ledger (hourly records per pod, see
 * cluster-runtime/src/metering/record.ts) synced into SQLite, what the sync needs to resume, the
 * prices each cluster is billed at, the daily totals the meter compacted old chunks into, and the
 * pool's capacity per hour (for idle).
 *
 * `usage_records` — one row per ledger record, keyed (cluster_id, uid, segment) as the ledger keys
 * them, so an upsert of a record synced twice is a no-op (`ON CONFLICT DO NOTHING`) and nothing is
 * billed twice. Every field is an integer column except names and the labels (JSON, kept for a
 * later filter; never grouped on). Usage columns are NULL when the record says "missing" (never 0).
 *
 * Rating at sync, not at query time: each row stores `billed_seconds` and `cost_micros` at the
 * prices in effect (cluster-runtime's `billRecord`: exact BigInt, one half-up rounding per
 * record), and a price change re-rates every row of the cluster in one transaction. Why: the
 * 30-day bill grouped by namespace over 1,000,000 records must answer in ≤ 200 ms, and the
 * exact cost of a record needs 64+ bit intermediate products (millicores × nano-price × 2^30 ≈
 * 10^19) that SQLite's integers cannot hold — rating in JS at query time costs ~1 s per million
 * records (BigInt), whereas `SUM(cost_micros)` over the covering index below is a plain scan
 * (measured by `npm run bench:metering`). Prices change rarely; a re-rate of a million rows takes
 * seconds once and is memoised per distinct (spec, seconds).
 *
 * `usage_rollup` — the same sums per UTC day and workload, added to as new records are inserted
 * (and rebuilt from the records after a re-rate). A 30-day bill reads ≤ 30 × workloads rows of
 * it, plus the records of the range's partial days at either end through `usage_records_range`
 * (a covering index: the range on start_s, the grouping columns and every summed column), so
 * the bill's cost does not grow with the number of records. Pods are counted additively: a pod
 * is in a range when its first record is (start_s = pod_start) or when it was running at the
 * range's first hour boundary (a record starting there with an earlier pod_start) — records
 * of a pod are contiguous hours, so this counts each pod of the range exactly once.
 */
import type { Migration } from '../migrate.ts';

export const migration007: Migration = {
  version: 7,
  name: 'usage',
  up(db) {
    db.exec(`
      CREATE TABLE usage_records (
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        segment INTEGER NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        owner_kind TEXT NOT NULL DEFAULT '',
        owner_name TEXT NOT NULL DEFAULT '',
        labels TEXT,
        cpu_milli INTEGER NOT NULL,
        memory_bytes INTEGER NOT NULL,
        spec_source TEXT,
        runtime_class TEXT,
        overhead_cpu_milli INTEGER,
        overhead_memory_bytes INTEGER,
        pod_start INTEGER NOT NULL,
        start_s INTEGER NOT NULL,
        end_s INTEGER NOT NULL,
        final INTEGER NOT NULL CHECK (final IN (0, 1)),
        usage_cpu_milli_s INTEGER,
        usage_memory_kib_s INTEGER,
        usage_covered_s INTEGER,
        billed_seconds INTEGER NOT NULL,
        cost_micros INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, uid, segment)
      ) STRICT;
      CREATE INDEX usage_records_range ON usage_records (
        cluster_id, start_s, namespace, owner_kind, owner_name, billed_seconds, cost_micros,
        cpu_milli, memory_bytes, pod_start, end_s, usage_cpu_milli_s, usage_memory_kib_s,
        usage_covered_s
      );
      CREATE TABLE usage_rollup (
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        day INTEGER NOT NULL,
        namespace TEXT NOT NULL,
        owner_kind TEXT NOT NULL,
        owner_name TEXT NOT NULL,
        pods INTEGER NOT NULL,
        records INTEGER NOT NULL,
        seconds INTEGER NOT NULL,
        spec_cpu_milli_s INTEGER NOT NULL,
        spec_memory_kib_s INTEGER NOT NULL,
        cost_micros INTEGER NOT NULL,
        usage_cpu_milli_s INTEGER NOT NULL,
        usage_memory_kib_s INTEGER NOT NULL,
        usage_covered_s INTEGER NOT NULL,
        covered_cpu_milli_s INTEGER NOT NULL,
        covered_memory_kib_s INTEGER NOT NULL,
        missing INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, day, namespace, owner_kind, owner_name)
      ) STRICT;
      CREATE TABLE usage_sync (
        cluster_id TEXT PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
        cursor_seq INTEGER NOT NULL,
        cursor_offset INTEGER NOT NULL,
        anchor_seq INTEGER,
        anchor_uid TEXT,
        synced_at TEXT,
        synced_records INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        error_at TEXT
      ) STRICT;
      CREATE TABLE usage_prices (
        cluster_id TEXT PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
        mode TEXT NOT NULL CHECK (mode IN ('entered', 'derived')),
        currency TEXT NOT NULL,
        minimum_seconds INTEGER NOT NULL,
        nanos_per_vcpu_hour INTEGER NOT NULL,
        nanos_per_gib_hour INTEGER NOT NULL,
        monthly_cost_per_machine TEXT,
        target_utilisation_percent INTEGER,
        machines INTEGER,
        pool_cpu_milli INTEGER,
        pool_memory_bytes INTEGER,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE usage_daily_totals (
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        namespace TEXT NOT NULL,
        owner_kind TEXT NOT NULL DEFAULT '',
        owner_name TEXT NOT NULL DEFAULT '',
        records INTEGER NOT NULL,
        pods_ended INTEGER NOT NULL,
        seconds INTEGER NOT NULL,
        spec_cpu_milli_s INTEGER NOT NULL,
        spec_memory_kib_s INTEGER NOT NULL,
        usage_cpu_milli_s INTEGER NOT NULL,
        usage_memory_kib_s INTEGER NOT NULL,
        usage_covered_s INTEGER NOT NULL,
        usage_missing_s INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, day, namespace, owner_kind, owner_name)
      ) STRICT;
      CREATE TABLE usage_capacity (
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        hour INTEGER NOT NULL,
        samples INTEGER NOT NULL,
        cpu_milli_sum INTEGER NOT NULL,
        memory_bytes_sum INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, hour)
      ) STRICT;
    `);
  },
};
