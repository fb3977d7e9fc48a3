/**
 * `nodeless usage` arguments: `--from` / `--to` as RFC 3339 times or UTC dates (`2026-12-01`
 * = its midnight UTC), `--by`. Defaults: the last 30 days up to the next full hour. A problem
 * is a sentence naming the option.
 */
import type { UsageGroupBy } from '../usage/contract.ts';
import { hasZone, insideHourProblem } from '../usage/range.ts';
import type { Parsed } from './tenant-args.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A time option as epoch ms. Bills are kept per UTC hour (the meter's records are hour
 * segments), so a bound inside an hour is refused rather than silently widened or cut.
 */
export function parseTime(option: string, text: string): Parsed<number> {
  const t = text.trim();
  const ms = Date.parse(DATE.test(t) ? `${t}T00:00:00Z` : t);
  // Date.parse reads zone-less times as local: require a zone so the range means one thing.
  const zoned = DATE.test(t) || hasZone(t);
  if (!Number.isFinite(ms) || !zoned) {
    return {
      ok: false,
      message: `--${option}: "${text}" is not an RFC 3339 time (2026-12-01T00:00:00Z) or a date (2026-12-01)`,
    };
  }
  const inside = insideHourProblem(ms);
  if (inside) return { ok: false, message: `--${option}: "${text}" ${inside}` };
  return { ok: true, value: ms };
}

export interface UsageRange {
  from: string;
  to: string;
}

export function parseUsageRange(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
): Parsed<UsageRange> {
  const end =
    to === undefined
      ? { ok: true as const, value: Math.ceil(nowMs / HOUR_MS) * HOUR_MS }
      : parseTime('to', to);
  if (!end.ok) return end;
  const start =
    from === undefined
      ? { ok: true as const, value: end.value - 30 * DAY_MS }
      : parseTime('from', from);
  if (!start.ok) return start;
  if (start.value >= end.value) return { ok: false, message: '--from must be before --to' };
  return {
    ok: true,
    value: { from: new Date(start.value).toISOString(), to: new Date(end.value).toISOString() },
  };
}

export function parseBy(text: string | undefined): Parsed<UsageGroupBy> {
  if (text === 'namespace' || text === 'workload' || text === 'pod')
    return { ok: true, value: text };
  return { ok: false, message: `--by: "${text ?? ''}" is not namespace, workload or pod` };
}
