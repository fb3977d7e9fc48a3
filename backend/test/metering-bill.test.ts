/**
 * The metering acceptance comparison must see every way a bill can differ from the reference:
 * a wrong second, a wrong start or end, a wrong cost or spec, a pod missing, a pod billed twice
 * or billed without having run.
 */
import { describe, expect, it } from 'vitest';
import type { UsageRow, UsageTable } from '../src/usage/contract.ts';
import { compareBill, rowSums } from './metering-bill.ts';
import type { Reference } from './metering-reference.ts';

const prices = { nanosPerVcpuHour: 40_480_000, nanosPerGibHour: 4_445_000 };
const spec = { cpuMilli: 1000, memoryBytes: 2 * 2 ** 30 };
const ref = (uid: string, start: number, end: number): Reference => ({
  settled: true,
  uid,
  namespace: 'team',
  name: `pod-${uid}`,
  start,
  end,
  seconds: end - start,
  spec,
});
const iso = (s: number) => new Date(s * 1000).toISOString();
const row = (r: Reference & { settled: true }, over: Partial<UsageRow> = {}): UsageRow => ({
  key: r.uid,
  namespace: r.namespace,
  pod: { name: r.name, uid: r.uid, start: iso(r.start), end: iso(r.end), spec },
  pods: 1,
  seconds: r.seconds,
  specCpuMilliSeconds: 0,
  specMemoryKiBSeconds: 0,
  // 0.04937 per hour: 1 hour = 49,370 micro-units.
  costMicros: Math.round((r.seconds * 49_370) / 3600),
  efficiency: { state: 'missing' },
  ...over,
});
const table = (rows: UsageRow[]): UsageTable => ({
  currency: 'EUR',
  rows,
  total: {
    ...rowSums({ currency: 'EUR', rows, total: {} as UsageTable['total'] }),
    efficiency: { state: 'missing' },
  },
});

const a = ref('a', 36_000, 39_600) as Reference & { settled: true };
const b = ref('b', 36_000, 36_010) as Reference & { settled: true };
const options = { minimumSeconds: 0, namespaces: ['team'], prices };

describe('compareBill', () => {
  it('finds nothing when the bill is the reference', () => {
    const check = compareBill(table([row(a), row(b)]), [a, b], options);
    expect(check).toMatchObject({ mismatches: [], compared: 2, expectedSeconds: 3610 });
    expect(check.expectedMicros).toBe(49_370 + 137);
  });

  it('names a pod off by one second, a moved start, a wrong cost, a wrong spec', () => {
    const wrong = [
      row(a, { seconds: 3601 }),
      row(b, {
        pod: {
          name: b.name,
          uid: 'b',
          start: iso(35_999),
          end: iso(b.end),
          spec: { ...spec, cpuMilli: 500 },
        },
        costMicros: 138,
      }),
    ];
    const found = compareBill(table(wrong), [a, b], options).mismatches.join('\n');
    expect(found).toContain('billed 3601 s, reference 3600 s');
    expect(found).toContain('start 1970-01-01T09:59:59.000Z, reference 36000');
    expect(found).toContain('cost 138 µ, reference 137 µ');
    expect(found).toContain('"cpuMilli":500');
  });

  it('names a pod not billed, billed twice, billed without a run, or without a reference', () => {
    const stranger = row(ref('c', 36_000, 36_001) as Reference & { settled: true });
    const found = compareBill(
      table([row(a), row(a), stranger]),
      [a, b, { settled: false, uid: 'd', namespace: 'team', name: 'd', why: 'never started' }],
      options,
    ).mismatches;
    expect(found).toEqual(
      expect.arrayContaining([
        'pod a has two rows',
        'team/pod-b (b): not billed (reference 10 s)',
        'team/pod-c: billed but not run by the test',
        'team/d (d): no reference (never started)',
      ]),
    );
  });

  it('ignores rows outside the namespaces it checks', () => {
    const other = {
      ...row(ref('x', 0, 5) as Reference & { settled: true }),
      namespace: 'kube-system',
    };
    expect(compareBill(table([row(a), row(b), other]), [a, b], options).mismatches).toEqual([]);
  });
});
