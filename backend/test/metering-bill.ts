/**
 * The metering acceptance tests' comparison of the backend's bill (`usage.table`) with the
 * reference (metering-reference.ts): every pod billed exactly its reference seconds with its
 * reference start and end, no pod billed that the test did not run, and the totals equal the
 * sums. Returns the differences as sentences, so one failing assertion names every wrong pod.
 */
import type { UsageRow, UsageTable } from '../src/usage/contract.ts';
import {
  referenceCostMicros,
  type Reference,
  type ReferenceBill,
  type ReferencePrices,
} from './metering-reference.ts';

export interface BillCheck {
  /** One line per difference; empty when the bill is the reference. */
  mismatches: string[];
  /** The settled references the bill was compared with. */
  compared: number;
  /** Σ reference seconds (the minimum applied). */
  expectedSeconds: number;
  /** Σ reference cost (micro-units); 0 without prices. */
  expectedMicros: number;
}

/** Seconds the reference says are billed: the life, topped up to the minimum. */
export const expectedSeconds = (r: ReferenceBill, minimumSeconds: number): number =>
  Math.max(r.seconds, minimumSeconds);

const seconds = (rfc3339: string | undefined): number | undefined =>
  rfc3339 === undefined ? undefined : Math.floor(Date.parse(rfc3339) / 1000);

/**
 * Compares a `by: 'pod'` table with the references of the pods the test ran. Rows of other
 * pods (outside `namespaces`) are ignored; rows inside them must all be the test's.
 */
export function compareBill(
  table: UsageTable,
  references: readonly Reference[],
  options: {
    minimumSeconds: number;
    namespaces: readonly string[];
    /** With prices, each pod's spec and cost are compared too (the minimum must then be 0). */
    prices?: ReferencePrices;
  },
): BillCheck {
  const mismatches: string[] = [];
  const inScope = new Set(options.namespaces);
  const rows = new Map<string, UsageRow>();
  for (const row of table.rows) {
    if (!inScope.has(row.namespace)) continue;
    const uid = row.pod?.uid ?? row.key;
    if (rows.has(uid)) mismatches.push(`pod ${uid} has two rows`);
    rows.set(uid, row);
  }
  let compared = 0;
  let expected = 0;
  let expectedMicros = 0;
  const known = new Set<string>();
  for (const ref of references) {
    known.add(ref.uid);
    const where = `${ref.namespace}/${ref.name} (${ref.uid})`;
    if (!ref.settled) {
      mismatches.push(`${where}: no reference (${ref.why})`);
      continue;
    }
    compared += 1;
    const want = expectedSeconds(ref, options.minimumSeconds);
    expected += want;
    const row = rows.get(ref.uid);
    if (!row) {
      mismatches.push(`${where}: not billed (reference ${want} s)`);
      continue;
    }
    if (row.seconds !== want)
      mismatches.push(`${where}: billed ${row.seconds} s, reference ${want} s`);
    const start = seconds(row.pod?.start);
    const end = seconds(row.pod?.end);
    if (start !== ref.start)
      mismatches.push(`${where}: start ${row.pod?.start}, reference ${ref.start}`);
    if (options.prices) {
      const cost = referenceCostMicros(ref, options.prices);
      expectedMicros += cost;
      if (row.costMicros !== cost)
        mismatches.push(`${where}: cost ${row.costMicros} µ, reference ${cost} µ`);
      const spec = row.pod?.spec;
      if (spec?.cpuMilli !== ref.spec.cpuMilli || spec.memoryBytes !== ref.spec.memoryBytes)
        mismatches.push(
          `${where}: spec ${JSON.stringify(spec)}, requested ${JSON.stringify(ref.spec)}`,
        );
    }
    if (end !== ref.end)
      mismatches.push(`${where}: end ${String(row.pod?.end)}, reference ${ref.end}`);
  }
  for (const [uid, row] of rows)
    if (!known.has(uid))
      mismatches.push(`${row.namespace}/${row.pod?.name ?? uid}: billed but not run by the test`);
  return { mismatches, compared, expectedSeconds: expected, expectedMicros };
}

/** Σ of a table's rows, as its `total` must be. */
export function rowSums(table: UsageTable): { pods: number; seconds: number; costMicros: number } {
  return table.rows.reduce(
    (sum, r) => ({
      pods: sum.pods + r.pods,
      seconds: sum.seconds + r.seconds,
      costMicros: sum.costMicros + r.costMicros,
    }),
    { pods: 0, seconds: 0, costMicros: 0 },
  );
}
