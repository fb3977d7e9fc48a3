/**
 * The sync's write path into `usage_records` (usage-records.ts reads it): many records per
 * INSERT, new keys only, and the pod index deferred during a large sync.
 *
 * @see https://www.sqlite.org/lang_upsert.html — ON CONFLICT DO NOTHING
 * @see https://www.sqlite.org/lang_createindex.html
 */
import type Database from 'better-sqlite3';
import {
  RECORD_COLUMNS,
  RECORD_WIDTH,
  recordView,
  rowAt,
  writeValues,
  type PackedRecords,
} from './usage-record-columns.ts';
import type { UsageRecordsTable } from './usage-records.ts';

/** Rows per INSERT statement (23 columns × 200 = 4,600 parameters, under SQLite's 32,766). */
const ROWS_PER_INSERT = 200;

/** Index of one pod's records (migrations/008_usage_records_by_hour.ts). */
const POD_INDEX = 'usage_records_pod';

export type RecordInserter = Pick<
  UsageRecordsTable,
  'insertNew' | 'deferPodIndex' | 'buildPodIndex'
>;

export function recordInserter(db: Database.Database): RecordInserter {
  const buildPodIndex = () =>
    db.exec(`CREATE INDEX IF NOT EXISTS ${POD_INDEX} ON usage_records (cluster_id, uid, segment)`);
  // A sync that stopped between deferring the index and building it again left it missing.
  buildPodIndex();
  // Many rows per statement, bound by position: per-statement and per-name binding costs were
  // most of a sync's time (bench:metering). A slice is tried without RETURNING (building the
  // returned rows cost a sixth of the insert): its change count says all new or none new, the
  // usual cases; a slice with some keys held is rolled back to its savepoint and inserted again
  // with RETURNING, which names the rows actually inserted (DO NOTHING skips the others).
  const statements = new Map<
    string,
    Database.Statement<unknown[], { uid: string; segment: number }>
  >();
  const insertOf = (n: number, returning: boolean) => {
    const key = `${String(n)}${returning ? 'r' : ''}`;
    let statement = statements.get(key);
    if (!statement) {
      const values = `(${RECORD_COLUMNS.map(() => '?').join(', ')})`;
      statement = db.prepare<unknown[], { uid: string; segment: number }>(
        `INSERT INTO usage_records (${RECORD_COLUMNS.join(', ')})
         VALUES ${Array.from({ length: n }, () => values).join(', ')}
         ON CONFLICT (cluster_id, segment, uid) DO NOTHING${returning ? ' RETURNING uid, segment' : ''}`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
  const partial = new Error('some keys held');
  // Nested in the caller's transaction, db.transaction is a savepoint: throwing undoes the slice.
  const insertWhole = db.transaction((values: unknown[], n: number): number => {
    const changes = insertOf(n, false).run(values).changes;
    if (changes !== 0 && changes !== n) throw partial;
    return changes;
  });
  return {
    insertNew(batch, onNew) {
      let added = 0;
      // Slices of ROWS_PER_INSERT records across the batch's parts: each slice's values are
      // written straight from the packed records into the one array the statement binds.
      const slice: { part: PackedRecords; i: number }[] = [];
      const flush = () => {
        const n = slice.length;
        const values = new Array<unknown>(n * RECORD_WIDTH);
        slice.forEach((r, k) => writeValues(r.part, r.i, values, k * RECORD_WIDTH));
        let changes: number;
        try {
          changes = insertWhole(values, n);
        } catch (error) {
          if (error !== partial) throw error;
          changes = -1;
        }
        if (changes >= 0) {
          added += changes;
          if (onNew && changes > 0) for (const r of slice) onNew(viewOf(r.part).at(r.i));
        } else {
          const inserted = insertOf(n, true).all(values);
          added += inserted.length;
          if (onNew) {
            const isNew = new Set(inserted.map((k) => `${k.uid}/${String(k.segment)}`));
            for (const r of slice) {
              const row = rowAt(r.part, r.i);
              if (isNew.has(`${row.uid}/${String(row.segment)}`)) onNew(row);
            }
          }
        }
        slice.length = 0;
      };
      const views = new Map<PackedRecords, ReturnType<typeof recordView>>();
      const viewOf = (part: PackedRecords) => {
        let view = views.get(part);
        if (!view) {
          view = recordView(part);
          views.set(part, view);
        }
        return view;
      };
      for (const part of batch) {
        for (let i = 0; i < part.count; i++) {
          slice.push({ part, i });
          if (slice.length === ROWS_PER_INSERT) flush();
        }
      }
      if (slice.length > 0) flush();
      return added;
    },
    deferPodIndex: () => db.exec(`DROP INDEX IF EXISTS ${POD_INDEX}`),
    buildPodIndex,
  };
}
