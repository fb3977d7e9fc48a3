/**
 * Compaction in the cluster: chunks that the desktop acknowledged (`nodeless-ledger-ack`) and
 * whose records all ended more than `--retention-days` ago are folded into the daily totals
 * (cluster-runtime's compactLedger) and deleted, so the ledger stays bounded.
 *
 * Exactly once across crashes: totals are ADDED to, so folding a chunk twice would count it
 * twice. Each day's totals ConfigMap therefore records the highest chunk sequence folded into it
 * (annotation `nodeless.dev/ledger-folded-through`), only a contiguous run of chunks from the
 * oldest is compacted per pass, and a chunk's records are skipped for a day that already holds
 * them. A crash after some totals were written and before the chunks were deleted re-runs
 * without counting anything twice. Every write carries the resourceVersion it read.
 *
 * @see ../../cluster-runtime/src/metering/compact.ts
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  chunkAcknowledged,
  chunkName,
  compactLedger,
  RESOURCES,
  TOTALS_KEY,
  totalsToConfigMap,
  utcDay,
  type DailyTotal,
  type LedgerChunk,
} from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog } from './client.ts';
import type { LedgerStore } from './ledger-store.ts';

const CM = RESOURCES.configMaps;
export const FOLDED_THROUGH_ANNOTATION = 'nodeless.dev/ledger-folded-through';
/** Chunks folded per pass (each up to 1,000 records); the next pass takes the next run. */
const MAX_RUN = 50;

export interface CompactionDeps {
  client: MeterClient;
  store: LedgerStore;
  namespace: string;
  retentionSeconds: number;
  canWrite: () => boolean;
  log: MeterLog;
}

interface DayObject {
  totals: DailyTotal[];
  foldedThrough: number;
  resourceVersion?: string;
}

/** Parses a totals ConfigMap's lines (written by totalsToConfigMap); bad lines are an error. */
export function totalsFromConfigMap(cm: V1ConfigMap): DailyTotal[] {
  const text = cm.data?.[TOTALS_KEY] ?? '';
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((line, i) => {
      const t = JSON.parse(line) as DailyTotal;
      if (
        typeof t.day !== 'string' ||
        typeof t.namespace !== 'string' ||
        !Number.isSafeInteger(t.seconds)
      )
        throw new Error(`${cm.metadata?.name ?? ''} line ${i + 1}: not a daily total`);
      return t;
    });
}

/** One pass; returns the sequences removed. */
export async function compactOnce(deps: CompactionDeps, nowSeconds: number): Promise<number[]> {
  const { client, store, namespace, log } = deps;
  const acked = await store.readAck();
  if (!acked) return [];
  const cutoff = nowSeconds - deps.retentionSeconds;
  // The contiguous run of compactable chunks from the oldest (see the module comment), by the
  // extents the store keeps; their records are read here, at most MAX_RUN chunks a pass, so a
  // pass's memory is bounded too.
  const run: LedgerChunk[] = [];
  for (const c of store.chunks()) {
    if (run.length >= MAX_RUN || !chunkAcknowledged(c, acked) || c.maxTo > cutoff) break;
    const chunk = await store.read(c.seq);
    if (!chunk || chunk.records.some((r) => r.to > cutoff)) break;
    run.push(chunk);
  }
  if (run.length === 0) return [];
  const days = new Map<string, DayObject>();
  for (const day of new Set(run.flatMap((c) => c.records.map((r) => utcDay(r.from))))) {
    const cm = await client.get<V1ConfigMap>(
      CM,
      totalsToConfigMap(day, []).metadata?.name ?? '',
      namespace,
    );
    days.set(day, {
      totals: cm ? totalsFromConfigMap(cm) : [],
      foldedThrough: Number(cm?.metadata?.annotations?.[FOLDED_THROUGH_ANNOTATION] ?? -1),
      ...(cm?.metadata?.resourceVersion ? { resourceVersion: cm.metadata.resourceVersion } : {}),
    });
  }
  // Records a day already holds are left out of the fold.
  const fresh = run.map((c) => ({
    ...c,
    records: c.records.filter((r) => c.seq > (days.get(utcDay(r.from))?.foldedThrough ?? -1)),
  }));
  const allTotals = [...days.values()].flatMap((d) => d.totals);
  const result = compactLedger(fresh, allTotals, acked, nowSeconds, deps.retentionSeconds);
  const through = Math.max(...run.map((c) => c.seq));
  for (const day of result.changedDays) {
    if (!deps.canWrite()) return [];
    const old = days.get(day);
    const cm = totalsToConfigMap(day, result.totals, namespace);
    cm.metadata = {
      ...cm.metadata,
      annotations: { [FOLDED_THROUGH_ANNOTATION]: String(through) },
      ...(old?.resourceVersion ? { resourceVersion: old.resourceVersion } : {}),
    };
    if (old?.resourceVersion) await client.replace(CM, cm);
    else await client.create(CM, cm);
  }
  const removed: number[] = [];
  for (const c of run) {
    if (!deps.canWrite()) break;
    const rv = store.versionOf(c.seq);
    await client.delete(CM, chunkName(c.seq), namespace, rv ? { resourceVersion: rv } : {});
    removed.push(c.seq);
  }
  store.forget(removed);
  log('compacted', { chunks: removed.length, days: result.changedDays });
  return removed;
}
