/**
 * The cost-over-time chart's data, pure: the biggest groups as their own layers, the rest summed
 * into "Other" (a stack of 40 slivers says nothing), stacked by cumulative sums for drawing.
 * The amounts stay integer micro-units; only the drawn heights are plain numbers (pixels need
 * no exactness), and every figure shown in the legend is formatted from the integers.
 */
import type { UsageSeries } from '@nodeless/backend/api';

export const MAX_LAYERS = 8;

export interface ChartLayer {
  key: string;
  label: string;
  /** Micro-units per bucket (exact). */
  micros: number[];
  /** Σ micros over the range. */
  total: number;
}

export interface ChartModel {
  buckets: number[];
  /** Bottom layer first. */
  layers: ChartLayer[];
  /** Per layer, the top of the stack at each bucket, in currency units (for drawing only). */
  stacked: number[][];
}

/** Only a namespace's workloads, when drilled into one (series keys are `namespace/Kind/name`). */
export function seriesOfNamespace(series: UsageSeries, namespace: string | undefined): UsageSeries {
  if (!namespace) return series;
  const prefix = `${namespace}/`;
  return { ...series, series: series.series.filter((s) => s.key.startsWith(prefix)) };
}

export function chartModel(series: UsageSeries, maxLayers = MAX_LAYERS): ChartModel {
  const n = series.buckets.length;
  const all = series.series
    .map((s) => ({
      key: s.key,
      label: s.label,
      micros: s.costMicros.slice(0, n),
      total: s.costMicros.reduce((a, b) => a + b, 0),
    }))
    .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : 1));
  let layers = all;
  if (all.length > maxLayers) {
    const rest = all.slice(maxLayers - 1);
    const micros = Array.from({ length: n }, (_, i) =>
      rest.reduce((sum, s) => sum + (s.micros[i] ?? 0), 0),
    );
    layers = [
      ...all.slice(0, maxLayers - 1),
      {
        key: '\u0000other',
        label: `Other (${rest.length})`,
        micros,
        total: rest.reduce((a, s) => a + s.total, 0),
      },
    ];
  }
  const stacked: number[][] = [];
  const running = new Array<number>(n).fill(0);
  for (const layer of layers) {
    for (let i = 0; i < n; i++) running[i] = (running[i] ?? 0) + (layer.micros[i] ?? 0);
    stacked.push(running.map((m) => m / 1_000_000));
  }
  return { buckets: series.buckets.slice(), layers, stacked };
}
