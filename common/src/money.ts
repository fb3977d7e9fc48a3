/**
 * Money and billed time as text, one mechanism for every layer that shows a bill: the meter's
 * CSV and pod line (cluster-runtime/src/metering/format.ts), the CLI and the Usage section. Money
 * is integer micro-units (1,000,000 = one unit of the currency) formatted by integer arithmetic
 * — never through a float, so 0.1 + 0.2 never shows as 0.30000000000000004 and a column of
 * rounded cells still adds up to the total the file carries.
 *
 * @see https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/BigInt
 */

/** Micro-units per unit of the currency. */
export const MICROS_PER_UNIT = 1_000_000;

/** `12.345678` from 12,345,678 micro-units; `decimals` < 6 rounds half up (away from 0) first. */
export function formatMicros(micros: number, decimals = 6): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an integer amount: ${micros}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new RangeError(`decimals must be 0–6 (micro-units), got ${decimals}`);
  }
  const sign = micros < 0 ? '-' : '';
  let value = BigInt(Math.abs(micros));
  const drop = 10n ** BigInt(6 - decimals);
  value = (value + drop / 2n) / drop;
  if (decimals === 0) return `${sign}${value}`;
  const scale = 10n ** BigInt(decimals);
  const frac = (value % scale).toString().padStart(decimals, '0');
  return `${sign}${value / scale}.${frac}`;
}

/**
 * Micro-units from a decimal text with at most six decimals (`"0.42"` → 420,000), exactly;
 * `undefined` for anything else (a CSV cell, a form field). The inverse of {@link formatMicros}.
 */
export function parseMicros(text: string): number | undefined {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  const value =
    BigInt(m[2] ?? '0') * BigInt(MICROS_PER_UNIT) + BigInt((m[3] ?? '').padEnd(6, '0') || '0');
  const n = Number(m[1] === '-' ? -value : value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `3 h 12 min 5 s`, `10 s`, `0 s`. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ');
}
