/** Usage folded from metrics samples; efficiency; "missing" is never 0. */
import { GIB, MIB } from '@nodeless/common';
import { describe, expect, it } from 'vitest';
import {
  cpuNanocores,
  durationMs,
  efficiency,
  foldUsage,
  podMetricsSample,
  USAGE_MISSING,
  type UsageSample,
} from './usage.ts';

const S = 1_000_000; // epoch seconds of the stretch's start
const sample = (endS: number, windowS: number, cpuMilli: number, memMiB: number): UsageSample => ({
  endMs: endS * 1000,
  windowMs: windowS * 1000,
  cpuNanocores: cpuMilli * 1_000_000,
  memoryBytes: memMiB * MIB,
});

describe('foldUsage', () => {
  it('integrates CPU and working set over the windows, clipped to the stretch', () => {
    // Two 15 s windows: [S−5, S+10] clipped to [S, S+10], and [S+10, S+25] clipped at S+20.
    const u = foldUsage([sample(S + 25, 15, 200, 512), sample(S + 10, 15, 100, 256)], S, S + 20);
    expect(u).toEqual({
      state: 'measured',
      cpuMilliSeconds: 10 * 100 + 10 * 200,
      memoryKiBSeconds: (10 * 256 + 10 * 512) * 1024,
      coveredSeconds: 20,
    });
  });

  it('never counts a second twice when windows overlap', () => {
    const u = foldUsage([sample(S + 15, 15, 100, 0), sample(S + 20, 15, 100, 0)], S, S + 60);
    expect(u).toMatchObject({ coveredSeconds: 20, cpuMilliSeconds: 2000 });
  });

  it('is missing, not 0, when no sample meets the stretch (a 10 s Job between scrapes)', () => {
    expect(foldUsage([sample(S - 1, 15, 100, 1)], S, S + 10)).toEqual(USAGE_MISSING);
    expect(foldUsage([], S, S + 10)).toEqual(USAGE_MISSING);
  });
});

describe('podMetricsSample', () => {
  it('reads PodMetrics as metrics-server writes them (containers summed)', () => {
    const s = podMetricsSample({
      timestamp: '2026-12-02T10:00:15Z',
      window: '15.012s',
      containers: [
        { usage: { cpu: '150000000n', memory: '10240Ki' } },
        { usage: { cpu: '5m', memory: '1Mi' } },
      ],
    });
    expect(s).toEqual({
      endMs: Date.parse('2026-12-02T10:00:15Z'),
      windowMs: 15_012,
      cpuNanocores: 155_000_000,
      memoryBytes: 11 * MIB,
    });
  });

  it('refuses an unreadable window or quantity instead of guessing', () => {
    const base = { timestamp: '2026-12-02T10:00:15Z', containers: [] };
    expect(podMetricsSample({ ...base, window: 'soon' })).toBeUndefined();
    expect(
      podMetricsSample({ ...base, window: '15s', containers: [{ usage: { cpu: 'lots' } }] }),
    ).toBeUndefined();
  });

  it('parses Go durations and CPU quantities', () => {
    expect(durationMs('1m0s')).toBe(60_000);
    expect(durationMs('1h2m3.5s')).toBe(3_723_500);
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('')).toBeUndefined();
    expect(cpuNanocores('12u')).toBe(12_000);
    expect(cpuNanocores('1')).toBe(1_000_000_000);
  });
});

describe('efficiency', () => {
  const spec = { cpuMilli: 500, memoryBytes: GIB };

  it('is usage ÷ spec over the covered seconds, in ppm', () => {
    const usage = foldUsage([sample(S + 10, 10, 125, 256)], S, S + 10);
    expect(efficiency([{ spec, usage }])).toEqual({
      state: 'measured',
      cpuPpm: 250_000,
      memoryPpm: 250_000,
      coveredSeconds: 10,
      missing: 0,
    });
  });

  it('a group leaves pods without usage out of the ratio and counts them', () => {
    const used = foldUsage([sample(S + 10, 10, 500, 1024)], S, S + 10);
    const e = efficiency([
      { spec, usage: used },
      { spec, usage: USAGE_MISSING },
    ]);
    expect(e).toMatchObject({ state: 'measured', cpuPpm: 1_000_000, missing: 1 });
  });

  it('is missing when no pod has usage', () => {
    expect(efficiency([{ spec, usage: USAGE_MISSING }])).toEqual({ state: 'missing' });
  });
});
