/**
 * Parsing of `nodeless tenant` arguments into integers: `--quota 16x32` (vCPU x GiB) into
 * millicores and bytes, `--expires 24h` / `1h30m` / `7d` into seconds. A problem is a sentence
 * naming the option.
 */
import { GIB } from '@nodeless/common';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const QUOTA = /^(\d+(?:\.\d{1,3})?)x(\d+(?:\.\d{1,3})?)$/i;

/** `16x32` → 16000 millicores and 32 GiB; vCPU to the millicore, GiB to 3 decimals. */
export function parseQuota(text: string): Parsed<{ cpuMilli: number; memoryBytes: number }> {
  const m = QUOTA.exec(text.trim());
  if (!m) {
    return { ok: false, message: `--quota: "${text}" is not <vCPU>x<GiB> (for example 16x32)` };
  }
  // Decimal strings to integers without float drift: 0.5 → 500 exactly.
  const milli = (s: string) => {
    const [whole = '0', frac = ''] = s.split('.');
    return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
  };
  const cpuMilli = milli(m[1] ?? '');
  const memoryBytes = (milli(m[2] ?? '') * GIB) / 1000;
  if (cpuMilli <= 0 || memoryBytes <= 0 || !Number.isSafeInteger(memoryBytes)) {
    return { ok: false, message: `--quota: "${text}" must be more than 0 vCPU and 0 GiB` };
  }
  return { ok: true, value: { cpuMilli, memoryBytes } };
}

export function parsePods(text: string): Parsed<number> {
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    return { ok: false, message: `--pods: "${text}" is not a positive whole number` };
  }
  return { ok: true, value: Number(text) };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `24h`, `90m`, `1h30m`, `7d` → seconds. */
export function parseDuration(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!/^(\d+[smhd])+$/.test(trimmed)) {
    return {
      ok: false,
      message: `--expires: "${text}" is not a duration like 24h, 90m, 1h30m or 7d`,
    };
  }
  let seconds = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) {
    seconds += Number(n) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return { ok: true, value: seconds };
}
