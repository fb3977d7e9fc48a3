/** The bill in words and CSV: exact money text, durations, the CLI's pod CSV. */
import { GIB, MIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import { billLine, formatDuration, podBills, podCsvRow, POD_CSV_HEADER } from './format.ts';
import type { Prices } from './prices.ts';
import type { LedgerRecord } from './record.ts';

const PRICES: Prices = {
  currency: 'USD',
  nanosPerVcpuHour: 40_480_000,
  nanosPerGibHour: 4_445_000,
  minimumSeconds: 60,
};
const T = 1_764_669_600; // 2025-12-02T10:00:00Z

const rec = (uid: string, from: number, to: number, final: boolean): LedgerRecord => ({
  uid,
  segment: Math.floor(from / 3600),
  namespace: 'team-a',
  name: `pod-${uid}`,
  spec: { cpuMilli: 500, memoryBytes: GIB },
  podStart: T - 1800,
  from,
  to,
  final,
  usage: { state: 'missing' },
});

describe('words', () => {
  it('durations and the pod details’ line', () => {
    expect(formatDuration(11_525)).toBe('3 h 12 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(0)).toBe('0 s');
    expect(billLine({ cpuMilli: 500, memoryBytes: GIB }, 11_525, 420_000)).toBe(
      'billed 0.5 vCPU / 1 GiB for 3 h 12 min 5 s = 0.420000',
    );
  });
});

describe('podBills and CSV', () => {
  it('sums a pod’s hourly records; the total is the sum of the rows', () => {
    const records = [
      rec('b', T, T + 10, true),
      rec('a', T - 1800, T, false),
      rec('a', T, T + 5, true),
    ];
    const rows = podBills(records, PRICES);
    expect(rows.map((r) => [r.uid, r.start, r.end, r.seconds, r.billedSeconds, r.ended])).toEqual([
      ['a', T - 1800, T + 5, 1805, 1805, true],
      ['b', T, T + 10, 10, 10, true], // podStart long before: no top-up
    ]);
    const perRecord = records.map((r) => podBills([r], PRICES)[0]?.micros ?? 0);
    expect(rows.reduce((s, r) => s + r.micros, 0)).toBe(perRecord.reduce((s, m) => s + m, 0));
  });

  it('writes the exact header; the real end, the billed seconds (minimum), six-decimal cost', () => {
    expect(POD_CSV_HEADER).toBe('namespace,pod,uid,start,end,seconds,vcpu,memory_gib,cost');
    const [row] = podBills([{ ...rec('u1', T, T + 10, true), podStart: T }], PRICES);
    expect(row && podCsvRow(row)).toBe(
      'team-a,pod-u1,u1,2025-12-02T10:00:00Z,2025-12-02T10:00:10Z,60,0.5,1,0.000411',
    );
  });

  it('quotes fields that need it and writes odd sizes as decimals', () => {
    const [row] = podBills(
      [
        {
          ...rec('x', T, T + 3600, true),
          name: 'a,"b"',
          spec: { cpuMilli: 250, memoryBytes: 130 * MIB },
        },
      ],
      PRICES,
    );
    expect(row && podCsvRow(row)).toContain('team-a,"a,""b""",x,');
    expect(row && podCsvRow(row)).toContain(',3600,0.25,0.126953,');
  });
});
