/** Date ranges: presets end with the current hour, custom ranges are whole UTC days. */
import { describe, expect, it } from 'vitest';
import {
  customRangeError,
  DEFAULT_RANGE,
  parseRange,
  rangeLabel,
  rangeText,
  resolveRange,
} from './usage-range.ts';

const NOW = Date.parse('2026-12-02T14:25:07Z');

describe('resolveRange', () => {
  it('presets: [end of this hour − span, end of this hour), hourly up to a week', () => {
    expect(resolveRange({ kind: 'preset', preset: '24h' }, NOW)).toEqual({
      from: '2026-12-01T15:00:00Z',
      to: '2026-12-02T15:00:00Z',
      bucket: 'hour',
    });
    expect(resolveRange({ kind: 'preset', preset: '7d' }, NOW)).toMatchObject({
      from: '2026-11-25T15:00:00Z',
      bucket: 'hour',
    });
    expect(resolveRange({ kind: 'preset', preset: '30d' }, NOW).bucket).toBe('day');
  });

  it('custom: both days included, UTC midnight to midnight', () => {
    expect(
      resolveRange({ kind: 'custom', fromDay: '2026-11-01', toDay: '2026-11-01' }, NOW),
    ).toEqual({
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
      bucket: 'hour',
    });
    expect(
      resolveRange({ kind: 'custom', fromDay: '2026-10-01', toDay: '2026-11-30' }, NOW).bucket,
    ).toBe('day');
  });
});

describe('range text', () => {
  it('round-trips and falls back to the default on nonsense', () => {
    for (const r of [
      DEFAULT_RANGE,
      { kind: 'preset', preset: '24h' } as const,
      { kind: 'custom', fromDay: '2026-11-01', toDay: '2026-11-07' } as const,
    ]) {
      expect(parseRange(rangeText(r))).toEqual(r);
    }
    expect(parseRange('2026-11-07..2026-11-01')).toEqual(DEFAULT_RANGE);
    expect(parseRange('2026-02-30..2026-03-01')).toEqual(DEFAULT_RANGE);
    expect(parseRange('1y')).toEqual(DEFAULT_RANGE);
    expect(parseRange(undefined)).toEqual(DEFAULT_RANGE);
  });

  it('names the field that is wrong', () => {
    expect(customRangeError('', '2026-11-01')).toMatch(/^From:/);
    expect(customRangeError('2026-11-01', '11/02/2026')).toMatch(/^To:/);
    expect(customRangeError('2026-11-02', '2026-11-01')).toBe('To: must be on or after From.');
    expect(customRangeError('2020-01-01', '2026-01-01')).toMatch(/^To: a range is at most/);
    expect(customRangeError('2026-11-01', '2026-11-01')).toBeUndefined();
  });

  it('labels', () => {
    expect(rangeLabel(DEFAULT_RANGE)).toBe('Last 7 days');
    expect(rangeLabel({ kind: 'custom', fromDay: '2026-11-01', toDay: '2026-11-07' })).toBe(
      '2026-11-01 – 2026-11-07',
    );
  });
});
