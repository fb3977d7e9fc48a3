/** Hourly records of a life, the minimum settled on the final record, idle per hour. */
import { GIB, MIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { idlePerHour } from './idle.ts';
import type { PodLife } from './pod-life.ts';
import type { Prices } from './prices.ts';
import { billRecord, recordKey, segmentsOf, type LedgerRecord } from './record.ts';

const H = 490_000; // an hour index; H × 3600 is the start of a UTC hour
const hour = (h: number, s = 0): number => h * 3600 + s;
const PRICES: Prices = {
  currency: 'USD',
  nanosPerVcpuHour: 40_480_000,
  nanosPerGibHour: 4_445_000,
  minimumSeconds: 60,
};

function life(start: number | undefined, end?: number): PodLife {
  return {
    uid: 'u-1',
    namespace: 'team-a',
    name: 'p',
    owner: { kind: 'Job', name: 'j' },
    labels: { app: 'x' },
    spec: { cpuMilli: 500, memoryBytes: GIB },
    specSource: 'label',
    runtimeClass: 'kata-clh',
    overhead: { cpuMilli: 250, memoryBytes: 130 * MIB },
    ...(start === undefined ? {} : { start, startSource: 'sandbox' as const }),
    ...(end === undefined ? {} : { end, endSource: 'containers' as const }),
  };
}

const billed = (records: LedgerRecord[], prices = PRICES) =>
  records.reduce(
    (sum, r) => {
      const b = billRecord(r, prices);
      return { seconds: sum.seconds + b.billedSeconds, micros: sum.micros + b.micros };
    },
    { seconds: 0, micros: 0 },
  );

describe('segmentsOf', () => {
  it('a 10-second Job is one final record of exactly 10 s', () => {
    const records = segmentsOf(life(hour(H, 100), hour(H, 110)), hour(H + 5));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      segment: H,
      from: hour(H, 100),
      to: hour(H, 110),
      final: true,
      podStart: hour(H, 100),
      usage: { state: 'missing' },
    });
    expect(billed(records, { ...PRICES, minimumSeconds: 0 }).seconds).toBe(10);
  });

  it('the minimum is settled once, on the final record, across an hour boundary', () => {
    const records = segmentsOf(life(hour(H, 3580), hour(H + 1, 10)), hour(H + 5));
    expect(records.map((r) => [r.segment, r.to - r.from, r.final])).toEqual([
      [H, 20, false],
      [H + 1, 10, true],
    ]);
    expect(billed(records).seconds).toBe(60);
    expect(billed(records, { ...PRICES, minimumSeconds: 0 }).seconds).toBe(30);
  });

  it('a running pod yields its complete hours only, and the same keys every time', () => {
    const running = life(hour(H, 1800));
    const early = segmentsOf(running, hour(H + 2, 5));
    expect(early.map((r) => [r.from, r.to, r.final])).toEqual([
      [hour(H, 1800), hour(H + 1), false],
      [hour(H + 1), hour(H + 2), false],
    ]);
    const ended = segmentsOf(life(hour(H, 1800), hour(H + 2, 30)), hour(H + 9));
    expect(ended.slice(0, 2)).toEqual(early);
    expect(ended.map(recordKey)).toEqual([`u-1/${H}`, `u-1/${H + 1}`, `u-1/${H + 2}`]);
    expect(ended[2]).toMatchObject({ to: hour(H + 2, 30), final: true });
  });

  it('skips what the watermark says is written (compacted hours cannot be re-counted)', () => {
    const month = life(hour(H - 720, 0));
    expect(segmentsOf(month, hour(H, 10))).toHaveLength(720);
    const rest = segmentsOf(month, hour(H + 2, 10), [], hour(H));
    expect(rest.map((r) => r.segment)).toEqual([H, H + 1]);
    expect(segmentsOf(life(hour(H, 5), hour(H, 5)), hour(H + 1), [], hour(H, 5))).toEqual([]);
  });

  it('a pod that never started yields nothing; one that ended as it started yields 0 s + minimum', () => {
    expect(segmentsOf(life(undefined), hour(H + 1))).toEqual([]);
    const instant = segmentsOf(life(hour(H, 5), hour(H, 5)), hour(H + 1));
    expect(instant).toHaveLength(1);
    expect(billed(instant).seconds).toBe(60);
  });

  it('folds usage samples into each record it covers', () => {
    const sample = {
      endMs: hour(H, 110) * 1000,
      windowMs: 10_000,
      cpuNanocores: 250_000_000,
      memoryBytes: 512 * MIB,
    };
    const [r] = segmentsOf(life(hour(H, 100), hour(H, 110)), hour(H + 1), [sample]);
    expect(r?.usage).toEqual({
      state: 'measured',
      cpuMilliSeconds: 2500,
      memoryKiBSeconds: 512 * 1024 * 10,
      coveredSeconds: 10,
    });
  });
});

describe('idlePerHour', () => {
  it('capacity = billed + overhead + idle, per hour', () => {
    const records = segmentsOf(life(hour(H, 0), hour(H + 1, 1800)), hour(H + 5));
    const capacity = new Map([
      [H, { cpuMilli: 1000, memoryBytes: 2 * GIB }],
      [H + 1, { cpuMilli: 1000, memoryBytes: 2 * GIB }],
    ]);
    const [first, second] = idlePerHour(records, capacity, { ...PRICES, minimumSeconds: 0 });
    expect(first).toMatchObject({
      hour: H,
      capacity: { cpuMilliSeconds: 3_600_000, memoryKiBSeconds: 2 * 1024 * 1024 * 3600 },
      billed: { cpuMilliSeconds: 1_800_000, memoryKiBSeconds: 1024 * 1024 * 3600 },
      overhead: { cpuMilliSeconds: 900_000, memoryKiBSeconds: 130 * 1024 * 3600 },
      idle: { cpuMilliSeconds: 900_000, memoryKiBSeconds: (1024 - 130) * 1024 * 3600 },
      overcommitted: false,
    });
    // 0.25 vCPU × 40480 + (894/1024) GiB × 4445 = 10120 + 3880.6… → 14001 micro-dollars.
    expect(first?.idleMicros).toBe(14_001);
    expect(second?.billed.cpuMilliSeconds).toBe(900_000);
  });

  it('clamps at 0 and says overcommitted when pods exceed the stated capacity', () => {
    const records = segmentsOf(life(hour(H, 0), hour(H + 1)), hour(H + 5));
    const [h] = idlePerHour(records, new Map([[H, { cpuMilli: 500, memoryBytes: GIB }]]));
    expect(h).toMatchObject({ idle: { cpuMilliSeconds: 0, memoryKiBSeconds: 0 } });
    expect(h?.overcommitted).toBe(true);
    expect(h?.idleMicros).toBeUndefined();
  });
});
