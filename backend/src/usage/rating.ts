/**
 * Rating: a ledger record's billed seconds and cost at some prices — cluster-runtime's
 * `billRecord` (one half-up rounding per record), memoised. A record's bill depends only on its
 * spec, overhead and billed seconds, and most records are whole hours of a few sizes, so a
 * million records need a few thousand BigInt computations, not a million (the sync and a
 * re-rate after a price change both go through here).
 *
 * @see ../../../cluster-runtime/src/metering/record.ts — billRecord, minimumTopUp
 * @see ../store/migrations/007_usage.ts — why records are rated at sync
 */
import {
  billRecord,
  minimumTopUp,
  type LedgerRecord,
  type Prices,
} from '@nodeless/cluster-runtime';
import type { UsageTables } from '../store/store.ts';
import type { RatingRow, UsageRecordRow } from '../store/usage-records.ts';

type Billable = Pick<LedgerRecord, 'spec' | 'overhead' | 'podStart' | 'from' | 'to' | 'final'>;

export interface Rating {
  billedSeconds: number;
  costMicros: number;
}

/** A rater at `prices`: same answers as billRecord, each distinct bill computed once. */
export function rater(prices: Prices): (record: Billable) => Rating {
  // Keyed by numbers, level by level (no overhead = -1): building a string key per record
  // was most of the rating's time in a million-record sync (bench:metering).
  const memo: Level<Level<Level<Level<Map<number, Rating>>>>> = new Map();
  return (record) => {
    const billed =
      record.to - record.from + minimumTopUp(record as LedgerRecord, prices.minimumSeconds);
    const o = record.overhead;
    const bills = child(
      child(child(child(memo, record.spec.cpuMilli), record.spec.memoryBytes), o?.cpuMilli ?? -1),
      o?.memoryBytes ?? -1,
    );
    let rating = bills.get(billed);
    if (!rating) {
      const bill = billRecord(record as LedgerRecord, prices);
      rating = { billedSeconds: bill.billedSeconds, costMicros: bill.micros };
      bills.set(billed, rating);
    }
    return rating;
  };
}

type Level<V> = Map<number, V>;

/** `m`'s map at `key`, created empty when missing. */
function child<V>(m: Level<Map<number, V>>, key: number): Map<number, V> {
  let c = m.get(key);
  if (!c) {
    c = new Map();
    m.set(key, c);
  }
  return c;
}

/** The stored row of a record, rated. */
export function recordRow(
  clusterId: string,
  r: LedgerRecord,
  rate: (record: Billable) => Rating,
): UsageRecordRow {
  const { billedSeconds, costMicros } = rate(r);
  const measured = r.usage.state === 'measured' ? r.usage : undefined;
  return {
    cluster_id: clusterId,
    uid: r.uid,
    segment: r.segment,
    namespace: r.namespace,
    name: r.name,
    owner_kind: r.owner?.kind ?? '',
    owner_name: r.owner?.name ?? '',
    labels: r.labels && Object.keys(r.labels).length > 0 ? JSON.stringify(r.labels) : null,
    cpu_milli: r.spec.cpuMilli,
    memory_bytes: r.spec.memoryBytes,
    spec_source: r.specSource ?? null,
    runtime_class: r.runtimeClass ?? null,
    overhead_cpu_milli: r.overhead?.cpuMilli ?? null,
    overhead_memory_bytes: r.overhead?.memoryBytes ?? null,
    pod_start: r.podStart,
    start_s: r.from,
    end_s: r.to,
    final: r.final ? 1 : 0,
    usage_cpu_milli_s: measured?.cpuMilliSeconds ?? null,
    usage_memory_kib_s: measured?.memoryKiBSeconds ?? null,
    usage_covered_s: measured?.coveredSeconds ?? null,
    billed_seconds: billedSeconds,
    cost_micros: costMicros,
  };
}

/** A stored row as rating sees it. */
export function billableOf(row: RatingRow): Billable {
  return {
    spec: { cpuMilli: row.cpu_milli, memoryBytes: row.memory_bytes },
    ...(row.overhead_cpu_milli === null || row.overhead_memory_bytes === null
      ? {}
      : { overhead: { cpuMilli: row.overhead_cpu_milli, memoryBytes: row.overhead_memory_bytes } }),
    podStart: row.pod_start,
    from: row.start_s,
    to: row.end_s,
    final: row.final === 1,
  };
}

/** Re-rates every record of a cluster at `prices`, in one transaction (a price change). */
export function rerate(
  tables: Pick<UsageTables, 'records' | 'rollup'>,
  transaction: <T>(fn: () => T) => T,
  clusterId: string,
  prices: Prices,
): number {
  const rate = rater(prices);
  return transaction(() => {
    let n = 0;
    let after: { uid: string; segment: number } | undefined;
    for (;;) {
      const page = tables.records.ratingPage(clusterId, after, 10_000);
      for (const row of page) {
        const r = rate(billableOf(row));
        tables.records.setRating(clusterId, row.uid, row.segment, r.billedSeconds, r.costMicros);
      }
      n += page.length;
      const last = page.at(-1);
      if (!last) {
        tables.rollup.rebuild(clusterId);
        return n;
      }
      after = { uid: last.uid, segment: last.segment };
    }
  });
}
