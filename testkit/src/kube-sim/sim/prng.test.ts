import { describe, expect, it } from 'vitest';
import { canonicalJson, logNormal, mulberry32, safeEncode } from './prng.ts';
import { bytes, milliCpu, parseQuantity } from './quantity.ts';

describe('prng', () => {
  it('is deterministic per seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const xs = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
  });

  it('fits a log-normal to p50 and p99', () => {
    const sample = logNormal(700, 2500, mulberry32(1));
    const xs = Array.from({ length: 20_000 }, sample).sort((a, b) => a - b);
    const q = (p: number) => xs[Math.floor(p * xs.length)] ?? 0;
    expect(q(0.5)).toBeGreaterThan(650);
    expect(q(0.5)).toBeLessThan(750);
    expect(q(0.99)).toBeGreaterThan(2200);
    expect(q(0.99)).toBeLessThan(2850);
    expect(xs[0]).toBeGreaterThan(0);
  });

  it('encodes and canonicalises stably', () => {
    expect(safeEncode(123456)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(
      canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }),
    );
  });
});

describe('quantity', () => {
  it('parses the forms the API accepts', () => {
    expect(milliCpu('250m')).toBe(250);
    expect(milliCpu('1.5')).toBe(1500);
    expect(milliCpu(2)).toBe(2000);
    expect(bytes('128Mi')).toBe(128 * 2 ** 20);
    expect(bytes('1G')).toBe(1e9);
    expect(bytes('1e3')).toBe(1000);
    expect(parseQuantity('100k')).toBe(100_000);
    expect(() => parseQuantity('12 apples')).toThrow(/invalid quantity/);
  });
});
