/**
 * The bill as a table at the current drill level — namespaces, a namespace's workloads, or a
 * workload's pods — with billed time, spec, cost and efficiency (CPU and memory; "missing" is
 * shown as missing with the reason in its title, never as 0 %). A row's name links one level
 * down; the breadcrumbs lead back up; both are plain links, so the URL carries the drill-down
 * and Back works. Export CSV downloads the same rows in the CLI's format (`usage.csv`).
 */
import { useState } from 'react';
import { formatMicros } from '@nodeless/common';
import type { UsageGroupBy, UsageRow, UsageTable, UsageTableInput } from '@nodeless/backend/api';
import { toProblem } from '../api/problems.ts';
import { useUsageApi } from '../ui/app-context.tsx';
import { routeHash } from '../ui/route-model.ts';
import { formatCount } from '../workspace/format.ts';
import { downloadTableCsv } from './csv-download.ts';
import { crumbs, drillInto, rowLabel, type UsageDrill, type UsageView } from './usage-drill.ts';
import {
  billedTime,
  efficiencyCell,
  emptyBillText,
  exactSeconds,
  money,
  specText,
  type EfficiencyCell,
} from './usage-format.ts';
import { rangeText } from './usage-range.ts';
import type { Loaded } from './use-load.ts';

/** Rows drawn at most; the CSV has all of them. A workload of 100,000 pods stays responsive. */
export const MAX_ROWS = 500;

const GROUP_TITLES: Record<UsageGroupBy, string> = {
  namespace: 'Namespace',
  workload: 'Workload',
  pod: 'Pod',
};

export function BillTable(props: {
  clusterId: string;
  view: UsageView;
  input: UsageTableInput;
  table: Loaded<UsageTable>;
  group: UsageGroupBy;
  /** A sync is running: an empty table may only mean "not read yet". */
  syncing: boolean;
  onView(v: UsageView): void;
}) {
  const { clusterId, view, input, table, group, syncing } = props;
  const api = useUsageApi();
  const [exporting, setExporting] = useState(false);
  const [problem, setProblem] = useState<string>();
  const href = (drill: UsageDrill): string =>
    routeHash({
      kind: 'cluster',
      clusterId,
      section: 'usage',
      usage: { drill, range: view.range },
    });
  const exportCsv = (): void => {
    setExporting(true);
    setProblem(undefined);
    downloadTableCsv(api, input, [
      'usage',
      view.drill.namespace,
      view.drill.workload,
      `by-${group}`,
      rangeText(view.range),
    ])
      .catch((err: unknown) => setProblem(toProblem(err).message))
      .finally(() => setExporting(false));
  };
  const path = crumbs(view.drill);
  return (
    <div className="usage-card" aria-label="Bill">
      <div className="usage-card-head">
        <nav aria-label="Breadcrumbs" className="usage-crumbs">
          <ol>
            {path.map((c, i) =>
              i === path.length - 1 ? (
                <li key={c.label} aria-current="page">
                  {c.label}
                </li>
              ) : (
                <li key={c.label}>
                  <a href={href(c.drill)}>{c.label}</a>
                </li>
              ),
            )}
          </ol>
        </nav>
        <button type="button" className="small" onClick={exportCsv} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {problem ? (
        <p className="form-error" role="alert">
          Export failed: {problem}
        </p>
      ) : null}
      {table.kind === 'loading' ? (
        <p className="muted" role="status">
          Loading the bill…
        </p>
      ) : null}
      {table.kind === 'error' ? (
        <p className="form-error" role="alert">
          {table.message}
        </p>
      ) : null}
      {table.kind === 'ok' ? (
        <Rows
          table={table.value}
          group={group}
          syncing={syncing}
          stale={table.refreshing}
          href={(row) => {
            const next = drillInto(view.drill, row);
            return next ? href(next) : undefined;
          }}
        />
      ) : null}
    </div>
  );
}

function Rows(props: {
  table: UsageTable;
  group: UsageGroupBy;
  syncing: boolean;
  stale: boolean;
  href(row: UsageRow): string | undefined;
}) {
  const { table, group, syncing, stale, href } = props;
  const { currency, total } = table;
  const shown = table.rows.slice(0, MAX_ROWS);
  if (table.rows.length === 0) {
    return <p className="muted">{emptyBillText(syncing)}</p>;
  }
  return (
    <>
      <table
        className={stale ? 'hosts usage-table stale' : 'hosts usage-table'}
        aria-label={`Bill by ${group}`}
      >
        <thead>
          <tr>
            <th scope="col">{GROUP_TITLES[group]}</th>
            {group === 'pod' ? null : <th scope="col">Pods</th>}
            <th scope="col">Billed time</th>
            <th scope="col">Spec</th>
            <th scope="col" className="num">
              Cost ({currency})
            </th>
            <th scope="col" className="num">
              CPU efficiency
            </th>
            <th scope="col" className="num">
              Memory efficiency
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => {
            const link = href(row);
            return (
              <tr key={row.key}>
                <th scope="row" title={row.pod ? `uid ${row.pod.uid}` : undefined}>
                  {link ? <a href={link}>{rowLabel(row)}</a> : rowLabel(row)}
                  {row.pod ? <PodSpan pod={row.pod} /> : null}
                </th>
                {group === 'pod' ? null : <td>{formatCount(row.pods)}</td>}
                <td className="nowrap" title={exactSeconds(row.seconds)}>
                  {billedTime(row.seconds)}
                </td>
                <td className="nowrap">{specText(row)}</td>
                <MoneyCell micros={row.costMicros} currency={currency} />
                <Efficiency cell={efficiencyCell(row.efficiency, 'cpu')} />
                <Efficiency cell={efficiencyCell(row.efficiency, 'memory')} />
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {group === 'pod' ? null : <td>{formatCount(total.pods)}</td>}
            <td className="nowrap" title={exactSeconds(total.seconds)}>
              {billedTime(total.seconds)}
            </td>
            <td />
            <MoneyCell micros={total.costMicros} currency={currency} label="Total cost" />
            <Efficiency cell={efficiencyCell(total.efficiency, 'cpu')} />
            <Efficiency cell={efficiencyCell(total.efficiency, 'memory')} />
          </tr>
        </tfoot>
      </table>
      {table.rows.length > shown.length ? (
        <p className="muted small">
          Showing the first {formatCount(shown.length)} of {formatCount(table.rows.length)} rows;
          Export CSV has all of them.
        </p>
      ) : null}
    </>
  );
}

function PodSpan({ pod }: { pod: NonNullable<UsageRow['pod']> }) {
  const short = (t: string): string => t.slice(5, 19).replace('T', ' ');
  return (
    <span
      className="muted small usage-pod-span"
      title={`From ${pod.start} to ${pod.end ?? 'now (running)'}`}
    >
      {short(pod.start)} → {pod.end ? short(pod.end) : 'running'}
    </span>
  );
}

/** Two decimals to read, the exact six in the title (what the CSV says). */
function MoneyCell(props: { micros: number; currency: string; label?: string }) {
  const { micros, currency, label } = props;
  const shown = micros > 0 && micros < 5_000 ? '< 0.01' : formatMicros(micros, 2);
  return (
    <td className="num" title={money(micros, currency, 6)} aria-label={label} data-micros={micros}>
      {shown}
    </td>
  );
}

function Efficiency({ cell }: { cell: EfficiencyCell }) {
  return (
    <td className={cell.missing ? 'num usage-missing' : 'num'} title={cell.title}>
      {cell.text}
    </td>
  );
}
