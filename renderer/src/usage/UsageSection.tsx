/**
 * The Usage section (`#/clusters/<id>/usage…`, issue 15): what every pod cost, from the ledger
 * the meter writes in the cluster and the desktop syncs into its store. Top to bottom: the
 * meter's state with Sync now, the date range, cost over time stacked by namespace or workload
 * (uPlot, loaded on demand), the bill table namespace → workload → pod with drill-down (the URL
 * carries it, breadcrumbs lead back), idle capacity, and the prices the bill uses.
 *
 * @see ../../../backend/src/usage/contract.ts
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { ClusterSource } from '@nodeless/backend/api';
import { toProblem } from '../api/problems.ts';
import { useUsageApi } from '../ui/app-context.tsx';
import { navigate } from '../ui/use-route.ts';
import { BillTable } from './BillTable.tsx';
import { IdlePanel } from './IdlePanel.tsx';
import { MeterHeader } from './MeterHeader.tsx';
import { PricesForm } from './PricesForm.tsx';
import { RangePicker } from './RangePicker.tsx';
import { groupOf, tableInput, TOP, type UsageView } from './usage-drill.ts';
import { DEFAULT_RANGE, resolveRange } from './usage-range.ts';
import { useLoad } from './use-load.ts';
import './usage.css';

// The chart's code (uPlot) is a chunk of its own, fetched the first time Usage opens.
const CostChart = lazy(() => import('./CostChart.tsx'));

export function UsageSection(props: {
  clusterId: string;
  source: ClusterSource | undefined;
  view: UsageView | undefined;
}) {
  const { clusterId, source } = props;
  const api = useUsageApi();
  const view = props.view ?? { drill: TOP, range: DEFAULT_RANGE };
  const { drill, range } = view;
  // Presets end with the current hour: "now" moves on at each range change and each sync.
  const [now, setNow] = useState(() => Date.now());
  const go = (next: UsageView): void => {
    setNow(Date.now());
    navigate({ kind: 'cluster', clusterId, section: 'usage', usage: next });
  };
  // Bumped after a sync or a price change: every read below runs again.
  const [generation, setGeneration] = useState(0);
  // Opening the section syncs first, so the bill includes what the meter wrote meanwhile.
  const [syncing, setSyncing] = useState(true);
  const [syncProblem, setSyncProblem] = useState<string>();
  const [stackBy, setStackBy] = useState<'namespace' | 'workload'>('namespace');
  const span = useMemo(() => resolveRange(range, now), [range, now]);
  const spanKey = `${clusterId}|${span.from}|${span.to}|${generation}`;

  const runSync = useCallback(
    () =>
      api
        .sync({ clusterId })
        .then(
          () => setSyncProblem(undefined),
          (err: unknown) => setSyncProblem(toProblem(err).message),
        )
        .finally(() => {
          setSyncing(false);
          setNow(Date.now());
          setGeneration((g) => g + 1);
        }),
    [api, clusterId],
  );
  useEffect(() => {
    void runSync();
  }, [runSync]);
  const sync = (): void => {
    setSyncing(true);
    void runSync();
  };

  const status = useLoad(() => api.status({ clusterId }), `${clusterId}|${generation}`);
  const input = tableInput(clusterId, drill, span);
  const table = useLoad(() => api.table(input), `${spanKey}|${JSON.stringify(drill)}`);
  const seriesBy = drill.namespace ? 'workload' : stackBy;
  const series = useLoad(
    () =>
      api.series({ clusterId, from: span.from, to: span.to, by: seriesBy, bucket: span.bucket }),
    `${spanKey}|${seriesBy}|${span.bucket}`,
  );
  const idle = useLoad(() => api.idle({ clusterId, from: span.from, to: span.to }), spanKey);

  return (
    <section className="usage-section" aria-label="Usage">
      <MeterHeader
        clusterId={clusterId}
        source={source}
        status={status}
        syncing={syncing}
        syncProblem={syncProblem}
        onSync={sync}
        onInstalled={() => setGeneration((g) => g + 1)}
      />
      <RangePicker range={range} onChange={(r) => go({ drill, range: r })} />
      <div className="usage-card">
        <div className="usage-card-head">
          <h2>Cost over time</h2>
          {drill.namespace ? (
            <p className="muted small">Workloads of {drill.namespace}</p>
          ) : (
            <div className="segments" role="radiogroup" aria-label="Stack by">
              {(['namespace', 'workload'] as const).map((b) => (
                <button
                  key={b}
                  type="button"
                  role="radio"
                  aria-checked={stackBy === b}
                  className={stackBy === b ? 'segment selected' : 'segment'}
                  onClick={() => setStackBy(b)}
                >
                  {b === 'namespace' ? 'By namespace' : 'By workload'}
                </button>
              ))}
            </div>
          )}
        </div>
        {series.kind === 'error' ? (
          <p className="form-error" role="alert">
            {series.message}
          </p>
        ) : series.kind === 'loading' ? (
          <div className="usage-chart-placeholder muted">Loading…</div>
        ) : (
          <Suspense fallback={<div className="usage-chart-placeholder muted">Loading chart…</div>}>
            <CostChart series={series.value} namespace={drill.namespace} syncing={syncing} />
          </Suspense>
        )}
      </div>
      <BillTable
        clusterId={clusterId}
        view={view}
        input={input}
        table={table}
        group={groupOf(drill)}
        syncing={syncing}
        onView={go}
      />
      <IdlePanel clusterId={clusterId} range={range} idle={idle} />
      {status.kind === 'ok' ? (
        <PricesForm
          key={JSON.stringify(status.value.prices)}
          clusterId={clusterId}
          prices={status.value.prices}
          onSaved={() => setGeneration((g) => g + 1)}
        />
      ) : null}
    </section>
  );
}
