/**
 * The desktop's side of the ledger (issue 15 "The ledger"): read the chunk ConfigMaps
 * (`nodeless.dev/ledger=records` in `nodeless-system`) from the stored cursor, validate each
 * with chunkFromConfigMap, upsert the records by (cluster, uid, segment) in batched
 * transactions that also store the cursor, then acknowledge the cursor in the cluster
 * (`nodeless-ledger-ack`, server-side apply under the app's field manager) so the meter may
 * compact what the desktop holds. The compacted daily totals are read too.
 *
 * Guarantees:
 * - syncing twice bills nothing twice: records are inserted only when their key is new, and the
 *   cursor is committed with them (a crash between the commit and the ack re-reads keys held);
 * - a chunk that does not parse is never half-billed: the chunks before it are committed, the
 *   cursor stops before it, and the sync fails naming it (LedgerFormatError's message);
 * - a cluster without the meter has no chunks: nothing is read, nothing is written, no error;
 * - a ledger started over (the meter reinstalled with its ledger deleted) is read again from
 *   the start, keys already held not billed again: told by every chunk's seq being below the
 *   cursor, or — once the new ledger's sequence numbers reach the cursor — by the anchor chunk
 *   (the last one read) answering with another uid. A chunk keeps its uid for life (appends and
 *   sealing update it; only compaction deletes it, and then the anchor is simply gone).
 *
 * Chunks are listed a page at a time (a full chunk is ≤ 512 KiB) and parsed at most two pages
 * ahead (chunk-stream.ts), so memory stays bounded by a few pages whatever the ledger's size.
 *
 * @see ../../../cluster-runtime/src/metering/ledger.ts — cursor and ack model
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import {
  type chunkFromConfigMap,
  formatCursor,
  LEDGER_ACK_KEY,
  LEDGER_ACK_LABEL_VALUE,
  LEDGER_ACK_NAME,
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  LEDGER_START,
  chunkName,
  type KubeClient,
  type LedgerCursor,
  type Prices,
} from '@nodeless/cluster-runtime';
import type { PackedRecords } from '../store/usage-record-columns.ts';
import type { LedgerAnchor, UsageSyncRow } from '../store/usage-sync.ts';
import { RollupAccumulator } from '../store/usage-rollup.ts';
import type { UsageSyncResult } from './contract.ts';
import { CONFIG_MAP, type LedgerSyncDeps } from './ledger-deps.ts';
import { chunkStream } from './chunk-stream.ts';
import { readTotals } from './totals.ts';

type ConfigMap = Parameters<typeof chunkFromConfigMap>[0];

export interface LedgerSyncOptions {
  /** Chunks per list page (default 20: ≤ 10 MiB of JSON). */
  pageSize?: number;
  /** Records per transaction (default 10,000: ten full chunks; only the last one fsyncs). */
  batchRecords?: number;
  /**
   * Where chunks are parsed: `auto` (default) on this thread for a sync of one page, in a worker
   * thread once there is a second page (chunk-parser.ts); `thread` always here.
   */
  parseIn?: 'auto' | 'thread';
  signal?: AbortSignal;
}

/** What a sync found besides its result: whether the cluster has a ledger at all. */
export interface LedgerSyncOutcome extends UsageSyncResult {
  /** Chunks seen in the cluster (0: no meter has written yet). */
  chunks: number;
  /** Totals ConfigMaps that did not parse (skipped). */
  badTotals: string[];
  /** Where the chunks were parsed (a worker thread once the ledger has a second page). */
  parsedIn: 'thread' | 'worker';
}

/**
 * Syncs the cluster's ledger into the tables and acknowledges it.
 *
 * @throws LedgerFormatError naming the chunk that does not parse (what came before is kept).
 */
export async function syncLedger(
  client: KubeClient,
  clusterId: string,
  prices: Prices,
  deps: LedgerSyncDeps,
  options: LedgerSyncOptions = {},
): Promise<LedgerSyncOutcome> {
  const stored = deps.tables.sync.get(clusterId);
  const start: LedgerCursor =
    stored && !(await anchorReplaced(client, stored, options.signal))
      ? { seq: stored.cursor_seq, offset: stored.cursor_offset }
      : LEDGER_START;
  let pass = await readChunks(client, clusterId, start, prices, deps, options);
  if (pass.chunks > 0 && pass.maxSeq < start.seq) {
    // Every chunk is below the cursor: the ledger started over (the meter was reinstalled).
    pass = await readChunks(client, clusterId, LEDGER_START, prices, deps, options);
  }
  const badTotals = await readTotals(client, clusterId, deps, options.signal);
  if (pass.chunks > 0) await acknowledge(client, pass.cursor, options.signal);
  deps.tables.sync.synced(clusterId, deps.clock().toISOString(), pass.read);
  return {
    read: pass.read,
    added: pass.added,
    cursor: formatCursor(pass.cursor),
    chunks: pass.chunks,
    badTotals,
    parsedIn: pass.parsedIn,
  };
}

interface Pass {
  read: number;
  added: number;
  cursor: LedgerCursor;
  anchor?: LedgerAnchor;
  chunks: number;
  maxSeq: number;
  parsedIn: 'thread' | 'worker';
}

/** True when the chunk the cursor was read from now has another uid: a new ledger. */
async function anchorReplaced(
  client: KubeClient,
  stored: UsageSyncRow,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (stored.anchor_seq === null || stored.anchor_uid === null) return false;
  const cm = await client.get<ConfigMap>(
    CONFIG_MAP,
    chunkName(stored.anchor_seq),
    LEDGER_NAMESPACE,
    signal,
  );
  return cm !== undefined && cm.metadata?.uid !== stored.anchor_uid;
}

async function readChunks(
  client: KubeClient,
  clusterId: string,
  from: LedgerCursor,
  prices: Prices,
  deps: LedgerSyncDeps,
  options: LedgerSyncOptions,
): Promise<Pass> {
  const batch = options.batchRecords ?? 10_000;
  const pass: Pass = {
    read: 0,
    added: 0,
    cursor: from,
    chunks: 0,
    maxSeq: -1,
    parsedIn: 'thread',
  };
  let pending: PackedRecords[] = [];
  let pendingCount = 0;
  let committed = from;
  // Batches commit without an fsync; the last commit is durable and syncs the WAL with every
  // batch before it, so what the ack tells the meter it may compact is on disk first.
  let onDisk = true;
  // A large sync (more than a page of chunks: parsed in the worker) drops the pod index after
  // its first batch that adds records and builds it in its last, durable one.
  let indexDeferred = false;
  const commit = (durable: boolean) => {
    const rows = pending;
    const cursor = pass.cursor;
    const anchor = pass.anchor;
    pending = [];
    pendingCount = 0;
    deps.transaction(
      () => {
        const rollup = new RollupAccumulator();
        const added = deps.tables.records.insertNew(rows, (row) => rollup.add(row));
        pass.added += added;
        // Deferred once a batch of a large sync proves new (a re-read of held keys adds none
        // and keeps the index).
        if (pass.parsedIn === 'worker' && !indexDeferred && added > 0) {
          deps.tables.records.deferPodIndex();
          indexDeferred = true;
        }
        deps.tables.rollup.add(rollup.take());
        deps.tables.sync.setCursor(clusterId, cursor.seq, cursor.offset, anchor);
        if (durable && indexDeferred) {
          deps.tables.records.buildPodIndex();
          indexDeferred = false;
        }
      },
      { durable },
    );
    committed = cursor;
    onDisk = durable;
  };
  const chunks = chunkStream(client, clusterId, prices, from, {
    pageSize: options.pageSize ?? 20,
    parseIn: options.parseIn ?? 'auto',
    signal: options.signal,
    onWorker: () => {
      pass.parsedIn = 'worker';
    },
  });
  try {
    for await (const chunk of chunks) {
      pass.chunks++;
      pass.maxSeq = Math.max(pass.maxSeq, chunk.seq);
      if (chunk.seq < pass.cursor.seq) continue;
      pending.push(chunk.rows);
      pendingCount += chunk.rows.count;
      pass.read += chunk.rows.count;
      pass.cursor = chunk.cursor;
      if (chunk.uid) pass.anchor = { seq: chunk.seq, uid: chunk.uid };
      if (pendingCount >= batch) commit(false);
    }
  } finally {
    // What was read before a failure is whole chunks: keep it (and its cursor).
    if (pendingCount > 0 || committed !== pass.cursor || !onDisk || indexDeferred) commit(true);
  }
  return pass;
}

/** Writes the ack unless the cluster already holds this cursor. */
async function acknowledge(
  client: KubeClient,
  cursor: LedgerCursor,
  signal: AbortSignal | undefined,
): Promise<void> {
  const text = formatCursor(cursor);
  const current = await client.get<ConfigMap>(
    CONFIG_MAP,
    LEDGER_ACK_NAME,
    LEDGER_NAMESPACE,
    signal,
  );
  if (current?.data?.[LEDGER_ACK_KEY] === text) return;
  await client.apply<ConfigMap>(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: LEDGER_ACK_NAME,
        namespace: LEDGER_NAMESPACE,
        labels: { [LEDGER_LABEL]: LEDGER_ACK_LABEL_VALUE },
      },
      data: { [LEDGER_ACK_KEY]: text },
    },
    signal ? { signal } : {},
  );
}
