/** Bill math: exact integers, one rounding, minimum, overhead rule, prices derived from machines. */
import { GIB, MIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { derivePrices, HOURS_PER_MONTH } from './derive-prices.ts';
import {
  billPod,
  costMicros,
  PriceError,
  quantityCostMicros,
  sizeMicrosPerHour,
  type Prices,
} from './prices.ts';

/** Fargate's list prices (us-east-1): $0.04048 per vCPU-hour, $0.004445 per GB-hour. */
const FARGATE: Prices = {
  currency: 'USD',
  nanosPerVcpuHour: 40_480_000,
  nanosPerGibHour: 4_445_000,
  minimumSeconds: 60,
};
const ECI: Prices = { ...FARGATE, minimumSeconds: 0 };
const HALF_BY_ONE = { cpuMilli: 500, memoryBytes: GIB };
const OVERHEAD = { cpuMilli: 250, memoryBytes: 130 * MIB };

describe('costMicros', () => {
  it('an hour of 1 vCPU / 2 GiB is exactly the list price', () => {
    // 40480 + 2 × 4445 micro-dollars.
    expect(costMicros({ cpuMilli: 1000, memoryBytes: 2 * GIB }, 3600, FARGATE)).toBe(49_370);
  });

  it('a 10-second Job on 0.5 vCPU / 1 GiB: exact fraction rounded once, half up', () => {
    // 10 × (0.5 × 40480 + 1 × 4445) / 3600 = 10 × 24685 / 3600 = 68.569… → 69
    expect(costMicros(HALF_BY_ONE, 10, FARGATE)).toBe(69);
    // 1,800 micro per vCPU-hour: 1 vCPU-second is exactly 0.5 micro → 1; a nano less → 0.
    const p: Prices = { ...ECI, nanosPerVcpuHour: 1_800_000, nanosPerGibHour: 0 };
    expect(costMicros({ cpuMilli: 1000, memoryBytes: 0 }, 1, p)).toBe(1);
    const below = { ...p, nanosPerVcpuHour: 1_799_999 };
    expect(costMicros({ cpuMilli: 1000, memoryBytes: 0 }, 1, below)).toBe(0);
  });

  it('sums of records may differ from the rounded total by at most ½ micro per record', () => {
    const each = costMicros(HALF_BY_ONE, 10, FARGATE);
    const whole = costMicros(HALF_BY_ONE, 360, FARGATE);
    expect(whole).toBe(2_469); // 24685 / 10, exact
    expect(Math.abs(each * 36 - whole)).toBeLessThanOrEqual(18);
  });

  it('keeps integers exact for a month of the largest size (BigInt inside)', () => {
    const month = HOURS_PER_MONTH * 3600;
    const micros = costMicros({ cpuMilli: 16_000, memoryBytes: 128 * GIB }, month, FARGATE);
    expect(micros).toBe(730 * (16 * 40_480 + 128 * 4_445));
  });

  it('refuses a fractional or negative price instead of billing it', () => {
    expect(() => costMicros(HALF_BY_ONE, 10, { ...FARGATE, nanosPerVcpuHour: 0.5 })).toThrow(
      PriceError,
    );
    expect(() => costMicros(HALF_BY_ONE, -1, FARGATE)).toThrow(/seconds/);
  });
});

describe('billPod', () => {
  it('minimum 60 s (Fargate) lifts a 10-second pod; 0 (ECI) bills the 10 seconds', () => {
    expect(billPod(HALF_BY_ONE, undefined, 10, true, FARGATE)).toMatchObject({
      seconds: 10,
      billedSeconds: 60,
      micros: costMicros(HALF_BY_ONE, 60, FARGATE),
    });
    expect(billPod(HALF_BY_ONE, undefined, 10, true, ECI).billedSeconds).toBe(10);
  });

  it('a pod whose sandbox never started is billed nothing, minimum or not', () => {
    expect(billPod(HALF_BY_ONE, undefined, 0, false, FARGATE)).toMatchObject({
      billedSeconds: 0,
      micros: 0,
    });
  });

  it('bills the spec, not the sandbox overhead, unless the prices include it', () => {
    const excluded = billPod(HALF_BY_ONE, OVERHEAD, 3600, true, ECI);
    expect(excluded.amount).toEqual(HALF_BY_ONE);
    expect(excluded.micros).toBe(24_685);
    const included = billPod(HALF_BY_ONE, OVERHEAD, 3600, true, { ...ECI, overhead: 'included' });
    expect(included.amount).toEqual({ cpuMilli: 750, memoryBytes: GIB + 130 * MIB });
    // 0.75 × 40480 + (1 + 130/1024) × 4445 = 30360 + 5009.29… → 35369
    expect(included.micros).toBe(35_369);
  });

  it('sizeMicrosPerHour fills the deploy form’s price slot', () => {
    expect(sizeMicrosPerHour({ cpuMilli: 2000, memoryBytes: 4 * GIB }, FARGATE)).toBe(98_740);
  });

  it('quantityCostMicros prices time-multiplied quantities the same way', () => {
    const cost = quantityCostMicros(500n * 3600n, BigInt(GIB) * 3600n, FARGATE);
    expect(cost).toBe(costMicros(HALF_BY_ONE, 3600, FARGATE));
  });
});

describe('derivePrices', () => {
  const machine = {
    monthlyMicros: 146_000_000, // 146.00 a month: 0.2 an hour over 730 h
    allocatable: { cpuMilli: 8000, memoryBytes: 32 * GIB },
  };

  it('recovers the machines’ cost per hour at the target utilisation, split by the ratio', () => {
    // ratio 8 : 1, 8 vCPU, 32 GiB, 100 %: p_gib × (8 × 8 + 32) = 0.2/h → p_gib = 0.2/96
    const p = derivePrices({
      currency: 'EUR',
      machines: [machine],
      targetUtilisationPpm: 1_000_000,
      ratio: { cpu: 8, gib: 1 },
    });
    expect(p.nanosPerGibHour).toBe(Math.round(200_000_000 / 96)); // 2,083,333
    expect(p.nanosPerVcpuHour).toBe(Math.round((8 * 200_000_000) / 96)); // 16,666,667
    // The full pool billed for an hour recovers the hour's cost, to rounding of the prices.
    const hour = costMicros(machine.allocatable, 3600, p);
    expect(Math.abs(hour - 200_000)).toBeLessThanOrEqual(1);
  });

  it('a lower utilisation raises prices in proportion; machines add up', () => {
    const full = derivePrices({ currency: 'EUR', machines: [machine], targetUtilisationPpm: 1e6 });
    const half = derivePrices({
      currency: 'EUR',
      machines: [machine, machine],
      targetUtilisationPpm: 500_000,
    });
    expect(Math.abs(half.nanosPerVcpuHour - 2 * full.nanosPerVcpuHour)).toBeLessThanOrEqual(1);
    expect(half.nanosPerVcpuHour / half.nanosPerGibHour).toBeCloseTo(4048 / 445, 4);
    expect(half).toMatchObject({ currency: 'EUR', minimumSeconds: 0, overhead: 'excluded' });
  });

  it('refuses an empty pool or a zero utilisation', () => {
    expect(() =>
      derivePrices({ currency: 'EUR', machines: [], targetUtilisationPpm: 700_000 }),
    ).toThrow(PriceError);
    expect(() =>
      derivePrices({ currency: 'EUR', machines: [machine], targetUtilisationPpm: 0 }),
    ).toThrow(PriceError);
  });
});
