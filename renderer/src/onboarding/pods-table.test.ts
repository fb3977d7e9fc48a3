import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';
import { formatSize, podsCsv, podsSummary, type PodSpecFit } from './pods-table.ts';

const spec = (vcpu: number, memoryGiB: number, pods: number): PodSpecFit => ({
  vcpu,
  memoryGiB,
  pods,
  label: `${vcpu} vCPU / ${memoryGiB} GiB`,
});

describe('podsSummary', () => {
  it('groups by vCPU, ascending, picking 2 and 4 GiB per vCPU', () => {
    const rows = podsSummary([
      spec(1, 2, 10),
      spec(0.25, 0.5, 40),
      spec(0.25, 1, 30),
      spec(1, 4, 5),
      spec(1, 8, 2),
      spec(0.25, 2, 15),
    ]);
    expect(rows.map((r) => r.vcpu)).toEqual([0.25, 1]);
    expect(rows[0]?.cells.map((c) => c?.memoryGiB)).toEqual([0.5, 1]);
    expect(rows[1]?.cells.map((c) => c?.pods)).toEqual([10, 5]);
  });

  it('falls back to the nearest memory when the exact ratio is not a size', () => {
    const rows = podsSummary([spec(16, 32, 1), spec(16, 40, 1), spec(16, 56, 0), spec(16, 72, 0)]);
    // 4 GiB/vCPU = 64 GiB: 56 and 72 are equally near; the first one listed wins.
    expect(rows[0]?.cells.map((c) => c?.memoryGiB)).toEqual([32, 56]);
  });

  it('returns nothing for no specs', () => {
    expect(podsSummary([])).toEqual([]);
  });
});

describe('formatSize', () => {
  it('writes sizes as people do', () => {
    expect([0.25, 0.5, 1, 16].map(formatSize)).toEqual(['0.25', '0.5', '1', '16']);
  });
});

describe('CSV export', () => {
  it('lists every size sorted, with a header', () => {
    const csv = podsCsv([spec(1, 4, 5), spec(0.5, 1, 20), spec(1, 2, 10)]);
    expect(csv.split('\r\n')).toEqual([
      'size,vcpu,memory_gib,pods_that_fit',
      '0.5 vCPU / 1 GiB,0.5,1,20',
      '1 vCPU / 2 GiB,1,2,10',
      '1 vCPU / 4 GiB,1,4,5',
      '',
    ]);
  });

  it('quotes separators and quotes, and defuses formulas in text cells', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        ['=cmd()', -3],
        [null, 'line\nbreak'],
      ],
    );
    expect(csv).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=cmd(),-3\r\n,"line\nbreak"\r\n');
  });
});
