/**
 * Data access for `usage_rollup`: the records' sums per UTC day and workload (why: see
 * migrations/007_usage.ts). Added to by the sync as records are inserted (only new ones, so a
 * second sync adds nothing here either), rebuilt from the records after a re-rate.
 */
import type Database from 'better-sqlite3';
import {
  NONE,
  type UsageFilter,
  type UsageGroupBy,
  type UsageGroupSums,
  type UsageRecordRow,
} from './usage-records.ts';

export interface UsageRollupRow extends UsageGroupSums {
  cluster_id: string;
  /** UTC day index (epoch seconds ÷ 86,400). */
  day: number;
}

export interface UsageRollupTable {
  /** Adds sums (inside the records' transaction). */
  add(rows: Iterable<UsageRollupRow>): void;
  /** Recomputes a cluster's rollup from its records. */
  rebuild(clusterId: string): void;
  /** Sums per group over the days [fromDay, toDay). */
  groups(filter: UsageFilter, fromDay: number, toDay: number, by: UsageGroupBy): UsageGroupSums[];
  /** Cost per day and group over [fromDay, toDay). */
  series(
    filter: UsageFilter,
    fromDay: number,
    toDay: number,
    by: UsageGroupBy,
  ): { bucket: number; namespace: string; owner_kind: string; owner_name: string; cost: number }[];
}

const SUMMED = [
  'pods',
  'records',
  'seconds',
  'spec_cpu_milli_s',
  'spec_memory_kib_s',
  'cost_micros',
  'usage_cpu_milli_s',
  'usage_memory_kib_s',
  'usage_covered_s',
  'covered_cpu_milli_s',
  'covered_memory_kib_s',
  'missing',
] as const;

type Sums = Omit<UsageGroupSums, 'namespace' | 'owner_kind' | 'owner_name'>;

/** Adds one record's sums to `into`, as the rollup and the groups count them. */
function addRecord(into: Sums, r: UsageRecordRow): void {
  const covered = r.usage_covered_s ?? 0;
  const kib = Math.floor(r.memory_bytes / 1024);
  into.pods += r.start_s === r.pod_start ? 1 : 0;
  into.records += 1;
  into.seconds += r.billed_seconds;
  into.spec_cpu_milli_s += r.cpu_milli * r.billed_seconds;
  into.spec_memory_kib_s += kib * r.billed_seconds;
  into.cost_micros += r.cost_micros;
  into.usage_cpu_milli_s += r.usage_cpu_milli_s ?? 0;
  into.usage_memory_kib_s += r.usage_memory_kib_s ?? 0;
  into.usage_covered_s += covered;
  into.covered_cpu_milli_s += r.cpu_milli * covered;
  into.covered_memory_kib_s += kib * covered;
  into.missing += covered === 0 ? 1 : 0;
}

/** The sums of one record, as the rollup and the groups count them. */
export function recordSums(r: UsageRecordRow): Sums {
  const sums = { ...NONE };
  addRecord(sums, r);
  return sums;
}

/**
 * Accumulates new records into rollup rows (one per day and workload), adding into the row in
 * place: a sums object per record was a tenth of a million-record sync (bench:metering).
 */
export class RollupAccumulator {
  readonly #rows = new Map<string, UsageRollupRow>();

  add(r: UsageRecordRow): void {
    const day = Math.floor(r.start_s / 86_400);
    const key = `${String(day)}\u0000${r.namespace}\u0000${r.owner_kind}\u0000${r.owner_name}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = {
        cluster_id: r.cluster_id,
        day,
        namespace: r.namespace,
        owner_kind: r.owner_kind,
        owner_name: r.owner_name,
        ...NONE,
      };
      this.#rows.set(key, row);
    }
    addRecord(row, r);
  }

  /** The rows so far, then empty. */
  take(): UsageRollupRow[] {
    const rows = [...this.#rows.values()];
    this.#rows.clear();
    return rows;
  }
}

const GROUP: Record<UsageGroupBy, { columns: string; by: string }> = {
  namespace: { columns: `namespace, '' AS owner_kind, '' AS owner_name`, by: 'namespace' },
  workload: {
    columns: 'namespace, owner_kind, owner_name',
    by: 'namespace, owner_kind, owner_name',
  },
};

const WHERE = `cluster_id = @clusterId AND day >= @fromDay AND day < @toDay
  AND (@namespace IS NULL OR namespace = @namespace)
  AND (@ownerKind IS NULL OR (owner_kind = @ownerKind AND owner_name = @ownerName))`;

export function usageRollupTable(db: Database.Database): UsageRollupTable {
  const add = db.prepare<[UsageRollupRow]>(
    `INSERT INTO usage_rollup (cluster_id, day, namespace, owner_kind, owner_name, ${SUMMED.join(', ')})
     VALUES (@cluster_id, @day, @namespace, @owner_kind, @owner_name, ${SUMMED.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (cluster_id, day, namespace, owner_kind, owner_name) DO UPDATE SET
       ${SUMMED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  );
  const clear = db.prepare<[string]>('DELETE FROM usage_rollup WHERE cluster_id = ?');
  const rebuild = db.prepare<[string]>(
    `INSERT INTO usage_rollup (cluster_id, day, namespace, owner_kind, owner_name, ${SUMMED.join(', ')})
     SELECT cluster_id, start_s / 86400, namespace, owner_kind, owner_name,
       SUM(start_s = pod_start), COUNT(*), SUM(billed_seconds), SUM(cpu_milli * billed_seconds),
       SUM((memory_bytes / 1024) * billed_seconds), SUM(cost_micros),
       IFNULL(SUM(usage_cpu_milli_s), 0), IFNULL(SUM(usage_memory_kib_s), 0),
       IFNULL(SUM(usage_covered_s), 0), IFNULL(SUM(cpu_milli * usage_covered_s), 0),
       IFNULL(SUM((memory_bytes / 1024) * usage_covered_s), 0),
       SUM(usage_covered_s IS NULL OR usage_covered_s = 0)
     FROM usage_records WHERE cluster_id = ?
     GROUP BY start_s / 86400, namespace, owner_kind, owner_name`,
  );
  const statements = (by: UsageGroupBy) => ({
    groups: db.prepare(
      `SELECT ${GROUP[by].columns}, ${SUMMED.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
       FROM usage_rollup WHERE ${WHERE} GROUP BY ${GROUP[by].by}`,
    ),
    series: db.prepare(
      `SELECT day AS bucket, ${GROUP[by].columns}, SUM(cost_micros) AS cost
       FROM usage_rollup WHERE ${WHERE} GROUP BY day, ${GROUP[by].by}`,
    ),
  });
  const by = { namespace: statements('namespace'), workload: statements('workload') };
  const params = (f: UsageFilter, fromDay: number, toDay: number) => ({
    clusterId: f.clusterId,
    fromDay,
    toDay,
    namespace: f.namespace ?? null,
    ownerKind: f.owner?.kind ?? null,
    ownerName: f.owner?.name ?? null,
  });
  return {
    add(rows) {
      for (const row of rows) add.run(row);
    },
    rebuild(clusterId) {
      clear.run(clusterId);
      rebuild.run(clusterId);
    },
    groups: (f, fromDay, toDay, g) =>
      by[g].groups.all(params(f, fromDay, toDay)) as UsageGroupSums[],
    series: (f, fromDay, toDay, g) =>
      by[g].series.all(params(f, fromDay, toDay)) as ReturnType<UsageRollupTable['series']>,
  };
}
