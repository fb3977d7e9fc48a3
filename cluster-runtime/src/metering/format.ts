/**
 * The bill in words and in CSV, one mechanism for the UI's pod line ("billed 0.5 vCPU / 1 GiB
 * for 3 h 12 min 5 s = 0.420000"), the Usage tables and the CLI's `usage --by pod --csv`, so the
 * screen and the file show the same numbers. Money is formatted from integer micro-units by
 * string arithmetic — never through a float — with six decimals as the CSV contract says.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3339 — times in UTC, `Z`
 * @see https://www.rfc-editor.org/rfc/rfc4180 — CSV quoting
 */
import {
  describeSize,
  formatDuration,
  formatMicros,
  GIB,
  rfc3339,
  type PodSize,
} from '@nodeless/common';
import { billRecord, type LedgerRecord } from './record.ts';
import type { Prices } from './prices.ts';

// Money and durations as text moved to common (the Usage screens format the same way); they
// stay exported from here so the metering API is unchanged.
export { formatDuration, formatMicros } from '@nodeless/common';

/** The pod details' line: what was billed, for how long, for how much. */
export function billLine(spec: PodSize, billedSeconds: number, micros: number): string {
  return `billed ${describeSize(spec)} for ${formatDuration(billedSeconds)} = ${formatMicros(micros)}`;
}

/** One pod's bill over its records (any subset of its hours, e.g. a date range). */
export interface PodBillRow {
  uid: string;
  namespace: string;
  name: string;
  owner?: LedgerRecord['owner'];
  spec: PodSize;
  /** Epoch seconds: earliest `from`, latest `to` of the records. */
  start: number;
  end: number;
  /** Ended within the records (a final record is among them). */
  ended: boolean;
  seconds: number;
  /** Seconds billed: with the minimum's top-up when the final record is among them. */
  billedSeconds: number;
  micros: number;
}

/** Per-pod bills from records (any order), ordered by namespace, name, uid. */
export function podBills(records: readonly LedgerRecord[], prices: Prices): PodBillRow[] {
  const rows = new Map<string, PodBillRow>();
  for (const r of records) {
    const bill = billRecord(r, prices);
    const row = rows.get(r.uid);
    if (!row) {
      rows.set(r.uid, {
        uid: r.uid,
        namespace: r.namespace,
        name: r.name,
        ...(r.owner ? { owner: r.owner } : {}),
        spec: r.spec,
        start: r.from,
        end: r.to,
        ended: r.final,
        seconds: bill.seconds,
        billedSeconds: bill.billedSeconds,
        micros: bill.micros,
      });
      continue;
    }
    row.start = Math.min(row.start, r.from);
    row.end = Math.max(row.end, r.to);
    row.ended ||= r.final;
    row.seconds += bill.seconds;
    row.billedSeconds += bill.billedSeconds;
    row.micros += bill.micros;
  }
  const key = (r: PodBillRow) => `${r.namespace}\u0000${r.name}\u0000${r.uid}`;
  return [...rows.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The CLI's `usage --by pod --csv` header, exactly as issue 15 specifies it. */
export const POD_CSV_HEADER = 'namespace,pod,uid,start,end,seconds,vcpu,memory_gib,cost';

/** `numerator / denominator` as a decimal with up to `max` decimals, trailing zeros dropped. */
function decimal(numerator: number, denominator: number, max: number): string {
  const scale = 10n ** BigInt(max);
  const scaled =
    (BigInt(numerator) * scale * 2n + BigInt(denominator)) / (2n * BigInt(denominator));
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(max, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** RFC 4180: quote a field holding a comma, quote or line break. */
const csvField = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/**
 * One CSV line (no newline) under {@link POD_CSV_HEADER}: seconds are the billed seconds (so
 * seconds × rate = cost), vCPU and GiB as decimals, cost with six decimals.
 */
export function podCsvRow(row: PodBillRow): string {
  return [
    csvField(row.namespace),
    csvField(row.name),
    csvField(row.uid),
    rfc3339(row.start),
    rfc3339(row.end),
    String(row.billedSeconds),
    decimal(row.spec.cpuMilli, 1000, 3),
    decimal(row.spec.memoryBytes, GIB, 6),
    formatMicros(row.micros),
  ].join(',');
}
