/**
 * Cost over time, stacked by namespace or workload, drawn with uPlot.
 *
 * Why uPlot (issue 15 asked for a chart library chosen for speed): ~50 KB minified with no
 * dependency, draws on one canvas (no DOM node per bar or point, unlike SVG charts), and stays
 * fast for thousands of points — 30 days × 24 hours × 8 layers is nothing for it — while ECharts
 * costs ~1 MB for charts we do not draw. It is loaded in a chunk of its own (React.lazy) the
 * first time the Usage section opens, so the rest of the app does not pay for it.
 *
 * Layers are drawn as bars of cumulative height, the topmost first, so each lower layer paints
 * over the bottom of the one above (no band fills needed). The legend and the hover readout are
 * ours, formatted from the integer micro-units.
 *
 * @see https://github.com/leeoniya/uPlot#readme
 * @see https://github.com/leeoniya/uPlot/tree/master/docs#readme
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMicros } from '@nodeless/common';
import type { UsageSeries } from '@nodeless/backend/api';
import { chartModel, seriesOfNamespace, type ChartModel } from './chart-model.ts';
import { axisLabel, emptyBillText, hourText } from './usage-format.ts';

const HEIGHT = 220;
/** Distinguishable in light and dark themes (Okabe–Ito, colour-blind safe, plus two greys). */
const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#999999',
];

const colorOf = (i: number): string => PALETTE[i % PALETTE.length] ?? '#999999';

export default function CostChart(props: {
  series: UsageSeries;
  namespace: string | undefined;
  syncing: boolean;
}) {
  const { series, namespace, syncing } = props;
  const model = useMemo(
    () => chartModel(seriesOfNamespace(series, namespace)),
    [series, namespace],
  );
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number>();
  const day =
    series.buckets.length > 1 && (series.buckets[1] ?? 0) - (series.buckets[0] ?? 0) >= 86_400;

  useEffect(() => {
    const el = box.current;
    if (!el || model.buckets.length === 0 || model.layers.length === 0) return;
    const ink = getComputedStyle(el).color;
    const grid = 'rgba(128,128,128,0.2)';
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      // Bucket starts are UTC hours/days: label them in UTC, as the table and the CSV are.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] } },
      axes: [
        {
          stroke: ink,
          grid: { stroke: grid },
          ticks: { stroke: grid },
          values: (_u, splits) => splits.map((v) => axisLabel(v, day)),
        },
        {
          stroke: ink,
          grid: { stroke: grid },
          ticks: { stroke: grid },
          size: 60,
          values: (_u, splits) => splits.map((v) => v.toFixed(2)),
        },
      ],
      series: [
        {},
        // Topmost cumulative layer first: the lower ones paint over its bottom.
        ...model.layers
          .map((layer, i) => ({
            label: layer.label,
            stroke: colorOf(i),
            fill: colorOf(i),
            width: 0,
            paths: uPlot.paths.bars?.({ size: [0.85, 48], gap: 1 }),
            points: { show: false },
          }))
          .reverse(),
      ],
      hooks: {
        setCursor: [(u) => setHover(u.cursor.idx ?? undefined)],
      },
    };
    const data: uPlot.AlignedData = [model.buckets, ...model.stacked.slice().reverse()];
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(320, el.clientWidth), height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [model, day]);

  if (model.buckets.length === 0 || model.layers.length === 0) {
    return <p className="muted usage-chart-placeholder">{emptyBillText(syncing)}</p>;
  }
  return (
    <figure className="usage-chart" aria-label="Cost over time">
      <div
        ref={box}
        className="usage-chart-canvas"
        role="img"
        aria-label={altText(model, series.currency)}
      />
      <Legend model={model} currency={series.currency} hover={hover} day={day} />
    </figure>
  );
}

function altText(model: ChartModel, currency: string): string {
  const parts = model.layers
    .slice()
    .sort((a, b) => b.total - a.total)
    .map((l) => `${l.label} ${formatMicros(l.total, 2)} ${currency}`);
  return `Cost over time, stacked: ${parts.join(', ')}`;
}

function Legend(props: {
  model: ChartModel;
  currency: string;
  hover: number | undefined;
  day: boolean;
}) {
  const { model, currency, hover, day } = props;
  const at = hover !== undefined && hover >= 0 && hover < model.buckets.length ? hover : undefined;
  const when =
    at === undefined
      ? 'Whole range'
      : day
        ? `${hourText(model.buckets[at] ?? 0).slice(0, 10)} (UTC day)`
        : `${hourText(model.buckets[at] ?? 0)} UTC`;
  const sum = model.layers.reduce(
    (s, l) => s + (at === undefined ? l.total : (l.micros[at] ?? 0)),
    0,
  );
  return (
    <figcaption className="usage-legend">
      <span className="muted small">
        {when}: {formatMicros(sum, 2)} {currency}
      </span>
      <ul>
        {model.layers
          .map((l, i) => ({ l, i }))
          .reverse()
          .map(({ l, i }) => (
            <li key={l.key}>
              <span className="swatch" style={{ background: colorOf(i) }} aria-hidden="true" />
              {l.label}{' '}
              <span className="muted">
                {formatMicros(at === undefined ? l.total : (l.micros[at] ?? 0), 2)}
              </span>
            </li>
          ))}
      </ul>
    </figcaption>
  );
}
