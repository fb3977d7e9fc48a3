/**
 * 008: `usage_records` keyed by hour — PRIMARY KEY (cluster_id, segment, uid) instead of
 * (cluster_id, uid, segment), a pod index (cluster_id, uid, segment), and no covering range index.
 *
 * Why: pod UIDs are random (UUID v4), so 007's key put every new record on a random page of a
 * B-tree of a million entries, and its 14-column covering index wrote every row a second time:
 * a first sync of 1,000,000 records took 21.5 s (bench:metering with random UIDs; the goal is
 * ≤ 10 s). The ledger appends records roughly in hour order, so with the segment first the key's
 * inserts land on its right edge, a few hot pages per batch, and the rows themselves are appended
 * (rowid order = sync order ≈ hour order). A record never leaves its segment's hour
 * (ledger-configmap.ts refuses one that does), so a range of start times is a range of the key:
 * the bill's queries read the key's range, then rows that lie next to each other.
 *
 * The pod index stays random (one pod's records, for its bill line and the ended-at lookup); it
 * carries the segment so the lookup of a pod's segments is covered, and a large sync builds it
 * once at its end instead of row by row (usage-records.ts `deferPodIndex`).
 *
 * Measured and not taken: WITHOUT ROWID clustered on the same key — each row (~260 bytes with a
 * UUID cluster id) inserted mid-page within its hour made the sync slower than 007 (35 s).
 *
 * Rows are copied as they are (same columns, same values): nothing is re-rated or re-synced.
 *
 * @see https://www.sqlite.org/lang_createtable.html#the_primary_key
 * @see https://www.sqlite.org/lang_altertable.html#otheralter — rebuilding a table
 */
import type { Migration } from '../migrate.ts';

export const migration008: Migration = {
  version: 8,
  name: 'usage_records_by_hour',
  up(db) {
    db.exec(`
      CREATE TABLE usage_records_by_hour (
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
        PRIMARY KEY (cluster_id, segment, uid)
      ) STRICT;
      INSERT INTO usage_records_by_hour SELECT * FROM usage_records;
      DROP TABLE usage_records;
      ALTER TABLE usage_records_by_hour RENAME TO usage_records;
      CREATE INDEX usage_records_pod ON usage_records (cluster_id, uid, segment);
    `);
  },
};
