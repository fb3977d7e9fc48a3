import { describe, expect, it } from 'vitest';
import { GIB } from '@nodeless/common';
import { parseDuration, parsePods, parseQuota } from './tenant-args.ts';

describe('tenant arguments', () => {
  it('parses --quota <vCPU>x<GiB> into integers', () => {
    expect(parseQuota('16x32')).toEqual({
      ok: true,
      value: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
    });
    expect(parseQuota('0.5x1.5')).toEqual({
      ok: true,
      value: { cpuMilli: 500, memoryBytes: 1.5 * GIB },
    });
    for (const bad of ['16', '16x', 'x32', '16*32', '0x1', '1x0', '-1x2', '1.2345x1']) {
      const r = parseQuota(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^--quota: /);
    }
  });

  it('parses --pods as a positive whole number', () => {
    expect(parsePods('50')).toEqual({ ok: true, value: 50 });
    for (const bad of ['0', '-1', '1.5', 'ten', '']) expect(parsePods(bad).ok, bad).toBe(false);
  });

  it('parses --expires durations into seconds', () => {
    expect(parseDuration('24h')).toEqual({ ok: true, value: 86_400 });
    expect(parseDuration('1h30m')).toEqual({ ok: true, value: 5_400 });
    expect(parseDuration('7d')).toEqual({ ok: true, value: 604_800 });
    expect(parseDuration('600s')).toEqual({ ok: true, value: 600 });
    for (const bad of ['24', 'h', '1w', '1.5h', '']) {
      const r = parseDuration(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^--expires: /);
    }
  });
});
