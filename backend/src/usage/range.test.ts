/** The API's usage ranges: whole UTC hours with a zone, `to` after `from`, bounded length. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../inventory/errors.ts';
import { bucketsOf, MAX_RANGE_SECONDS, rangeOf } from './range.ts';

const fieldErrors = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.fieldErrors;
    throw e;
  }
  throw new Error('no InputError');
};

describe('rangeOf', () => {
  it('takes whole hours in any zone as epoch seconds', () => {
    expect(rangeOf({ from: '2026-12-01T08:00:00Z', to: '2026-12-01T10:00:00+01:00' })).toEqual({
      from: Date.UTC(2026, 11, 1, 8) / 1000,
      to: Date.UTC(2026, 11, 1, 9) / 1000,
    });
  });

  it('refuses a bound inside an hour, naming the field and the hour it is in', () => {
    expect(
      fieldErrors(() => rangeOf({ from: '2026-12-01T08:10:00Z', to: '2026-12-01T10:00:00Z' })),
    ).toEqual({ from: expect.stringMatching(/inside an hour.*\(2026-12-01T08:00:00Z\)$/) });
    expect(
      fieldErrors(() => rangeOf({ from: '2026-12-01T08:00:00Z', to: '2026-12-01T10:00:00.5Z' })),
    ).toEqual({ to: expect.stringMatching(/inside an hour.*\(2026-12-01T10:00:00Z\)$/) });
  });

  it('refuses a time without a zone (it would mean the server’s zone) and one that is no time', () => {
    expect(
      fieldErrors(() => rangeOf({ from: '2026-12-01T08:00:00', to: '2026-12-01T10:00:00Z' })),
    ).toEqual({ from: expect.stringMatching(/RFC 3339 time with a zone/) });
    expect(fieldErrors(() => rangeOf({ from: '2026-12-01T08:00:00Z', to: 'soon' }))).toEqual({
      to: expect.stringMatching(/RFC 3339/),
    });
  });

  it('refuses an empty or reversed range and one longer than the limit', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
    expect(fieldErrors(() => rangeOf({ from: at(5), to: at(5) }))).toEqual({
      to: 'must be after from',
    });
    expect(fieldErrors(() => rangeOf({ from: at(5), to: at(4) }))).toEqual({
      to: 'must be after from',
    });
    const hours = MAX_RANGE_SECONDS / 3600;
    expect(rangeOf({ from: at(0), to: at(hours) }).to).toBe(Date.parse(at(hours)) / 1000);
    expect(Object.keys(fieldErrors(() => rangeOf({ from: at(0), to: at(hours + 1) })))).toEqual([
      'to',
    ]);
  });
});

describe('bucketsOf', () => {
  it('covers the range with aligned buckets', () => {
    expect(bucketsOf({ from: 3600, to: 4 * 3600 }, 3600)).toEqual([3600, 7200, 10_800]);
    expect(bucketsOf({ from: 3600, to: 86_400 + 3600 }, 86_400)).toEqual([0, 86_400]);
  });
});
