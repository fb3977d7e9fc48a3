/**
 * Data access for `usage_records`: the ledger's hourly records synced from each cluster, rated
 * (billed seconds, cost in micro-units) at the prices in effect. Why rated at sync and how the
 * bill's queries stay fast: see migrations/007_usage.ts; how the rows are stored (in hour order)
 * and why: migrations/008_usage_records_by_hour.ts.
 *
 * Ranges are half-open `[from, to)` on the record's `start_s` (its `from`): records never span a
 * UTC hour, so an hour-aligned range takes whole records and nothing is cut in two. Every range
 * query also bounds the segment (the hour a record lies in), which is how SQLite finds the rows:
 * the table's key starts (cluster_id, segment). The sync's write path: usage-record-insert.ts.
 *
 * @see https://www.sqlite.org/queryplanner.html#covering_indexes
 */
import { SEGMENT_SECONDS } from '@nodeless/cluster-runtime';
import type Database from 'better-sqlite3';
import type { PackedRecords } from './usage-record-columns.ts';
import { recordInserter } from './usage-record-insert.ts';

export interface UsageRecordRow {
  cluster_id: string;
  uid: string;
  segment: number;
  namespace: string;
  name: string;
  /** '' for a bare pod. */
  owner_kind: string;
  owner_name: string;
  /** JSON object, or null without labels. */
  labels: string | null;
  cpu_milli: number;
  memory_bytes: number;
  spec_source: string | null;
  runtime_class: string | null;
  overhead_cpu_milli: number | null;
  overhead_memory_bytes: number | null;
  pod_start: number;
  start_s: number;
  end_s: number;
  final: 0 | 1;
  /** Null when the record's usage is missing. */
  usage_cpu_milli_s: number | null;
  usage_memory_kib_s: number | null;
  usage_covered_s: number | null;
  billed_seconds: number;
  cost_micros: number;
}

/** What rating needs of a record (and where the result goes). */
export type RatingRow = Pick<
  UsageRecordRow,
  | 'uid'
  | 'segment'
  | 'cpu_milli'
  | 'memory_bytes'
  | 'overhead_cpu_milli'
  | 'overhead_memory_bytes'
  | 'pod_start'
  | 'start_s'
  | 'end_s'
  | 'final'
>;

/**
 * The sums a row's efficiency is computed from (../usage/efficiency.ts): declared here, with the
 * queries that produce them, so the group sums and the efficiency math share one shape.
 */
export interface UsageEfficiencySums {
  usage_cpu_milli_s: number;
  usage_memory_kib_s: number;
  usage_covered_s: number;
  /** Σ spec × covered seconds over the records with usage: the ratio's denominator. */
  covered_cpu_milli_s: number;
  covered_memory_kib_s: number;
  /** Records without usage. */
  missing: number;
}

/** Sums of one group (namespace, workload or pod) over a range. */
export interface UsageGroupSums extends UsageEfficiencySums {
  namespace: string;
  owner_kind: string;
  owner_name: string;
  pods: number;
  records: number;
  seconds: number;
  spec_cpu_milli_s: number;
  spec_memory_kib_s: number;
  cost_micros: number;
}

export interface UsagePodSums extends UsageGroupSums {
  uid: string;
  name: string;
  cpu_milli: number;
  memory_bytes: number;
  runtime_class: string | null;
  pod_start: number;
  first_s: number;
  last_s: number;
  /** The pod's end (its final record's `to`, wherever that lies), or null while it runs. */
  ended_at: number | null;
}

export interface UsageHourSums {
  hour: number;
  cpu_milli_s: number;
  memory_kib_s: number;
  overhead_cpu_milli_s: number;
  overhead_memory_kib_s: number;
}

export interface UsageFilter {
  clusterId: string;
  from: number;
  to: number;
  namespace?: string | undefined;
  /** Owner kind and name; both '' = the namespace's bare pods. */
  owner?: { kind: string; name: string } | undefined;
}

export type UsageGroupBy = 'namespace' | 'workload';

export interface UsageRecordsTable {
  /**
   * Inserts the batch's records not held yet; returns how many were new, each told to `onNew`
   * (a view valid until `onNew` returns). Run inside a transaction.
   */
  insertNew(batch: readonly PackedRecords[], onNew?: (row: UsageRecordRow) => void): number;
  /**
   * Drops the index of one pod's records, for a large sync to build it once at its end
   * ({@link buildPodIndex}) instead of inserting a million random UIDs into it one by one.
   * Queries stay right without it, only one pod's lookup is slower. In a transaction.
   */
  deferPodIndex(): void;
  /** Builds the pod index when missing (after a large sync, or a crash in one). */
  buildPodIndex(): void;
  /**
   * Pods running at `hour` (epoch seconds of an hour boundary) that started before it, per
   * group: with the first records in a range (start_s = pod_start), the range's pods.
   */
  running(filter: UsageFilter, by: UsageGroupBy, hour: number): UsageGroupSums[];
  /** Up to `limit` records of a cluster as rating sees them, in key order after `after`. */
  ratingPage(
    clusterId: string,
    after: { uid: string; segment: number } | undefined,
    limit: number,
  ): RatingRow[];
  setRating(clusterId: string, uid: string, segment: number, billed: number, cost: number): void;
  groups(filter: UsageFilter, by: UsageGroupBy): UsageGroupSums[];
  pods(filter: UsageFilter): UsagePodSums[];
  /** Cost per bucket (start_s ÷ bucketSeconds) and group. */
  series(
    filter: UsageFilter,
    by: UsageGroupBy,
    bucketSeconds: number,
  ): { bucket: number; namespace: string; owner_kind: string; owner_name: string; cost: number }[];
  /** Spec and overhead × seconds per UTC hour (not the minimum's top-ups: idle is capacity). */
  hours(filter: UsageFilter): UsageHourSums[];
  /** The records of one pod, by segment. */
  pod(clusterId: string, uid: string): UsageRecordRow[];
  /** Earliest start and latest end held. */
  history(clusterId: string): { from: number; to: number } | undefined;
  /** UTC days (epoch seconds ÷ 86,400) with at least one record in the range. */
  days(filter: Pick<UsageFilter, 'clusterId' | 'from' | 'to'>): Set<number>;
  count(clusterId: string): number;
}

/** The sums every grouping shares (KiB from bytes per record, as idle and compaction count). */
const SUMS = `
  SUM(start_s = pod_start) AS pods,
  COUNT(*) AS records,
  SUM(billed_seconds) AS seconds,
  SUM(cpu_milli * billed_seconds) AS spec_cpu_milli_s,
  SUM((memory_bytes / 1024) * billed_seconds) AS spec_memory_kib_s,
  SUM(cost_micros) AS cost_micros,
  IFNULL(SUM(usage_cpu_milli_s), 0) AS usage_cpu_milli_s,
  IFNULL(SUM(usage_memory_kib_s), 0) AS usage_memory_kib_s,
  IFNULL(SUM(usage_covered_s), 0) AS usage_covered_s,
  IFNULL(SUM(cpu_milli * usage_covered_s), 0) AS covered_cpu_milli_s,
  IFNULL(SUM((memory_bytes / 1024) * usage_covered_s), 0) AS covered_memory_kib_s,
  SUM(usage_covered_s IS NULL OR usage_covered_s = 0) AS missing`;

const WHERE = `cluster_id = @clusterId
  AND segment >= @fromSegment AND segment < @toSegment AND start_s >= @from AND start_s < @to
  AND (@namespace IS NULL OR namespace = @namespace)
  AND (@ownerKind IS NULL OR (owner_kind = @ownerKind AND owner_name = @ownerName))`;

const GROUP_COLUMNS: Record<UsageGroupBy, string> = {
  namespace: `namespace, '' AS owner_kind, '' AS owner_name`,
  workload: 'namespace, owner_kind, owner_name',
};
const GROUP_BY: Record<UsageGroupBy, string> = {
  namespace: 'namespace',
  workload: 'namespace, owner_kind, owner_name',
};

/** Efficiency sums of nothing (efficiency missing). */
export const NO_EFFICIENCY_SUMS: UsageEfficiencySums = {
  usage_cpu_milli_s: 0,
  usage_memory_kib_s: 0,
  usage_covered_s: 0,
  covered_cpu_milli_s: 0,
  covered_memory_kib_s: 0,
  missing: 0,
};

/** A group's sums before anything is added. */
export const NONE: Omit<UsageGroupSums, 'namespace' | 'owner_kind' | 'owner_name'> = {
  pods: 0,
  records: 0,
  seconds: 0,
  spec_cpu_milli_s: 0,
  spec_memory_kib_s: 0,
  cost_micros: 0,
  ...NO_EFFICIENCY_SUMS,
};

/**
 * The segments holding the records that start in [from, to): a record's start lies in its
 * segment's hour, so from's hour up to the hour containing to − 1. Integers computed here:
 * bound JS numbers reach SQLite as REALs, whose division would not floor.
 */
function segments(from: number, to: number): { fromSegment: number; toSegment: number } {
  return {
    fromSegment: Math.floor(from / SEGMENT_SECONDS),
    toSegment: Math.ceil(to / SEGMENT_SECONDS),
  };
}

function params(f: UsageFilter) {
  return {
    clusterId: f.clusterId,
    from: f.from,
    to: f.to,
    ...segments(f.from, f.to),
    namespace: f.namespace ?? null,
    ownerKind: f.owner?.kind ?? null,
    ownerName: f.owner?.name ?? null,
  };
}

/**
 * A pod's last segment (its final record's, once it ended). One pod's records are found through
 * its segments: SQLite's planner, without statistics, may prefer scanning the cluster's key range
 * to a secondary index, but takes the pod index when it covers the subquery (uid and segment),
 * and then each row by the full key. Without the index (a large sync defers it) the same queries
 * are right, only slower.
 */
const LAST_SEGMENT = `SELECT MAX(f.segment) FROM usage_records f
  WHERE f.cluster_id = @clusterId AND f.uid = r.uid`;

export function usageRecordsTable(db: Database.Database): UsageRecordsTable {
  const inserter = recordInserter(db);
  // Keyset pages (row values): a statement being iterated keeps the connection busy, so the
  // re-rate reads a page, updates it, and reads the next.
  const ratingPage = db.prepare<[string, number, string, number], RatingRow>(
    `SELECT uid, segment, cpu_milli, memory_bytes, overhead_cpu_milli, overhead_memory_bytes,
            pod_start, start_s, end_s, final
     FROM usage_records WHERE cluster_id = ? AND (segment, uid) > (?, ?)
     ORDER BY segment, uid LIMIT ?`,
  );
  const setRating = db.prepare<[number, number, string, number, string]>(
    `UPDATE usage_records SET billed_seconds = ?, cost_micros = ?
     WHERE cluster_id = ? AND segment = ? AND uid = ?`,
  );
  const groups = Object.fromEntries(
    (['namespace', 'workload'] as const).map((by) => [
      by,
      db.prepare<[ReturnType<typeof params>], UsageGroupSums>(
        `SELECT ${GROUP_COLUMNS[by]}, ${SUMS} FROM usage_records
         WHERE ${WHERE} GROUP BY ${GROUP_BY[by]}`,
      ),
    ]),
  ) as Record<UsageGroupBy, Database.Statement<[ReturnType<typeof params>], UsageGroupSums>>;
  const running = Object.fromEntries(
    (['namespace', 'workload'] as const).map((by) => [
      by,
      db.prepare<
        [ReturnType<typeof params> & { hour: number; hourSegment: number }],
        UsageGroupSums
      >(
        `SELECT ${GROUP_COLUMNS[by]}, COUNT(*) AS pods FROM usage_records
         WHERE ${WHERE} AND segment = @hourSegment AND start_s = @hour AND pod_start < @hour GROUP BY ${GROUP_BY[by]}`,
      ),
    ]),
  ) as Record<
    UsageGroupBy,
    Database.Statement<
      [ReturnType<typeof params> & { hour: number; hourSegment: number }],
      UsageGroupSums
    >
  >;
  const pods = db.prepare<[ReturnType<typeof params>], UsagePodSums>(
    `SELECT uid, MIN(namespace) AS namespace, MIN(name) AS name, MIN(owner_kind) AS owner_kind,
            MIN(owner_name) AS owner_name, MIN(cpu_milli) AS cpu_milli,
            MIN(memory_bytes) AS memory_bytes, MIN(runtime_class) AS runtime_class,
            MIN(pod_start) AS pod_start, MIN(start_s) AS first_s, MAX(end_s) AS last_s,
            (SELECT g.end_s FROM usage_records g
               WHERE g.cluster_id = @clusterId AND g.uid = r.uid AND g.final = 1
                 AND g.segment = (${LAST_SEGMENT})) AS ended_at,
            ${SUMS}
     FROM usage_records r WHERE ${WHERE} GROUP BY uid`,
  );
  // Bound JS numbers are REALs to SQLite: the bucket size is cast so the division is integral.
  const series = Object.fromEntries(
    (['namespace', 'workload'] as const).map((by) => [
      by,
      db.prepare(
        `SELECT start_s / CAST(@bucket AS INTEGER) AS bucket, ${GROUP_COLUMNS[by]}, SUM(cost_micros) AS cost
         FROM usage_records WHERE ${WHERE} GROUP BY bucket, ${GROUP_BY[by]}`,
      ),
    ]),
  ) as Record<UsageGroupBy, Database.Statement>;
  const hours = db.prepare<[ReturnType<typeof params>], UsageHourSums>(
    `SELECT start_s / 3600 AS hour,
            SUM(cpu_milli * (end_s - start_s)) AS cpu_milli_s,
            SUM((memory_bytes / 1024) * (end_s - start_s)) AS memory_kib_s,
            IFNULL(SUM(overhead_cpu_milli * (end_s - start_s)), 0) AS overhead_cpu_milli_s,
            IFNULL(SUM((overhead_memory_bytes / 1024) * (end_s - start_s)), 0)
              AS overhead_memory_kib_s
     FROM usage_records WHERE ${WHERE} GROUP BY hour ORDER BY hour`,
  );
  const pod = db.prepare<{ clusterId: string; uid: string }, UsageRecordRow>(
    `SELECT * FROM usage_records WHERE cluster_id = @clusterId AND uid = @uid AND segment IN
       (SELECT segment FROM usage_records WHERE cluster_id = @clusterId AND uid = @uid)
     ORDER BY segment`,
  );
  // The earliest start is in the first segment held and the latest end in the last (a record
  // ends inside its segment's hour): two seeks instead of a scan.
  const history = db.prepare<{ clusterId: string }, { from: number | null; to: number | null }>(
    `SELECT
       (SELECT MIN(start_s) FROM usage_records WHERE cluster_id = @clusterId AND segment =
          (SELECT MIN(segment) FROM usage_records WHERE cluster_id = @clusterId)) AS "from",
       (SELECT MAX(end_s) FROM usage_records WHERE cluster_id = @clusterId AND segment =
          (SELECT MAX(segment) FROM usage_records WHERE cluster_id = @clusterId)) AS "to"`,
  );
  const days = db.prepare<
    { clusterId: string; from: number; to: number; fromSegment: number; toSegment: number },
    { day: number }
  >(
    `SELECT DISTINCT start_s / 86400 AS day FROM usage_records
     WHERE cluster_id = @clusterId AND segment >= @fromSegment AND segment < @toSegment
       AND start_s >= @from AND start_s < @to`,
  );
  const count = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM usage_records WHERE cluster_id = ?',
  );
  return {
    ...inserter,
    running: (filter, by, hour) =>
      running[by]
        .all({ ...params(filter), hour, hourSegment: Math.floor(hour / SEGMENT_SECONDS) })
        .map((r) => ({ ...NONE, ...r })),
    ratingPage: (clusterId, after, limit) =>
      ratingPage.all(clusterId, after?.segment ?? -1, after?.uid ?? '', limit),
    setRating: (clusterId, uid, segment, billed, cost) =>
      void setRating.run(billed, cost, clusterId, segment, uid),
    groups: (filter, by) => groups[by].all(params(filter)),
    pods: (filter) => pods.all(params(filter)),
    series: (filter, by, bucketSeconds) =>
      series[by].all({ ...params(filter), bucket: bucketSeconds }) as ReturnType<
        UsageRecordsTable['series']
      >,
    hours: (filter) => hours.all(params(filter)),
    pod: (clusterId, uid) => pod.all({ clusterId, uid }),
    history(clusterId) {
      const h = history.get({ clusterId });
      return h?.from == null || h.to == null ? undefined : { from: h.from, to: h.to };
    },
    days: ({ clusterId, from, to }) =>
      new Set(days.all({ clusterId, from, to, ...segments(from, to) }).map((d) => d.day)),
    count: (clusterId) => count.get(clusterId)?.n ?? 0,
  };
}
