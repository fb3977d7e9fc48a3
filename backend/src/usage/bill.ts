/**
 * The bill's queries (issue 15 "Bill" and "Screens"): the table by namespace → workload → pod
 * with drill-down filters, cost over time stacked by namespace or workload, and one pod's bill.
 * The API and the CLI both answer from these functions, so the screen, the CLI and the CSV show
 * the same numbers. Idle capacity per hour is ./idle.ts: it reads the capacity samples and
 * hourly spec sums, not the bill's group sums, so it lives apart.
 *
 * Every cost is a sum of the records' stored costs (each rounded once when rated), so a table's
 * total is exactly the sum of its rows, and a pod's cost in the table equals its CSV line.
 * Compacted daily totals stand in for days without any record (see ../store/usage-daily-totals.ts):
 * they add to namespace and workload rows and to daily buckets, priced at the current prices
 * (quantities × price, one rounding per total; no minimum — the totals do not keep pod starts)
 * and are left out of efficiency (their spec × covered seconds is not kept).
 *
 * @see ./contract.ts
 * @see ./idle.ts
 */
import { billLine, quantityCostMicros, utcDay, type Prices } from '@nodeless/cluster-runtime';
import { KIB, rfc3339 } from '@nodeless/common';
import { NotFoundError } from '../inventory/errors.ts';
import type { UsageTables } from '../store/store.ts';
import {
  NO_EFFICIENCY_SUMS,
  type UsageEfficiencySums,
  type UsageFilter,
  type UsageGroupSums,
  type UsagePodSums,
} from '../store/usage-records.ts';
import type {
  UsagePodBill,
  UsageRow,
  UsageSeries,
  UsageSeriesInput,
  UsageTable,
  UsageTableInput,
} from './contract.ts';
import { addSums, efficiencyOf } from './efficiency.ts';
import { bucketsOf, DAY_SECONDS, HOUR_SECONDS, type Range } from './range.ts';

function filterOf(clusterId: string, range: Range, input: Partial<UsageTableInput>): UsageFilter {
  return {
    clusterId,
    from: range.from,
    to: range.to,
    namespace: input.namespace,
    owner: input.workload === undefined ? undefined : ownerOf(input.workload),
  };
}

/** `Kind/name` → owner; `''` → the bare pods (kind and name ''). */
function ownerOf(workload: string): { kind: string; name: string } {
  const at = workload.indexOf('/');
  return at < 0
    ? { kind: '', name: '' }
    : { kind: workload.slice(0, at), name: workload.slice(at + 1) };
}

const keyOf = (
  by: 'namespace' | 'workload',
  s: Pick<UsageGroupSums, 'namespace' | 'owner_kind' | 'owner_name'>,
) =>
  by === 'namespace'
    ? s.namespace
    : `${s.namespace}/${s.owner_kind ? `${s.owner_kind}/${s.owner_name}` : ''}`;

/**
 * The range's group sums in pieces that add up: whole UTC days from the rollup, the partial
 * days at either end from the records, and the pods already running at the range's first hour
 * boundary (see migrations/007_usage.ts for why this counts each pod once).
 */
function rangeGroups(
  tables: UsageTables,
  filter: UsageFilter,
  by: 'namespace' | 'workload',
): UsageGroupSums[] {
  const d0 = Math.ceil(filter.from / DAY_SECONDS);
  const d1 = Math.floor(filter.to / DAY_SECONDS);
  const pieces: UsageGroupSums[] = [];
  if (d0 < d1) {
    pieces.push(...tables.rollup.groups(filter, d0, d1, by));
    if (filter.from < d0 * DAY_SECONDS) {
      pieces.push(...tables.records.groups({ ...filter, to: d0 * DAY_SECONDS }, by));
    }
    if (d1 * DAY_SECONDS < filter.to) {
      pieces.push(...tables.records.groups({ ...filter, from: d1 * DAY_SECONDS }, by));
    }
  } else {
    pieces.push(...tables.records.groups(filter, by));
  }
  const h0 = Math.ceil(filter.from / HOUR_SECONDS) * HOUR_SECONDS;
  if (h0 < filter.to) pieces.push(...tables.records.running(filter, by, h0));
  return pieces;
}

interface Acc {
  row: UsageGroupSums;
  sums: UsageEfficiencySums;
}

/** Daily totals of the range's days that hold no records, as group sums (no efficiency). */
function totalsAsGroups(
  tables: UsageTables,
  filter: UsageFilter,
  prices: Prices,
): (UsageGroupSums & { dayStart: number })[] {
  const fromDay = utcDay(Math.floor(filter.from / DAY_SECONDS) * DAY_SECONDS);
  const toDay = utcDay(Math.ceil(filter.to / DAY_SECONDS) * DAY_SECONDS);
  const totals = tables.totals.range(filter.clusterId, fromDay, toDay);
  if (totals.length === 0) return [];
  const held = tables.records.days(filter);
  return totals
    .filter((t) => !held.has(Date.parse(`${t.day}T00:00:00Z`) / 1000 / DAY_SECONDS))
    .filter((t) => filter.namespace === undefined || t.namespace === filter.namespace)
    .filter(
      (t) =>
        filter.owner === undefined ||
        (t.owner_kind === filter.owner.kind && t.owner_name === filter.owner.name),
    )
    .filter((t) => {
      const day = Date.parse(`${t.day}T00:00:00Z`) / 1000;
      return day + DAY_SECONDS > filter.from && day < filter.to;
    })
    .map((t) => ({
      dayStart: Date.parse(`${t.day}T00:00:00Z`) / 1000,
      namespace: t.namespace,
      owner_kind: t.owner_kind,
      owner_name: t.owner_name,
      pods: t.pods_ended,
      records: t.records,
      seconds: t.seconds,
      spec_cpu_milli_s: t.spec_cpu_milli_s,
      spec_memory_kib_s: t.spec_memory_kib_s,
      cost_micros: quantityCostMicros(
        BigInt(t.spec_cpu_milli_s),
        BigInt(t.spec_memory_kib_s) * BigInt(KIB),
        prices,
      ),
      ...NO_EFFICIENCY_SUMS,
    }));
}

function groupRow(
  by: 'namespace' | 'workload',
  s: UsageGroupSums,
  sums: UsageEfficiencySums,
): UsageRow {
  return {
    key: keyOf(by, s),
    namespace: s.namespace,
    ...(by === 'workload' && s.owner_kind
      ? { workload: { kind: s.owner_kind, name: s.owner_name } }
      : {}),
    pods: s.pods,
    seconds: s.seconds,
    specCpuMilliSeconds: s.spec_cpu_milli_s,
    specMemoryKiBSeconds: s.spec_memory_kib_s,
    costMicros: s.cost_micros,
    efficiency: efficiencyOf(sums),
  };
}

function podRow(p: UsagePodSums): UsageRow {
  return {
    key: p.uid,
    namespace: p.namespace,
    ...(p.owner_kind ? { workload: { kind: p.owner_kind, name: p.owner_name } } : {}),
    pod: {
      name: p.name,
      uid: p.uid,
      start: rfc3339(p.pod_start),
      ...(p.ended_at === null ? {} : { end: rfc3339(p.ended_at) }),
      spec: { cpuMilli: p.cpu_milli, memoryBytes: p.memory_bytes },
      ...(p.runtime_class ? { runtimeClass: p.runtime_class } : {}),
    },
    pods: 1,
    seconds: p.seconds,
    specCpuMilliSeconds: p.spec_cpu_milli_s,
    specMemoryKiBSeconds: p.spec_memory_kib_s,
    costMicros: p.cost_micros,
    efficiency: efficiencyOf(p),
  };
}

/** Largest cost first, then by key: the order of the screen, the CLI and the CSV. */
const byCost = (a: UsageRow, b: UsageRow) =>
  b.costMicros - a.costMicros || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The pods of a table (for the pod CSV, which needs the raw sums). */
export function podSums(
  tables: UsageTables,
  clusterId: string,
  range: Range,
  input: Partial<UsageTableInput>,
): UsagePodSums[] {
  return tables.records.pods(filterOf(clusterId, range, input));
}

export function usageTable(
  tables: UsageTables,
  clusterId: string,
  range: Range,
  input: Pick<UsageTableInput, 'by' | 'namespace' | 'workload'>,
  prices: Prices,
): UsageTable {
  const filter = filterOf(clusterId, range, input);
  let rows: UsageRow[];
  let totalSums = NO_EFFICIENCY_SUMS;
  if (input.by === 'pod') {
    const pods = tables.records.pods(filter);
    rows = pods.map(podRow);
    for (const p of pods) totalSums = addSums(totalSums, p);
  } else {
    const by = input.by;
    const acc = new Map<string, Acc>();
    const add = (s: UsageGroupSums) => {
      const key = keyOf(by, s);
      const prev = acc.get(key);
      if (!prev) {
        acc.set(key, { row: { ...s }, sums: s });
        return;
      }
      const r = prev.row;
      r.pods += s.pods;
      r.records += s.records;
      r.seconds += s.seconds;
      r.spec_cpu_milli_s += s.spec_cpu_milli_s;
      r.spec_memory_kib_s += s.spec_memory_kib_s;
      r.cost_micros += s.cost_micros;
      prev.sums = addSums(prev.sums, s);
    };
    for (const s of rangeGroups(tables, filter, by)) add(s);
    for (const { dayStart: _day, ...s } of totalsAsGroups(tables, filter, prices)) add(s);
    rows = [...acc.values()].map((a) => groupRow(by, a.row, a.sums));
    for (const a of acc.values()) totalSums = addSums(totalSums, a.sums);
  }
  rows.sort(byCost);
  const total = { pods: 0, seconds: 0, costMicros: 0 };
  for (const r of rows) {
    total.pods += r.pods;
    total.seconds += r.seconds;
    total.costMicros += r.costMicros;
  }
  return {
    currency: prices.currency,
    rows,
    total: { ...total, efficiency: efficiencyOf(totalSums) },
  };
}

export function usageSeries(
  tables: UsageTables,
  clusterId: string,
  range: Range,
  input: Pick<UsageSeriesInput, 'by' | 'bucket'>,
  prices: Prices,
): UsageSeries {
  const size = input.bucket === 'hour' ? HOUR_SECONDS : DAY_SECONDS;
  const buckets = bucketsOf(range, size);
  const index = new Map(buckets.map((b, i) => [b / size, i]));
  const filter = filterOf(clusterId, range, {});
  const groups = new Map<string, { label: string; costMicros: number[]; total: number }>();
  const add = (
    bucket: number,
    s: Pick<UsageGroupSums, 'namespace' | 'owner_kind' | 'owner_name'>,
    cost: number,
  ) => {
    const i = index.get(bucket);
    if (i === undefined) return;
    const key = keyOf(input.by, s);
    let g = groups.get(key);
    if (!g) {
      const label =
        input.by === 'namespace'
          ? s.namespace
          : s.owner_kind
            ? `${s.namespace}/${s.owner_name}`
            : `${s.namespace} (bare pods)`;
      g = { label, costMicros: buckets.map(() => 0), total: 0 };
      groups.set(key, g);
    }
    g.costMicros[i] = (g.costMicros[i] ?? 0) + cost;
    g.total += cost;
  };
  if (size === DAY_SECONDS) {
    // Whole days from the rollup, the partial days at the ends from the records.
    const d0 = Math.ceil(range.from / DAY_SECONDS);
    const d1 = Math.max(d0, Math.floor(range.to / DAY_SECONDS));
    for (const r of tables.rollup.series(filter, d0, d1, input.by)) add(r.bucket, r, r.cost);
    const edges = [
      { ...filter, to: Math.min(range.to, d0 * DAY_SECONDS) },
      { ...filter, from: Math.max(range.from, d1 * DAY_SECONDS) },
    ].filter((f) => f.from < f.to);
    for (const f of edges) {
      for (const r of tables.records.series(f, input.by, size)) add(r.bucket, r, r.cost);
    }
  } else {
    for (const r of tables.records.series(filter, input.by, size)) add(r.bucket, r, r.cost);
  }
  // Totals are per day: they fill daily buckets only (an hourly chart cannot place them).
  if (size === DAY_SECONDS) {
    for (const t of totalsAsGroups(tables, filter, prices)) {
      add(t.dayStart / DAY_SECONDS, t, t.cost_micros);
    }
  }
  const series = [...groups.entries()]
    .sort(([ka, a], [kb, b]) => b.total - a.total || (ka < kb ? -1 : 1))
    .map(([key, g]) => ({ key, label: g.label, costMicros: g.costMicros }));
  return { currency: prices.currency, buckets, series };
}

/** One pod's bill over all its records (its whole life as far as the ledger has it). */
export function usagePod(
  tables: UsageTables,
  clusterId: string,
  uid: string,
  prices: Prices,
): UsagePodBill {
  const rows = tables.records.pod(clusterId, uid);
  const first = rows[0];
  if (!first) throw new NotFoundError('billed pod', uid);
  let seconds = 0;
  let cost = 0;
  let sums = NO_EFFICIENCY_SUMS;
  for (const r of rows) {
    seconds += r.billed_seconds;
    cost += r.cost_micros;
    const covered = r.usage_covered_s ?? 0;
    sums = addSums(sums, {
      usage_cpu_milli_s: r.usage_cpu_milli_s ?? 0,
      usage_memory_kib_s: r.usage_memory_kib_s ?? 0,
      usage_covered_s: covered,
      covered_cpu_milli_s: r.cpu_milli * covered,
      covered_memory_kib_s: Math.floor(r.memory_bytes / KIB) * covered,
      missing: covered === 0 ? 1 : 0,
    });
  }
  const spec = { cpuMilli: first.cpu_milli, memoryBytes: first.memory_bytes };
  return {
    uid,
    namespace: first.namespace,
    name: first.name,
    spec,
    seconds,
    costMicros: cost,
    currency: prices.currency,
    line: billLine(spec, seconds, cost),
    running: !rows.some((r) => r.final === 1),
    efficiency: efficiencyOf(sums),
  };
}
