/**
 * The Usage section's date range: a preset (the last 24 hours, 7 days, 30 days, ending with the
 * current hour) or custom whole UTC days, carried in the URL as text (`24h`, `7d`, `30d`,
 * `2026-11-01..2026-11-07`) so a link or a reload shows the same bill. Ranges are half-open
 * `[from, to)` on hour boundaries, as the contract wants; presets end at the end of the current
 * hour so the hour in progress shows what the ledger already holds of it.
 *
 * @see ../../../backend/src/usage/contract.ts — UsageRangeInput
 */
import { rfc3339 } from '@nodeless/common';

export const PRESETS = ['24h', '7d', '30d'] as const;
export type Preset = (typeof PRESETS)[number];

export type UsageRange =
  | { kind: 'preset'; preset: Preset }
  /** Whole UTC days, both inclusive, `YYYY-MM-DD`. */
  | { kind: 'custom'; fromDay: string; toDay: string };

export const DEFAULT_RANGE: UsageRange = { kind: 'preset', preset: '7d' };

export const PRESET_LABELS: Record<Preset, string> = {
  '24h': '24 h',
  '7d': '7 days',
  '30d': '30 days',
};

const PRESET_HOURS: Record<Preset, number> = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` → epoch ms of that UTC midnight, or undefined when not a real date. */
export function dayStart(day: string): number | undefined {
  if (!DAY.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) return undefined;
  return ms;
}

/** The UTC day of an epoch ms, `YYYY-MM-DD`. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The range as URL text. */
export function rangeText(range: UsageRange): string {
  return range.kind === 'preset' ? range.preset : `${range.fromDay}..${range.toDay}`;
}

/** URL text → range; anything unreadable is the default (a hand-edited URL still opens). */
export function parseRange(text: string | undefined): UsageRange {
  if (!text) return DEFAULT_RANGE;
  if ((PRESETS as readonly string[]).includes(text)) {
    return { kind: 'preset', preset: text as Preset };
  }
  const [fromDay = '', toDay = '', extra] = text.split('..');
  const error = extra === undefined ? customRangeError(fromDay, toDay) : 'unreadable';
  return error ? DEFAULT_RANGE : { kind: 'custom', fromDay, toDay };
}

/** Longest custom range: a year of hourly rows is what the store answers quickly. */
export const MAX_CUSTOM_DAYS = 366;

/** Why two custom days are not a range (names the field), or undefined when they are. */
export function customRangeError(fromDay: string, toDay: string): string | undefined {
  const from = dayStart(fromDay);
  const to = dayStart(toDay);
  if (from === undefined) return 'From: enter a date (YYYY-MM-DD).';
  if (to === undefined) return 'To: enter a date (YYYY-MM-DD).';
  if (to < from) return 'To: must be on or after From.';
  if ((to - from) / DAY_MS + 1 > MAX_CUSTOM_DAYS) {
    return `To: a range is at most ${MAX_CUSTOM_DAYS} days.`;
  }
  return undefined;
}

export interface ResolvedRange {
  /** RFC 3339 UTC, inclusive. */
  from: string;
  /** RFC 3339 UTC, exclusive. */
  to: string;
  /** Chart buckets: hours up to a week, days beyond (≤ ~170 bars either way for presets). */
  bucket: 'hour' | 'day';
}

const iso = (ms: number): string => rfc3339(ms / 1000);

/** The range as the API's `[from, to)` at `nowMs`. */
export function resolveRange(range: UsageRange, nowMs: number): ResolvedRange {
  let from: number;
  let to: number;
  if (range.kind === 'preset') {
    to = (Math.floor(nowMs / HOUR_MS) + 1) * HOUR_MS;
    from = to - PRESET_HOURS[range.preset] * HOUR_MS;
  } else {
    from = dayStart(range.fromDay) ?? 0;
    to = (dayStart(range.toDay) ?? from) + DAY_MS;
  }
  return { from: iso(from), to: iso(to), bucket: to - from > 8 * DAY_MS ? 'day' : 'hour' };
}

/** The range in words for headings and file names. */
export function rangeLabel(range: UsageRange): string {
  return range.kind === 'preset'
    ? `Last ${PRESET_LABELS[range.preset]}`
    : range.fromDay === range.toDay
      ? range.fromDay
      : `${range.fromDay} – ${range.toDay}`;
}
