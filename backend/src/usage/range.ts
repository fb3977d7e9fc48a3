/** The API's RFC 3339 ranges as epoch seconds, and the UTC buckets they cover. */
import { SEGMENT_SECONDS } from '@nodeless/cluster-runtime';
import { InputError } from '../inventory/errors.ts';

export const DAY_SECONDS = 86_400;
/** The longest range a query takes (a bit more than a year of hourly buckets). */
export const MAX_RANGE_SECONDS = 400 * DAY_SECONDS;

export interface Range {
  from: number;
  to: number;
}

/** `[from, to)` in epoch seconds (fractions dropped); an InputError names the bad bound. */
export function rangeOf(input: { from: string; to: string }): Range {
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  if (!Number.isFinite(from)) throw new InputError({ from: 'must be an RFC 3339 time' });
  if (!Number.isFinite(to)) throw new InputError({ to: 'must be an RFC 3339 time' });
  const range = { from: Math.floor(from / 1000), to: Math.floor(to / 1000) };
  if (range.to <= range.from) throw new InputError({ to: 'must be after from' });
  if (range.to - range.from > MAX_RANGE_SECONDS) {
    throw new InputError({
      to: `must be at most ${MAX_RANGE_SECONDS / DAY_SECONDS} days after from`,
    });
  }
  return range;
}

/** Bucket starts (epoch seconds) covering the range, ascending. */
export function bucketsOf(range: Range, size: number): number[] {
  const out: number[] = [];
  for (let b = Math.floor(range.from / size) * size; b < range.to; b += size) out.push(b);
  return out;
}

export const HOUR_SECONDS = SEGMENT_SECONDS;
