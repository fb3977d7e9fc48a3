/**
 * Records as the sync hands them to `usage_records`: their column values one after another, in
 * {@link RECORD_COLUMNS} order, rather than one object per record. Why: the sync builds them in a
 * worker thread (../usage/chunk-worker.ts) while the main thread inserts, and an array of
 * primitives crosses threads at about half the cost of the same records as objects (structured
 * clone: no property names per record); the INSERT binds exactly this array, slice by slice.
 *
 * @see https://nodejs.org/api/worker_threads.html#portpostmessagevalue-transferlist
 */
import type { UsageRecordRow } from './usage-records.ts';

/** Every column of `usage_records`, in the order the values are laid out. */
export const RECORD_COLUMNS = [
  'cluster_id',
  'uid',
  'segment',
  'namespace',
  'name',
  'owner_kind',
  'owner_name',
  'labels',
  'cpu_milli',
  'memory_bytes',
  'spec_source',
  'runtime_class',
  'overhead_cpu_milli',
  'overhead_memory_bytes',
  'pod_start',
  'start_s',
  'end_s',
  'final',
  'usage_cpu_milli_s',
  'usage_memory_kib_s',
  'usage_covered_s',
  'billed_seconds',
  'cost_micros',
] as const satisfies readonly (keyof UsageRecordRow)[];

const WIDTH = RECORD_COLUMNS.length;
const UID = RECORD_COLUMNS.indexOf('uid');
const SEGMENT = RECORD_COLUMNS.indexOf('segment');

/** `count` records' values, {@link RECORD_COLUMNS} at a time. */
export interface RecordColumns {
  count: number;
  values: unknown[];
}

/** Lays rows out as columns. */
export function columnsOf(rows: readonly UsageRecordRow[]): RecordColumns {
  const values = new Array<unknown>(rows.length * WIDTH);
  let i = 0;
  for (const row of rows) for (const c of RECORD_COLUMNS) values[i++] = row[c];
  return { count: rows.length, values };
}

/** Joins batches into one (the sync's pending records). */
export function concatColumns(parts: readonly RecordColumns[]): RecordColumns {
  if (parts.length === 1 && parts[0]) return parts[0];
  const count = parts.reduce((n, p) => n + p.count, 0);
  // Copied into one array allocated once: flatMap over arrays of 23,000 values was a fifth of
  // the main thread's time in a million-record sync.
  const values = new Array<unknown>(count * WIDTH);
  let i = 0;
  for (const part of parts) for (const v of part.values) values[i++] = v;
  return { count, values };
}

/**
 * A row view that moves over the records of `columns` (`at(i)`), reading each field from the
 * values in place: the rollup reads a dozen fields of every new record, and building a
 * 23-property object per record for that was a tenth of the sync's main thread. Read what you
 * need before the next `at`.
 */
export interface RecordCursor {
  at(i: number): UsageRecordRow;
}

export function recordCursor(columns: RecordColumns): RecordCursor {
  const view = Object.create(VIEW) as { values: unknown[]; base: number };
  view.values = columns.values;
  return {
    at(i) {
      view.base = i * WIDTH;
      return view as unknown as UsageRecordRow;
    },
  };
}

/** The view's prototype: one getter per column. */
const VIEW: object = Object.defineProperties(
  {},
  Object.fromEntries(
    RECORD_COLUMNS.map((column, c) => [
      column,
      {
        get(this: { values: unknown[]; base: number }) {
          return this.values[this.base + c];
        },
      },
    ]),
  ),
);

/** The values of records [from, to) of `columns`. */
export const sliceColumns = (columns: RecordColumns, from: number, to: number): unknown[] =>
  columns.values.slice(from * WIDTH, to * WIDTH);

/** The uid and segment of the `i`-th record (the table's key, with the cluster). */
export function keyAt(columns: RecordColumns, i: number): { uid: string; segment: number } {
  return {
    uid: columns.values[i * WIDTH + UID] as string,
    segment: columns.values[i * WIDTH + SEGMENT] as number,
  };
}
