/**
 * Compaction of the ledger (issue 15: "acknowledged chunks older than a retention window are
 * compacted into daily per-workload totals"): what the desktop has acknowledged is already in
 * its SQLite, so the cluster keeps only the totals — per UTC day, namespace and workload — and
 * the ledger stays bounded however many pods ran (1,000,000 pods are ~1,000 chunks before
 * compaction, and a few objects per day after).
 *
 * A chunk is compacted when it is sealed, fully acknowledged, and every record in it ended
 * before `now − retention`. Its records are added into the totals (a total that already exists
 * from an earlier compaction is added to, so the order of compactions does not matter) and the
 * chunk is removed. A record counts towards the UTC day its `from` lies in; records never span
 * an hour (record.ts), so never a day either.
 *
 * Totals keep quantities (spec × seconds, usage), not money: prices may change, and the bill of
 * each record was computed by the desktop when it synced. Totals are stored one ConfigMap per
 * UTC day (`nodeless-ledger-totals-2026-12-02`, JSON lines), ~300 bytes per workload, so a day
 * holds ~3,000 workloads within the 1 MiB limit.
 *
 * @see ./ledger.ts
 * @see ./record.ts
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { KIB } from '@nodeless/common';
import type { ObjectRef } from '../kinds/kind.ts';
import { chunkAcknowledged, type LedgerChunk, type LedgerCursor } from './ledger.ts';
import { LEDGER_LABEL, LEDGER_NAMESPACE } from './ledger-configmap.ts';
import { toSafeNumber } from './prices.ts';
import type { LedgerRecord } from './record.ts';

export interface DailyTotal {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  namespace: string;
  /** The workload; absent for bare pods (all of a namespace's bare pods are one total). */
  owner?: ObjectRef;
  records: number;
  /** Pods whose life ended that day (final records). */
  podsEnded: number;
  seconds: number;
  /** Σ spec × seconds: millicore-seconds and KiB-seconds billed. */
  specCpuMilliSeconds: number;
  specMemoryKiBSeconds: number;
  /** Σ usage over the records that have it. */
  usageCpuMilliSeconds: number;
  usageMemoryKiBSeconds: number;
  usageCoveredSeconds: number;
  /** Seconds of records whose usage is missing (kept apart: missing is not 0). */
  usageMissingSeconds: number;
}

export const TOTALS_KEY = 'totals.jsonl';

/** UTC day of an epoch second. */
export const utcDay = (epochSeconds: number): string =>
  new Date(epochSeconds * 1000).toISOString().slice(0, 10);

/** The identity of a total: day, namespace, workload. */
export const totalKey = (t: Pick<DailyTotal, 'day' | 'namespace' | 'owner'>): string =>
  [t.day, t.namespace, t.owner?.kind ?? '', t.owner?.name ?? ''].join('\u0000');

const add = (a: number, b: bigint, what: string): number => toSafeNumber(BigInt(a) + b, what);

/** Adds one record into the totals map (in place). */
export function addToTotals(totals: Map<string, DailyTotal>, r: LedgerRecord): void {
  const base = {
    day: utcDay(r.from),
    namespace: r.namespace,
    ...(r.owner ? { owner: { kind: r.owner.kind, name: r.owner.name } } : {}),
  };
  const key = totalKey(base);
  const t = totals.get(key) ?? {
    ...base,
    records: 0,
    podsEnded: 0,
    seconds: 0,
    specCpuMilliSeconds: 0,
    specMemoryKiBSeconds: 0,
    usageCpuMilliSeconds: 0,
    usageMemoryKiBSeconds: 0,
    usageCoveredSeconds: 0,
    usageMissingSeconds: 0,
  };
  const s = BigInt(r.to - r.from);
  t.records += 1;
  t.podsEnded += r.final ? 1 : 0;
  t.seconds += r.to - r.from;
  t.specCpuMilliSeconds = add(t.specCpuMilliSeconds, BigInt(r.spec.cpuMilli) * s, 'total');
  // Specs are multiples of 512 MiB (and overheads of 1 MiB): KiB-seconds are exact.
  const kib = BigInt(Math.ceil(r.spec.memoryBytes / KIB));
  t.specMemoryKiBSeconds = add(t.specMemoryKiBSeconds, kib * s, 'total');
  if (r.usage.state === 'measured') {
    const u = r.usage;
    t.usageCpuMilliSeconds = add(t.usageCpuMilliSeconds, BigInt(u.cpuMilliSeconds), 'total');
    t.usageMemoryKiBSeconds = add(t.usageMemoryKiBSeconds, BigInt(u.memoryKiBSeconds), 'total');
    t.usageCoveredSeconds += u.coveredSeconds;
  } else {
    t.usageMissingSeconds += r.to - r.from;
  }
  totals.set(key, t);
}

export interface CompactResult {
  /** The chunks that stay, ascending by seq. */
  chunks: LedgerChunk[];
  /** Every total, old and new, sorted by day, namespace, workload. */
  totals: DailyTotal[];
  /** Chunks the meter deletes. */
  removed: number[];
  /** Days whose totals changed: the totals ConfigMaps the meter writes. */
  changedDays: string[];
}

/**
 * Folds acknowledged chunks whose records all ended before `nowSeconds − retentionSeconds` into
 * daily per-workload totals. The open tail chunk and anything not acknowledged stay.
 */
export function compactLedger(
  chunks: readonly LedgerChunk[],
  totals: readonly DailyTotal[],
  acked: LedgerCursor,
  nowSeconds: number,
  retentionSeconds: number,
): CompactResult {
  const cutoff = nowSeconds - retentionSeconds;
  const map = new Map(totals.map((t) => [totalKey(t), { ...t }]));
  const keep: LedgerChunk[] = [];
  const removed: number[] = [];
  const changed = new Set<string>();
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    const old = chunk.records.every((r) => r.to <= cutoff);
    if (!chunkAcknowledged(chunk, acked) || !old) {
      keep.push(chunk);
      continue;
    }
    for (const r of chunk.records) {
      addToTotals(map, r);
      changed.add(utcDay(r.from));
    }
    removed.push(chunk.seq);
  }
  const sorted = [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    chunks: keep,
    totals: sorted.map(([, t]) => t),
    removed,
    changedDays: [...changed].sort(),
  };
}

/** The ConfigMap holding one day's totals. */
export function totalsToConfigMap(
  day: string,
  totals: readonly DailyTotal[],
  namespace = LEDGER_NAMESPACE,
): V1ConfigMap {
  const lines = totals.filter((t) => t.day === day).map((t) => `${JSON.stringify(t)}\n`);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `nodeless-ledger-totals-${day}`,
      namespace,
      labels: { [LEDGER_LABEL]: 'totals' },
    },
    data: { [TOTALS_KEY]: lines.join('') },
  };
}
