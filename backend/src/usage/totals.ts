/**
 * The compacted daily totals (`nodeless-ledger-totals-<day>`, label `nodeless.dev/ledger=totals`,
 * written by the meter's compaction, cluster-runtime/src/metering/compact.ts): read at every sync
 * into `usage_daily_totals`, one day at a time (the ConfigMap holds the whole day, so its rows
 * replace the day's). A ConfigMap that does not parse is skipped and named in the error; the
 * records' sync is not held up by it (totals only stand in for days without records).
 *
 * @see ../store/usage-daily-totals.ts
 */
import {
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  TOTALS_KEY,
  type DailyTotal,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { z } from 'zod';
import type { UsageDailyTotalRow } from '../store/usage-daily-totals.ts';
import { CONFIG_MAP, type LedgerSyncDeps } from './ledger-deps.ts';

type ConfigMap = {
  metadata?: { name?: string };
  data?: Record<string, string>;
};

const int = z.number().int().nonnegative();
const totalSchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  namespace: z.string(),
  owner: z.object({ kind: z.string(), name: z.string() }).optional(),
  records: int,
  podsEnded: int,
  seconds: int,
  specCpuMilliSeconds: int,
  specMemoryKiBSeconds: int,
  usageCpuMilliSeconds: int,
  usageMemoryKiBSeconds: int,
  usageCoveredSeconds: int,
  usageMissingSeconds: int,
});

const TOTALS_PREFIX = 'nodeless-ledger-totals-';

function row(clusterId: string, t: DailyTotal): UsageDailyTotalRow {
  return {
    cluster_id: clusterId,
    day: t.day,
    namespace: t.namespace,
    owner_kind: t.owner?.kind ?? '',
    owner_name: t.owner?.name ?? '',
    records: t.records,
    pods_ended: t.podsEnded,
    seconds: t.seconds,
    spec_cpu_milli_s: t.specCpuMilliSeconds,
    spec_memory_kib_s: t.specMemoryKiBSeconds,
    usage_cpu_milli_s: t.usageCpuMilliSeconds,
    usage_memory_kib_s: t.usageMemoryKiBSeconds,
    usage_covered_s: t.usageCoveredSeconds,
    usage_missing_s: t.usageMissingSeconds,
  };
}

/** Parses one totals ConfigMap; throws when it is not one. */
function parse(cm: ConfigMap, clusterId: string): { day: string; rows: UsageDailyTotalRow[] } {
  const name = cm.metadata?.name ?? '';
  const day = name.startsWith(TOTALS_PREFIX) ? name.slice(TOTALS_PREFIX.length) : '';
  const rows: UsageDailyTotalRow[] = [];
  for (const line of (cm.data?.[TOTALS_KEY] ?? '').split('\n')) {
    if (line === '') continue;
    const t = totalSchema.parse(JSON.parse(line)) as DailyTotal;
    if (t.day !== day) throw new Error(`a total of ${t.day} in the ConfigMap of ${day}`);
    rows.push(row(clusterId, t));
  }
  return { day, rows };
}

/** Reads every totals ConfigMap into the tables; returns the names that did not parse. */
export async function readTotals(
  client: KubeClient,
  clusterId: string,
  deps: LedgerSyncDeps,
  signal?: AbortSignal,
): Promise<string[]> {
  const list = await client.list<ConfigMap & { apiVersion?: string; kind?: string }>(CONFIG_MAP, {
    namespace: LEDGER_NAMESPACE,
    labelSelector: `${LEDGER_LABEL}=totals`,
    ...(signal ? { signal } : {}),
  });
  const bad: string[] = [];
  const days: { day: string; rows: UsageDailyTotalRow[] }[] = [];
  for (const cm of list.items) {
    try {
      days.push(parse(cm, clusterId));
    } catch {
      bad.push(cm.metadata?.name ?? '(unnamed)');
    }
  }
  if (days.length > 0) {
    deps.transaction(() => {
      for (const d of days) deps.tables.totals.replaceDay(clusterId, d.day, d.rows);
    });
  }
  return bad;
}
