/**
 * CSV of every table (issue 15: "CSV export of every table"), the same rows as the screen and
 * the CLI. By pod: cluster-runtime's exact format (header `namespace,pod,uid,start,end,seconds,
 * vcpu,memory_gib,cost`, podCsvRow). By namespace and by workload (documented in README.md):
 *
 *     namespace,pods,seconds,vcpu_seconds,memory_gib_seconds,cost,cpu_efficiency,memory_efficiency
 *     namespace,kind,workload,pods,seconds,vcpu_seconds,memory_gib_seconds,cost,cpu_efficiency,memory_efficiency
 *
 * seconds = billed seconds (minimum included); vcpu_seconds and memory_gib_seconds = Σ spec ×
 * billed seconds as decimals; cost with six decimals (micro-units); efficiencies = usage ÷ spec
 * as a ratio with six decimals (1.000000 = the spec fully used), or `missing` when nothing was
 * measured — never 0. Bare pods have an empty kind and workload. Times are RFC 3339 UTC.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
import {
  formatMicros,
  POD_CSV_HEADER,
  podCsvRow,
  type PodBillRow,
} from '@nodeless/cluster-runtime';
import { rfc3339 } from '@nodeless/common';
import type { UsagePodSums } from '../store/usage-records.ts';
import type { UsageEfficiency, UsageGroupBy, UsageTable } from './contract.ts';

export const NAMESPACE_CSV_HEADER =
  'namespace,pods,seconds,vcpu_seconds,memory_gib_seconds,cost,cpu_efficiency,memory_efficiency';
export const WORKLOAD_CSV_HEADER =
  'namespace,kind,workload,pods,seconds,vcpu_seconds,memory_gib_seconds,cost,cpu_efficiency,memory_efficiency';

/** RFC 4180: quote a field holding a comma, quote or line break. */
const field = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/** `n / d` with `places` decimals, rounded half up, exact (BigInt). */
function decimal(n: number, d: number, places: number): string {
  const scale = 10n ** BigInt(places);
  const v = (BigInt(n) * scale * 2n + BigInt(d)) / (2n * BigInt(d));
  return `${v / scale}.${(v % scale).toString().padStart(places, '0')}`;
}

function ratios(e: UsageEfficiency): [string, string] {
  if (e.state === 'missing') return ['missing', 'missing'];
  return [decimal(e.cpuPpm, 1_000_000, 6), decimal(e.memoryPpm, 1_000_000, 6)];
}

/** The pod CSV line's row from a pod's sums over the range. */
export function podBillRow(p: UsagePodSums): PodBillRow {
  return {
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    ...(p.owner_kind ? { owner: { kind: p.owner_kind, name: p.owner_name } } : {}),
    spec: { cpuMilli: p.cpu_milli, memoryBytes: p.memory_bytes },
    start: p.first_s,
    end: p.last_s,
    ended: p.ended_at !== null,
    seconds: p.seconds,
    billedSeconds: p.seconds,
    micros: p.cost_micros,
  };
}

/**
 * The CSV text of a table. Pod rows come in the table's order; `pods` are their sums (the pod
 * CSV's start and end are the first and last second billed in the range).
 */
export function tableCsv(
  by: UsageGroupBy,
  table: UsageTable,
  pods: ReadonlyMap<string, UsagePodSums> = new Map(),
): string {
  const lines: string[] = [];
  if (by === 'pod') {
    lines.push(POD_CSV_HEADER);
    for (const r of table.rows) {
      const sums = pods.get(r.key);
      if (sums) lines.push(podCsvRow(podBillRow(sums)));
    }
  } else {
    lines.push(by === 'namespace' ? NAMESPACE_CSV_HEADER : WORKLOAD_CSV_HEADER);
    for (const r of table.rows) {
      const owner =
        by === 'workload' ? [field(r.workload?.kind ?? ''), field(r.workload?.name ?? '')] : [];
      lines.push(
        [
          field(r.namespace),
          ...owner,
          String(r.pods),
          String(r.seconds),
          decimal(r.specCpuMilliSeconds, 1000, 3),
          decimal(r.specMemoryKiBSeconds, 1024 * 1024, 6),
          formatMicros(r.costMicros),
          ...ratios(r.efficiency),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `usage-lab-namespace-20261201T000000Z-20261202T000000Z.csv` */
export function csvFilename(cluster: string, by: UsageGroupBy, from: number, to: number): string {
  const stamp = (s: number) => rfc3339(s).replaceAll(/[-:]/g, '');
  const safe = cluster.replaceAll(/[^A-Za-z0-9._-]/g, '_');
  return `usage-${safe}-${by}-${stamp(from)}-${stamp(to)}.csv`;
}
