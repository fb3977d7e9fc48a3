/**
 * Ledger records: a pod's life cut into **hourly segments** (UTC hours), one record per pod and
 * hour it lived in. Why segments rather than one record per pod:
 * - a pod that runs for weeks shows on the bill (and in "cost over time") hour by hour, not
 *   only once it ends;
 * - the segment number is the hour's index since the epoch, so the same life always yields the
 *   same (uid, segment) keys: a meter that restarts and writes an hour again writes the same key,
 *   and the desktop's upsert by key bills nothing twice;
 * - idle capacity "per hour" and daily compaction need no splitting of a record later.
 *
 * A running pod yields its complete hours only; the hour it is in is written once it ends (or
 * the hour closes). The last segment of an ended pod is `final`; it carries the pod's start, so
 * the minimum billed duration (Fargate's 60 s) is applied to the pod's whole life from that one
 * record: top-up = max(0, minimum − (final.to − podStart)), billed on the final segment.
 *
 * @see ./pod-life.ts
 * @see ./prices.ts
 */
import type { PodSize, ResourceAmount } from '@nodeless/common';
import type { ObjectRef } from '../kinds/kind.ts';
import type { PodLife, SpecSource } from './pod-life.ts';
import { billedAmount, costMicros, type Prices } from './prices.ts';
import { foldUsage, USAGE_MISSING, type Usage, type UsageSample } from './usage.ts';

export const SEGMENT_SECONDS = 3600;

export interface LedgerRecord {
  uid: string;
  /** UTC hour index since the epoch (⌊from / 3600⌋): with uid, the record's identity. */
  segment: number;
  namespace: string;
  name: string;
  owner?: ObjectRef;
  labels?: Readonly<Record<string, string>>;
  spec: PodSize;
  specSource?: SpecSource;
  runtimeClass?: string;
  overhead?: ResourceAmount;
  /** When the pod started (epoch seconds), on every segment. */
  podStart: number;
  /** The stretch billed, [from, to) in epoch seconds, within one UTC hour. */
  from: number;
  to: number;
  /** The pod ended at `to`: the minimum billed duration is settled on this record. */
  final: boolean;
  usage: Usage;
}

/** The identity a sync upserts by: the same pod and hour is one record however often written. */
export const recordKey = (r: Pick<LedgerRecord, 'uid' | 'segment'>): string =>
  `${r.uid}/${r.segment}`;

/**
 * The records of a life that are settled at `nowSeconds`: every complete UTC hour, plus the last
 * partial hour once the pod ended. Nothing for a pod whose sandbox never came up.
 *
 * `writtenThrough` (epoch seconds) is the meter's watermark: every record ending at or before it
 * is already in the ledger — or compacted out of it, where `append`'s duplicate check can no
 * longer see it. A restarted meter passes the watermark it stored with its last append, so a pod
 * that has run for a month does not re-emit 720 hours of which the compacted ones would be
 * counted again.
 */
export function segmentsOf(
  life: PodLife,
  nowSeconds: number,
  samples: readonly UsageSample[] = [],
  writtenThrough = Number.NEGATIVE_INFINITY,
): LedgerRecord[] {
  if (life.start === undefined) return [];
  const start = life.start;
  const end = life.end;
  const make = (from: number, to: number): LedgerRecord => ({
    uid: life.uid,
    segment: Math.floor(from / SEGMENT_SECONDS),
    namespace: life.namespace,
    name: life.name,
    ...(life.owner ? { owner: life.owner } : {}),
    ...(Object.keys(life.labels).length > 0 ? { labels: life.labels } : {}),
    spec: life.spec,
    specSource: life.specSource,
    ...(life.runtimeClass ? { runtimeClass: life.runtimeClass } : {}),
    ...(life.overhead ? { overhead: life.overhead } : {}),
    podStart: start,
    from,
    to,
    final: end !== undefined && to === end,
    usage: samples.length > 0 ? foldUsage(samples, from, to) : USAGE_MISSING,
  });
  // A pod that ended the second it started: one empty final record (the minimum still applies).
  if (end !== undefined && end <= start) {
    return start > writtenThrough ? [make(start, start)] : [];
  }
  const settledTo = end ?? Math.floor(nowSeconds / SEGMENT_SECONDS) * SEGMENT_SECONDS;
  const out: LedgerRecord[] = [];
  for (let from = start; from < settledTo;) {
    const to = Math.min((Math.floor(from / SEGMENT_SECONDS) + 1) * SEGMENT_SECONDS, settledTo);
    if (to > writtenThrough) out.push(make(from, to));
    from = to;
  }
  return out;
}

/** The bill of one record. */
export interface RecordBill {
  /** Seconds the record covers. */
  seconds: number;
  /** Seconds billed: the record's, plus the minimum's top-up on a final record. */
  billedSeconds: number;
  micros: number;
}

/** Seconds of the minimum still owed when this final record closes the pod's life. */
export function minimumTopUp(record: LedgerRecord, minimumSeconds: number): number {
  if (!record.final) return 0;
  return Math.max(0, minimumSeconds - (record.to - record.podStart));
}

/** Bill of one record at `prices` (one rounding, half up; see prices.ts). */
export function billRecord(record: LedgerRecord, prices: Prices): RecordBill {
  const seconds = record.to - record.from;
  const billed = seconds + minimumTopUp(record, prices.minimumSeconds);
  const amount = billedAmount(record.spec, record.overhead, prices);
  return { seconds, billedSeconds: billed, micros: costMicros(amount, billed, prices) };
}
