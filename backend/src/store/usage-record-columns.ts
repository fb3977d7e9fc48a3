/**
 * Records as the sync hands them to `usage_records`: packed by column kind rather than one
 * object per record — integers in a Float64Array (NaN = null; every value is a safe integer,
 * exact in a double) and text as indexes into a table of the batch's distinct strings (-1 =
 * null). Why: the sync builds them in a worker thread (../usage/chunk-worker.ts) while the main
 * thread inserts, and this form crosses threads with its two buffers transferred, not copied,
 * and only a chunk's distinct strings cloned (its namespace, owner, labels and cluster repeat;
 * mostly a thousand UIDs and names are left). Cloning 23,000 loose values per chunk was a third
 * of the worker's time and a fifth of the main thread's (bench:metering). The INSERT's values are
 * written straight from here, slice by slice.
 *
 * @see https://nodejs.org/api/worker_threads.html#portpostmessagevalue-transferlist
 */
import type { UsageRecordRow } from './usage-records.ts';

/** Every column of `usage_records`, in the order the INSERT binds them. */
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

const WIDTH = RECORD_COLUMNS.length;
/** Per column: its slot among the text columns (≥ 0), or −1 − its slot among the integers. */
const SLOT: readonly number[] = (() => {
  let text = 0;
  let number = 0;
  return RECORD_COLUMNS.map((c) => (TEXT_COLUMNS.has(c) ? text++ : -1 - number++));
})();
const TEXT_WIDTH = TEXT_COLUMNS.size;
const NUMBER_WIDTH = WIDTH - TEXT_WIDTH;

/** `count` records, packed. */
export interface PackedRecords {
  count: number;
  numbers: Float64Array<ArrayBuffer>;
  texts: Int32Array<ArrayBuffer>;
  strings: string[];
}

/** Packs rows (the worker's side). */
export function packRecords(rows: readonly UsageRecordRow[]): PackedRecords {
  const numbers = new Float64Array(rows.length * NUMBER_WIDTH);
  const texts = new Int32Array(rows.length * TEXT_WIDTH);
  const strings: string[] = [];
  const index = new Map<string, number>();
  rows.forEach((row, i) => {
    for (let c = 0; c < WIDTH; c++) {
      const v = row[RECORD_COLUMNS[c] as keyof UsageRecordRow];
      const slot = SLOT[c] as number;
      if (slot >= 0) {
        let at = -1;
        if (v !== null && v !== undefined) {
          at = index.get(v as string) ?? -1;
          if (at < 0) {
            at = strings.push(v as string) - 1;
            index.set(v as string, at);
          }
        }
        texts[i * TEXT_WIDTH + slot] = at;
      } else
        numbers[i * NUMBER_WIDTH - 1 - slot] =
          v === null || v === undefined ? Number.NaN : (v as number);
    }
  });
  return { count: rows.length, numbers, texts, strings };
}

/** Column `c` of record `i`. */
function valueAt(p: PackedRecords, i: number, c: number): string | number | null {
  const slot = SLOT[c] as number;
  if (slot >= 0) {
    const at = p.texts[i * TEXT_WIDTH + slot] as number;
    return at < 0 ? null : (p.strings[at] as string);
  }
  const v = p.numbers[i * NUMBER_WIDTH - 1 - slot] as number;
  return Number.isNaN(v) ? null : v;
}

/** Writes record `i`'s values, in {@link RECORD_COLUMNS} order, into `out` from `at`. */
export function writeValues(p: PackedRecords, i: number, out: unknown[], at: number): void {
  for (let c = 0; c < WIDTH; c++) out[at + c] = valueAt(p, i, c);
}

/** Record `i` as a row object. */
export function rowAt(p: PackedRecords, i: number): UsageRecordRow {
  const row: Record<string, unknown> = {};
  for (let c = 0; c < WIDTH; c++) row[RECORD_COLUMNS[c] as string] = valueAt(p, i, c);
  return row as unknown as UsageRecordRow;
}

/**
 * A row view that moves over the records (`at(i)`), reading each field in place: the rollup
 * reads a dozen fields of every new record, and a 23-property object per record for that was a
 * tenth of the sync's main thread. Read what you need before the next `at`.
 */
export function recordView(p: PackedRecords): { at(i: number): UsageRecordRow } {
  const view = Object.create(VIEW) as { p: PackedRecords; i: number };
  view.p = p;
  return {
    at(i) {
      view.i = i;
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
        get(this: { p: PackedRecords; i: number }) {
          return valueAt(this.p, this.i, c);
        },
      },
    ]),
  ),
);

/** The column count of a record's values (the INSERT binds this many per record). */
export const RECORD_WIDTH = WIDTH;
