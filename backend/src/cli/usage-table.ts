/**
 * `nodeless usage` as a table for people: one row per namespace, workload or pod, largest cost
 * first, and the total — the same rows the Usage section shows (usage/bill.ts). No colours, so
 * a terminal, a pipe and a CI log read the same.
 *
 * @see https://github.com/cli-table/cli-table3
 */
import Table from 'cli-table3';
import { describeSize, formatDuration, formatMicros } from '@nodeless/common';
import type { UsageEfficiency, UsageGroupBy, UsageTable } from '../usage/contract.ts';

const PLAIN = { head: [], border: [] };

/** `45.2%` from parts per million; `missing` (never 0) without usage. */
function percent(e: UsageEfficiency, k: 'cpuPpm' | 'memoryPpm'): string {
  if (e.state === 'missing') return 'missing';
  return `${(e[k] / 10_000).toFixed(1)}%`;
}

/** `12.5` vCPU-hours from millicore-seconds (display only; the CSV has exact decimals). */
const hours = (milliSeconds: number, per: number) => (milliSeconds / per / 3600).toFixed(1);

export function renderUsageTable(by: UsageGroupBy, table: UsageTable): string {
  const cost = `cost (${table.currency})`;
  const head =
    by === 'pod'
      ? [
          'namespace',
          'pod',
          'workload',
          'size',
          'start',
          'end',
          'billed',
          cost,
          'cpu eff',
          'mem eff',
        ]
      : [
          'namespace',
          ...(by === 'workload' ? ['workload'] : []),
          'pods',
          'billed',
          'vCPU·h',
          'GiB·h',
          cost,
          'cpu eff',
          'mem eff',
        ];
  const t = new Table({ head, style: PLAIN });
  for (const r of table.rows) {
    const workload = r.workload ? `${r.workload.kind}/${r.workload.name}` : '-';
    const eff = [percent(r.efficiency, 'cpuPpm'), percent(r.efficiency, 'memoryPpm')];
    if (by === 'pod' && r.pod) {
      t.push([
        r.namespace,
        r.pod.name,
        workload,
        describeSize(r.pod.spec),
        r.pod.start,
        r.pod.end ?? 'running',
        formatDuration(r.seconds),
        formatMicros(r.costMicros),
        ...eff,
      ]);
      continue;
    }
    t.push([
      r.namespace,
      ...(by === 'workload' ? [r.workload ? workload : '(bare pods)'] : []),
      String(r.pods),
      formatDuration(r.seconds),
      hours(r.specCpuMilliSeconds, 1000),
      hours(r.specMemoryKiBSeconds, 1024 * 1024),
      formatMicros(r.costMicros),
      ...eff,
    ]);
  }
  const total = table.total;
  const lines = [
    t.toString(),
    '',
    `Total: ${total.pods} pods, ${formatDuration(total.seconds)} billed, ${formatMicros(total.costMicros)} ${table.currency}` +
      ` (cpu ${percent(total.efficiency, 'cpuPpm')}, memory ${percent(total.efficiency, 'memoryPpm')} of spec used)`,
  ];
  return `${lines.join('\n')}\n`;
}
