/**
 * Idle capacity per hour (issue 15 "Idle"): the sampled capacity of each hour minus what was
 * billed and the sandboxes' overhead, priced. Split from ./bill.ts because it answers from other
 * tables (capacity samples and per-hour spec sums) and from cluster-runtime's idlePerHour, not
 * from the bill's group sums — the two change for different reasons.
 *
 * @see ../../../cluster-runtime/src/metering/idle.ts — idlePerHour()
 * @see ./contract.ts — UsageIdle (what is left out)
 */
import {
  idlePerHour,
  SEGMENT_SECONDS,
  type LedgerRecord,
  type Prices,
} from '@nodeless/cluster-runtime';
import { KIB, type ResourceAmount } from '@nodeless/common';
import type { UsageTables } from '../store/store.ts';
import type { UsageIdle } from './contract.ts';
import { HOUR_SECONDS, type Range } from './range.ts';

/** Idle per hour over the sampled hours of the range (see the contract for what is left out). */
export function usageIdle(
  tables: UsageTables,
  clusterId: string,
  range: Range,
  prices: Prices,
  nowSeconds: number,
): UsageIdle {
  const fromHour = Math.floor(range.from / HOUR_SECONDS);
  const toHour = Math.ceil(Math.min(range.to, nowSeconds) / HOUR_SECONDS);
  const capacity = new Map<number, ResourceAmount>(
    tables.capacity
      .range(clusterId, fromHour, toHour)
      .map((c) => [c.hour, { cpuMilli: c.cpu_milli, memoryBytes: c.memory_bytes }]),
  );
  // One aggregate record per hour (spec = Σ spec × seconds over one second) feeds
  // cluster-runtime's idlePerHour exactly: it multiplies by the record's seconds (1) and takes
  // KiB of bytes that are whole KiB.
  const records: LedgerRecord[] = [];
  const filter = { clusterId, from: fromHour * HOUR_SECONDS, to: toHour * HOUR_SECONDS };
  for (const h of tables.records.hours(filter)) {
    const from = h.hour * SEGMENT_SECONDS;
    records.push({
      uid: `hour-${h.hour}`,
      segment: h.hour,
      namespace: '',
      name: '',
      spec: { cpuMilli: h.cpu_milli_s, memoryBytes: h.memory_kib_s * KIB },
      overhead: { cpuMilli: h.overhead_cpu_milli_s, memoryBytes: h.overhead_memory_kib_s * KIB },
      podStart: from,
      from,
      to: from + 1,
      final: false,
      usage: { state: 'missing' },
    });
  }
  const hours = idlePerHour(records, capacity, prices).map((h) => ({
    hour: h.hour * HOUR_SECONDS,
    capacity: h.capacity,
    billed: h.billed,
    overhead: h.overhead,
    idle: h.idle,
    idleMicros: h.idleMicros ?? 0,
    overcommitted: h.overcommitted,
  }));
  const zero = () => ({ cpuMilliSeconds: 0, memoryKiBSeconds: 0 });
  const total = { capacity: zero(), billed: zero(), overhead: zero(), idle: zero(), idleMicros: 0 };
  for (const h of hours) {
    for (const k of ['capacity', 'billed', 'overhead', 'idle'] as const) {
      total[k].cpuMilliSeconds += h[k].cpuMilliSeconds;
      total[k].memoryKiBSeconds += h[k].memoryKiBSeconds;
    }
    total.idleMicros += h.idleMicros;
  }
  return {
    currency: prices.currency,
    hours,
    total,
    hoursWithoutCapacity: Math.max(0, toHour - fromHour - hours.length),
  };
}
