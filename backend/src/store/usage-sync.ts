/**
 * Data access for `usage_sync`: per cluster, the ledger cursor the desktop has committed (the
 * next record to read; stored in the same transaction as the records it covers, so a crash
 * never leaves records without their cursor or a cursor past records not held) with its anchor
 * (the sequence number and uid of the last chunk read, so a ledger replaced by a new one whose
 * sequence numbers reach the cursor is told apart from the one the cursor belongs to), when the last
 * good sync ran and how many records it read, and the last sync's failure in words.
 */
import type Database from 'better-sqlite3';

export interface UsageSyncRow {
  cluster_id: string;
  cursor_seq: number;
  cursor_offset: number;
  anchor_seq: number | null;
  anchor_uid: string | null;
  synced_at: string | null;
  synced_records: number;
  error: string | null;
  error_at: string | null;
}

/** The last chunk a sync read from: its sequence number and its ConfigMap's uid. */
export interface LedgerAnchor {
  seq: number;
  uid: string;
}

export interface UsageSyncTable {
  get(clusterId: string): UsageSyncRow | undefined;
  /** Stores the cursor and its anchor chunk (inside the records' transaction). */
  setCursor(clusterId: string, seq: number, offset: number, anchor?: LedgerAnchor): void;
  /** A good sync: when and how many records it read; clears the error. */
  synced(clusterId: string, at: string, records: number): void;
  failed(clusterId: string, at: string, error: string): void;
}

export function usageSyncTable(db: Database.Database): UsageSyncTable {
  const get = db.prepare<[string], UsageSyncRow>('SELECT * FROM usage_sync WHERE cluster_id = ?');
  const ensure = db.prepare<[string]>(
    `INSERT INTO usage_sync (cluster_id, cursor_seq, cursor_offset) VALUES (?, 0, 0)
     ON CONFLICT (cluster_id) DO NOTHING`,
  );
  const cursor = db.prepare<[number, number, number | null, string | null, string]>(
    `UPDATE usage_sync SET cursor_seq = ?, cursor_offset = ?, anchor_seq = ?, anchor_uid = ?
     WHERE cluster_id = ?`,
  );
  const synced = db.prepare<[string, number, string]>(
    `UPDATE usage_sync SET synced_at = ?, synced_records = ?, error = NULL, error_at = NULL
     WHERE cluster_id = ?`,
  );
  const failed = db.prepare<[string, string, string]>(
    'UPDATE usage_sync SET error = ?, error_at = ? WHERE cluster_id = ?',
  );
  return {
    get: (clusterId) => get.get(clusterId),
    setCursor(clusterId, seq, offset, anchor) {
      ensure.run(clusterId);
      cursor.run(seq, offset, anchor?.seq ?? null, anchor?.uid ?? null, clusterId);
    },
    synced(clusterId, at, records) {
      ensure.run(clusterId);
      synced.run(at, records, clusterId);
    },
    failed(clusterId, at, error) {
      ensure.run(clusterId);
      failed.run(error, at, clusterId);
    },
  };
}
