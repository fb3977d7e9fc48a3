import { describe, expect, it } from 'vitest';
import {
  billableSize,
  DEFAULT_POD_SIZE,
  describeSize,
  LARGEST_POD_SIZE,
  POD_SIZES,
  podSizeByLabel,
  podSizeLabel,
  PodTooLargeError,
} from './pod-sizes.ts';
import { GIB, MIB } from './quantity.ts';

const size = (vcpu: number, gib: number) => ({
  cpuMilli: Math.round(vcpu * 1000),
  memoryBytes: Math.round(gib * 1024) * MIB,
});
const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/** DESIGN.md §5, row by row: vCPU → memory choices in GiB. */
const DESIGN_TABLE: readonly (readonly [number, readonly number[]])[] = [
  [0.25, [0.5, 1, 2]],
  [0.5, [1, 2, 3, 4]],
  [1, range(2, 8, 1)],
  [2, range(4, 16, 1)],
  [4, range(8, 32, 1)],
  [6, range(12, 48, 1)],
  [8, range(16, 64, 4)],
  [16, range(32, 128, 8)],
];

describe('the pod-size table', () => {
  it.each(DESIGN_TABLE)('has the DESIGN.md §5 row for %s vCPU', (vcpu, gibs) => {
    const row = POD_SIZES.filter((s) => s.cpuMilli === vcpu * 1000);
    expect(row).toEqual(gibs.map((g) => size(vcpu, g)));
  });

  it('has nothing else, ascending by vCPU then memory, in integers', () => {
    expect(POD_SIZES).toHaveLength(DESIGN_TABLE.reduce((n, [, g]) => n + g.length, 0));
    for (const [i, s] of POD_SIZES.entries()) {
      expect(Number.isInteger(s.cpuMilli) && Number.isInteger(s.memoryBytes)).toBe(true);
      const prev = POD_SIZES[i - 1];
      if (prev) {
        expect(
          s.cpuMilli > prev.cpuMilli ||
            (s.cpuMilli === prev.cpuMilli && s.memoryBytes > prev.memoryBytes),
        ).toBe(true);
      }
    }
    expect(DEFAULT_POD_SIZE).toEqual(size(0.25, 0.5));
    expect(LARGEST_POD_SIZE).toEqual(size(16, 128));
  });

  it.each(DESIGN_TABLE.flatMap(([v, gibs]) => gibs.map((g) => [v, g] as const)))(
    '%s vCPU / %s GiB is its own billable size',
    (vcpu, gib) => {
      expect(billableSize(size(vcpu, gib))).toEqual(size(vcpu, gib));
    },
  );
});

describe('billable-size rounding', () => {
  it.each([
    [7, 13, 8, 16],
    [0.1, 0.1, 0.25, 0.5],
    [0, 0, 0.25, 0.5],
    [0.25, 3, 0.5, 3],
    [1.5, 1, 2, 4],
    [8, 17, 8, 20],
    [6, 49, 8, 52],
    [16, 128, 16, 128],
  ])('%s vCPU / %s GiB → %s vCPU / %s GiB', (vcpu, gib, wantVcpu, wantGib) => {
    expect(billableSize(size(vcpu, gib))).toEqual(size(wantVcpu, wantGib));
  });

  it('rounds up by a single byte or millicore', () => {
    expect(billableSize({ cpuMilli: 251, memoryBytes: 1 })).toEqual(size(0.5, 1));
    expect(billableSize({ cpuMilli: 250, memoryBytes: 512 * MIB + 1 })).toEqual(size(0.25, 1));
  });

  it.each([
    [17, 1],
    [1, 129],
    [16.001, 128],
  ])('refuses %s vCPU / %s GiB, naming the largest size', (vcpu, gib) => {
    expect(() => billableSize(size(vcpu, gib))).toThrow(PodTooLargeError);
    expect(() => billableSize(size(vcpu, gib))).toThrow(
      /more than the largest pod size \(16 vCPU \/ 128 GiB\)/,
    );
  });
});

describe('size names', () => {
  it('labels sizes like 2x4 and 0.25x0.5, and reads them back', () => {
    expect(podSizeLabel(size(2, 4))).toBe('2x4');
    expect(podSizeLabel(size(0.25, 0.5))).toBe('0.25x0.5');
    expect(podSizeLabel(size(16, 128))).toBe('16x128');
    for (const s of POD_SIZES) expect(podSizeByLabel(podSizeLabel(s))).toBe(s);
    expect(podSizeByLabel('3x3')).toBeUndefined();
    // Label values: at most 63 characters of [A-Za-z0-9._-]
    for (const s of POD_SIZES) expect(podSizeLabel(s)).toMatch(/^[0-9.]+x[0-9.]+$/);
  });

  it('says a size in words', () => {
    expect(describeSize(size(0.5, 1))).toBe('0.5 vCPU / 1 GiB');
    expect(describeSize({ cpuMilli: 2250, memoryBytes: 3 * GIB })).toBe('2.25 vCPU / 3 GiB');
  });
});
