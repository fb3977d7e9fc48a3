/** `nodeless usage` options: times, the hour rule, defaults, --by. */
import { describe, expect, it } from 'vitest';
import { parseBy, parseTime, parseUsageRange } from './usage-args.ts';

const NOW = Date.parse('2026-12-03T09:41:07Z');

describe('parseTime', () => {
  it('takes RFC 3339 times with a zone and UTC dates', () => {
    expect(parseTime('from', '2026-12-01')).toEqual({
      ok: true,
      value: Date.parse('2026-12-01T00:00:00Z'),
    });
    expect(parseTime('from', '2026-12-01T10:00:00+02:00')).toEqual({
      ok: true,
      value: Date.parse('2026-12-01T08:00:00Z'),
    });
  });

  it('refuses zone-less and unreadable times, naming the option', () => {
    const local = parseTime('to', '2026-12-01T08:00:00');
    expect(local.ok).toBe(false);
    if (!local.ok) expect(local.message).toMatch(/^--to: .*not an RFC 3339 time/);
    const junk = parseTime('from', 'yesterday');
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.message).toMatch(/^--from: "yesterday"/);
  });

  it('refuses a time inside an hour and names the hour it is in', () => {
    const p = parseTime('from', '2026-12-01T08:30:00Z');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(/^--from: .*on the hour \(2026-12-01T08:00:00Z\)/);
  });
});

describe('parseUsageRange', () => {
  it('defaults to the 30 days up to the next full hour', () => {
    expect(parseUsageRange(undefined, undefined, NOW)).toEqual({
      ok: true,
      value: { from: '2026-11-03T10:00:00.000Z', to: '2026-12-03T10:00:00.000Z' },
    });
  });

  it('refuses --from not before --to', () => {
    const p = parseUsageRange('2026-12-02', '2026-12-01', NOW);
    expect(p).toEqual({ ok: false, message: '--from must be before --to' });
  });
});

describe('parseBy', () => {
  it('takes namespace, workload and pod only', () => {
    expect(parseBy('workload')).toEqual({ ok: true, value: 'workload' });
    const bad = parseBy('node');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toBe('--by: "node" is not namespace, workload or pod');
  });
});
