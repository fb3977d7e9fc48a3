/** The API's RFC 3339 ranges as epoch seconds, and the UTC buckets they cover. */
import { SEGMENT_SECONDS } from '@nodeless/cluster-runtime';
import { rfc3339 } from '@nodeless/common';
import { InputError } from '../inventory/errors.ts';

export const DAY_SECONDS = 86_400;
export const HOUR_SECONDS = SEGMENT_SECONDS;
/** The longest range a query takes (a bit more than a year of hourly buckets). */
export const MAX_RANGE_SECONDS = 400 * DAY_SECONDS;

export interface Range {
  from: number;
  to: number;
}

/** RFC 3339 ends in a zone; `Date.parse` would read a zone-less time in the server's zone. */
export const hasZone = (text: string): boolean => /(Z|[+-]\d{2}:\d{2})$/i.test(text.trim());

/** Why `ms` is no bound of a bill (it lies inside an hour, named), or undefined on the hour. */
export function insideHourProblem(ms: number): string | undefined {
  if (ms % (HOUR_SECONDS * 1000) === 0) return undefined;
  const hour = Math.floor(ms / (HOUR_SECONDS * 1000)) * HOUR_SECONDS;
  return `is inside an hour; bills are kept per UTC hour, so give a time on the hour (${rfc3339(hour)})`;
}

/**
 * One bound as epoch seconds. Bills are kept per UTC hour (a ledger record is its pod's piece of
 * one hour, selected by that hour), so a bound inside an hour is refused, naming the hour it is
 * in, rather than silently widened or cut — for every caller of the API, and the CLI's options
 * (../cli/usage-args.ts) by the same {@link insideHourProblem}.
 */
function hourBound(field: 'from' | 'to', text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !hasZone(text)) {
    throw new InputError({
      [field]: 'must be an RFC 3339 time with a zone (2026-12-01T00:00:00Z)',
    });
  }
  const inside = insideHourProblem(ms);
  if (inside) throw new InputError({ [field]: inside });
  return ms / 1000;
}

/** `[from, to)` in epoch seconds, both on the hour; an InputError names the bad bound. */
export function rangeOf(input: { from: string; to: string }): Range {
  const range = { from: hourBound('from', input.from), to: hourBound('to', input.to) };
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
