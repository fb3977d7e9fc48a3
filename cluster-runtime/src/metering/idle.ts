/**
 * Idle capacity per hour (issue 15: "Idle = pool capacity − billed specs, per hour"): what the
 * machines offered during a UTC hour that no pod paid for. The sandbox overhead is neither billed
 * (prices.ts bills the spec, as ECI and Fargate do) nor idle — the machines really spend it on
 * microVMs — so it is its own line and the hour adds up: capacity = billed + overhead + idle.
 * When the prices include the overhead it is part of "billed" instead.
 *
 * Idle is clamped at 0 per resource, and `overcommitted` says so, for an hour in which pods ran
 * on more than the capacity the caller states (a machine removed mid-hour, a stale capacity).
 * Quantities are millicore-seconds and KiB-seconds, as usage and totals count them.
 *
 * @see ../pool/pool.ts — capacity (allocatable of Ready, schedulable machines)
 * @see ./record.ts — records never span an hour, so each falls in exactly one
 */
import { KIB, type ResourceAmount } from '@nodeless/common';
import { quantityCostMicros, type Prices } from './prices.ts';
import { SEGMENT_SECONDS, type LedgerRecord } from './record.ts';

export interface HourAmounts {
  cpuMilliSeconds: number;
  memoryKiBSeconds: number;
}

export interface HourIdle {
  /** UTC hour index since the epoch (the records' `segment`). */
  hour: number;
  capacity: HourAmounts;
  billed: HourAmounts;
  overhead: HourAmounts;
  idle: HourAmounts;
  overcommitted: boolean;
  /** What the idle capacity would have been billed, when prices are given. */
  idleMicros?: number;
}

interface Acc {
  cpu: bigint;
  memKiB: bigint;
}

const kib = (bytes: number): bigint => BigInt(Math.floor(bytes / KIB));
const num = (a: Acc): HourAmounts => ({
  cpuMilliSeconds: Number(a.cpu),
  memoryKiBSeconds: Number(a.memKiB),
});

/**
 * Idle capacity of each hour in `capacity` (hour index → what the pool offered during it).
 * Records of hours not listed are ignored.
 */
export function idlePerHour(
  records: readonly LedgerRecord[],
  capacity: ReadonlyMap<number, ResourceAmount>,
  prices?: Prices,
): HourIdle[] {
  const includeOverhead = prices?.overhead === 'included';
  const billed = new Map<number, Acc>();
  const overhead = new Map<number, Acc>();
  const bump = (map: Map<number, Acc>, hour: number, amount: ResourceAmount, s: bigint) => {
    const acc = map.get(hour) ?? { cpu: 0n, memKiB: 0n };
    acc.cpu += BigInt(amount.cpuMilli) * s;
    acc.memKiB += kib(amount.memoryBytes) * s;
    map.set(hour, acc);
  };
  for (const r of records) {
    const hour = Math.floor(r.from / SEGMENT_SECONDS);
    if (!capacity.has(hour)) continue;
    const s = BigInt(r.to - r.from);
    bump(billed, hour, r.spec, s);
    if (r.overhead) bump(includeOverhead ? billed : overhead, hour, r.overhead, s);
  }
  const out: HourIdle[] = [];
  const hourS = BigInt(SEGMENT_SECONDS);
  for (const [hour, cap] of [...capacity.entries()].sort(([a], [b]) => a - b)) {
    const c: Acc = { cpu: BigInt(cap.cpuMilli) * hourS, memKiB: kib(cap.memoryBytes) * hourS };
    const b = billed.get(hour) ?? { cpu: 0n, memKiB: 0n };
    const o = overhead.get(hour) ?? { cpu: 0n, memKiB: 0n };
    const rawCpu = c.cpu - b.cpu - o.cpu;
    const rawMem = c.memKiB - b.memKiB - o.memKiB;
    const idle: Acc = { cpu: rawCpu > 0n ? rawCpu : 0n, memKiB: rawMem > 0n ? rawMem : 0n };
    out.push({
      hour,
      capacity: num(c),
      billed: num(b),
      overhead: num(o),
      idle: num(idle),
      overcommitted: rawCpu < 0n || rawMem < 0n,
      ...(prices
        ? { idleMicros: quantityCostMicros(idle.cpu, idle.memKiB * BigInt(KIB), prices) }
        : {}),
    });
  }
  return out;
}
