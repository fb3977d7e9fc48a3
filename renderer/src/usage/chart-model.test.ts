/** The chart's layers: biggest first as their own, the rest in Other, exact sums. */
import { describe, expect, it } from 'vitest';
import type { UsageSeries } from '@nodeless/backend/api';
import { chartModel, seriesOfNamespace } from './chart-model.ts';

const series: UsageSeries = {
  currency: 'USD',
  buckets: [0, 3600, 7200],
  series: [
    { key: 'shop/Deployment/web', label: 'shop/Deployment/web', costMicros: [100, 200, 300] },
    { key: 'shop/Job/x', label: 'shop/Job/x', costMicros: [1, 0, 0] },
    {
      key: 'ml/Deployment/inference',
      label: 'ml/Deployment/inference',
      costMicros: [500, 500, 500],
    },
    { key: 'data/', label: 'data (bare pods)', costMicros: [0, 7, 0] },
  ],
};

describe('chartModel', () => {
  it('stacks the layers, largest at the bottom', () => {
    const m = chartModel(series);
    expect(m.layers.map((l) => l.key)).toEqual([
      'ml/Deployment/inference',
      'shop/Deployment/web',
      'data/',
      'shop/Job/x',
    ]);
    expect(m.layers.map((l) => l.total)).toEqual([1500, 600, 7, 1]);
    expect(m.stacked.at(-1)).toEqual([601 / 1e6, 707 / 1e6, 800 / 1e6]);
  });

  it('sums what does not fit into Other, exactly', () => {
    const m = chartModel(series, 2);
    expect(m.layers.map((l) => l.label)).toEqual(['ml/Deployment/inference', 'Other (3)']);
    expect(m.layers[1]?.micros).toEqual([101, 207, 300]);
    expect(m.layers[1]?.total).toBe(608);
  });

  it('keeps one namespace’s workloads when drilled in', () => {
    expect(seriesOfNamespace(series, 'shop').series.map((s) => s.key)).toEqual([
      'shop/Deployment/web',
      'shop/Job/x',
    ]);
    expect(seriesOfNamespace(series, undefined)).toBe(series);
  });
});
