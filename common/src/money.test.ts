/** Exact money text from integer micro-units, and billed durations in words. */
import { describe, expect, it } from 'vitest';
import { formatDuration, formatMicros, parseMicros } from './money.ts';

describe('formatMicros', () => {
  it('formats integers exactly, six decimals by default, half up when shorter', () => {
    expect(formatMicros(420_000)).toBe('0.420000');
    expect(formatMicros(12_345_678)).toBe('12.345678');
    expect(formatMicros(0)).toBe('0.000000');
    expect(formatMicros(415_000, 2)).toBe('0.42');
    expect(formatMicros(414_999, 2)).toBe('0.41');
    expect(formatMicros(-415_000, 2)).toBe('-0.42');
    expect(formatMicros(1_500_000, 0)).toBe('2');
    expect(formatMicros(9_007_199_254_740_991)).toBe('9007199254.740991');
    expect(() => formatMicros(0.5)).toThrow(RangeError);
    expect(() => formatMicros(1, 7)).toThrow(RangeError);
  });
});

describe('parseMicros', () => {
  it('reads what formatMicros writes, exactly, and nothing else', () => {
    expect(parseMicros('0.420000')).toBe(420_000);
    expect(parseMicros('12.345678')).toBe(12_345_678);
    expect(parseMicros('3')).toBe(3_000_000);
    expect(parseMicros('0.1')).toBe(100_000);
    expect(parseMicros('-1.5')).toBe(-1_500_000);
    for (const n of [0, 1, 999_999, 123_456_789_012]) expect(parseMicros(formatMicros(n))).toBe(n);
    expect(parseMicros('0.1234567')).toBeUndefined();
    expect(parseMicros('1e3')).toBeUndefined();
    expect(parseMicros('')).toBeUndefined();
    expect(parseMicros('99999999999.000000')).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('hours, minutes and seconds, leaving out zero parts', () => {
    expect(formatDuration(11_525)).toBe('3 h 12 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(61)).toBe('1 min 1 s');
    expect(formatDuration(0)).toBe('0 s');
  });
});
