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

/** Columns holding text (or null); every other column holds an integer (or null). */
const TEXT_COLUMNS: ReadonlySet<string> = new Set([
  'cluster_id',
  'uid',
  'namespace',
  'name',
  'owner_kind',
  'owner_name',
  'labels',
  'spec_source',
  'runtime_class',
]);
const IS_TEXT = RECORD_COLUMNS.map((c) => TEXT_COLUMNS.has(c));
const TEXT_WIDTH = IS_TEXT.filter(Boolean).length;
const NUMBER_WIDTH = WIDTH - TEXT_WIDTH;

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

/**
 * Records packed to cross a thread: integers in a Float64Array (NaN = null; every value is a
 * safe integer, exact in a double) and text as indexes into a table of distinct strings (-1 =
 * null), both buffers transferred, not copied. A record's namespace, owner, labels and cluster
 * repeat across a chunk, so a chunk's strings are mostly a thousand UIDs and names: cloning
 * 23,000 values per chunk was a third of the worker's time and a fifth of the main thread's.
 */
export interface PackedColumns {
  count: number;
  numbers: Float64Array<ArrayBuffer>;
  texts: Int32Array<ArrayBuffer>;
  strings: string[];
}

export function packColumns(columns: RecordColumns): PackedColumns {
  const numbers = new Float64Array(columns.count * NUMBER_WIDTH);
  const texts = new Int32Array(columns.count * TEXT_WIDTH);
  const strings: string[] = [];
  const index = new Map<string, number>();
  let n = 0;
  let t = 0;
  const values = columns.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (IS_TEXT[i % WIDTH]) {
      if (v === null || v === undefined) texts[t++] = -1;
      else {
        let at = index.get(v as string);
        if (at === undefined) {
          at = strings.push(v as string) - 1;
          index.set(v as string, at);
        }
        texts[t++] = at;
      }
    } else numbers[n++] = v === null || v === undefined ? Number.NaN : (v as number);
  }
  return { count: columns.count, numbers, texts, strings };
}

export function unpackColumns(packed: PackedColumns): RecordColumns {
  const values = new Array<unknown>(packed.count * WIDTH);
  const { numbers, texts, strings } = packed;
  let n = 0;
  let t = 0;
  for (let i = 0; i < values.length; i++) {
    if (IS_TEXT[i % WIDTH]) {
      const at = texts[t++] as number;
      values[i] = at < 0 ? null : strings[at];
    } else {
      const v = numbers[n++] as number;
      values[i] = Number.isNaN(v) ? null : v;
    }
  }
  return { count: packed.count, values };
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
