import { describe, expect, it } from 'vitest';
import { billableSpec, POD_SPECS, specLabel } from './pod-specs.ts';
import { parseQuantity } from './quantity.ts';
import { effectiveRequest } from './effective-request.ts';

describe('pod spec table', () => {
  it('has the DESIGN.md §5 rows', () => {
    const mems = (v: number) => POD_SPECS.filter((s) => s.vcpu === v).map((s) => s.memoryGiB);
    expect(mems(0.25)).toEqual([0.5, 1, 2]);
    expect(mems(1)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(mems(8)).toEqual([16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64]);
    expect(mems(16)).toEqual([32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128]);
    // Ascending: the capacity map and billableSpec both take the first entry as the smallest.
    expect(POD_SPECS[0]).toEqual({ vcpu: 0.25, memoryGiB: 0.5 });
    expect(POD_SPECS.at(-1)).toEqual({ vcpu: 16, memoryGiB: 128 });
  });
  it('picks the smallest spec covering both vCPU and memory', () => {
    expect(billableSpec({ vcpu: 0.1, memoryGiB: 0.2 })).toEqual({ vcpu: 0.25, memoryGiB: 0.5 });
    expect(billableSpec({ vcpu: 0.25, memoryGiB: 3 })).toEqual({ vcpu: 0.5, memoryGiB: 3 });
    expect(billableSpec({ vcpu: 1.5, memoryGiB: 1 })).toEqual({ vcpu: 2, memoryGiB: 4 });
    expect(billableSpec({ vcpu: 8, memoryGiB: 17 })).toEqual({ vcpu: 8, memoryGiB: 20 });
    expect(billableSpec({ vcpu: 17, memoryGiB: 1 })).toBeUndefined();
    expect(specLabel({ vcpu: 0.5, memoryGiB: 1 })).toBe('0.5 vCPU / 1 GiB');
  });
});

describe('quantities', () => {
  it('parses CPU and memory notations', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(() => parseQuantity('12 cores')).toThrow(/not a Kubernetes quantity/);
  });
});

describe('effective request', () => {
  it('sums containers, takes max with init containers, adds overhead, defaults to limits', () => {
    const r = effectiveRequest({
      containers: [
        { name: 'a', resources: { requests: { cpu: '250m', memory: '256Mi' } } },
        { name: 'b', resources: { limits: { cpu: '500m', memory: '512Mi' } } },
      ],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '2', memory: '64Mi' } } }],
      overhead: { cpu: '250m', memory: '130Mi' },
    });
    expect(r.cpu).toBeCloseTo(2.25);
    expect(r.memory).toBe((768 + 130) * 2 ** 20);
  });
});
