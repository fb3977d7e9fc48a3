/**
 * The ledger in the cluster: chunk ConfigMaps (format: cluster-runtime's ledger-configmap.ts),
 * the meter's watermark and the desktop's ack. Reads every chunk at start, appends through
 * `appendRecords` (which dedupes by (uid, segment) and seals full chunks), and writes each
 * changed chunk as a create or as an update carrying the resourceVersion it read — so a second
 * writer (a replica that still believes it leads) cannot overwrite: the API server answers 409,
 * and the store re-reads every chunk and appends again (the records already there dedupe away).
 * A sealed chunk is written once more with `immutable: true` and never again.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable
 * @see ../../cluster-runtime/src/metering/ledger.ts
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  appendRecords,
  chunkFromConfigMap,
  chunkToConfigMap,
  DEFAULT_LEDGER_LIMITS,
  isConflict,
  LEDGER_ACK_KEY,
  LEDGER_ACK_NAME,
  LEDGER_LABEL,
  LEDGER_SEQ_ANNOTATION,
  LEDGER_STATE_LABEL_VALUE,
  METER_STATE_NAME,
  METER_WATERMARK_KEY,
  parseCursor,
  RESOURCES,
  type LedgerChunk,
  type LedgerCursor,
  type LedgerLimits,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog } from './client.ts';

const CM = RESOURCES.configMaps;
/** Re-reads after a 409 before an append gives up (and is retried by the caller's next round). */
const MAX_ATTEMPTS = 5;
const PAGE = 50;

/** Thrown instead of writing when this replica does not hold the Lease. */
export class NotLeaderError extends Error {
  constructor() {
    super('not the leader: the ledger is not written');
    this.name = 'NotLeaderError';
  }
}

export interface LedgerStoreDeps {
  client: MeterClient;
  namespace: string;
  /** Checked before every write: a replica that lost the Lease stops writing at once. */
  canWrite: () => boolean;
  log: MeterLog;
  limits?: LedgerLimits;
}

export interface AppendOutcome {
  appended: number;
  duplicates: number;
  /** Sequence numbers written. */
  written: number[];
}

export interface LedgerStore {
  /** Reads every chunk (paged); call at start and whenever this replica becomes the leader. */
  load(): Promise<void>;
  chunks(): readonly LedgerChunk[];
  /** resourceVersion of a chunk as last read or written. */
  versionOf(seq: number): string | undefined;
  /** Forgets removed chunks (after compaction deleted them). */
  forget(seqs: readonly number[]): void;
  append(records: readonly LedgerRecord[]): Promise<AppendOutcome>;
  /** The watermark (epoch seconds), undefined before the first flush. */
  readWatermark(): Promise<number | undefined>;
  writeWatermark(seconds: number): Promise<void>;
  /** The desktop's acknowledged cursor, undefined before its first sync. */
  readAck(): Promise<LedgerCursor | undefined>;
}

export function createLedgerStore(deps: LedgerStoreDeps): LedgerStore {
  const { client, namespace, log } = deps;
  const limits = deps.limits ?? DEFAULT_LEDGER_LIMITS;
  let chunks: LedgerChunk[] = [];
  let versions = new Map<number, string>();
  /** A write failed halfway (or not knowing whether it landed): re-read before the next append. */
  let stale = true;

  const guard = () => {
    if (!deps.canWrite()) throw new NotLeaderError();
  };

  async function load(): Promise<void> {
    const read: LedgerChunk[] = [];
    const rvs = new Map<number, string>();
    let cont: string | undefined;
    do {
      const page = await client.list<V1ConfigMap>(CM, {
        namespace,
        labelSelector: `${LEDGER_LABEL}=records`,
        limit: PAGE,
        ...(cont ? { continue: cont } : {}),
      });
      for (const cm of page.items) {
        // A chunk that does not parse is left alone (never overwritten): the desktop reports
        // it by name and line. Its sequence is still taken, so nothing is appended over it.
        let chunk: LedgerChunk;
        try {
          chunk = chunkFromConfigMap(cm);
        } catch (e) {
          log('ledger-chunk-unreadable', { message: e instanceof Error ? e.message : String(e) });
          const seq = Number(cm.metadata?.annotations?.[LEDGER_SEQ_ANNOTATION]);
          if (!Number.isSafeInteger(seq)) continue;
          chunk = { seq, records: [], bytes: 0, sealed: true };
        }
        read.push(chunk);
        rvs.set(chunk.seq, cm.metadata?.resourceVersion ?? '');
      }
      cont = page.continue;
    } while (cont);
    chunks = read.sort((a, b) => a.seq - b.seq);
    versions = rvs;
    stale = false;
  }

  async function writeChunk(chunk: LedgerChunk): Promise<void> {
    guard();
    const cm = chunkToConfigMap(chunk, namespace);
    const rv = versions.get(chunk.seq);
    const written =
      rv === undefined
        ? await client.create(CM, cm)
        : await client.replace(CM, { ...cm, metadata: { ...cm.metadata, resourceVersion: rv } });
    versions.set(chunk.seq, written.metadata?.resourceVersion ?? '');
  }

  async function append(records: readonly LedgerRecord[]): Promise<AppendOutcome> {
    for (let attempt = 1; ; attempt++) {
      guard();
      if (stale) await load();
      const result = appendRecords(chunks, records, limits);
      const bySeq = new Map(result.chunks.map((c) => [c.seq, c]));
      try {
        stale = true;
        for (const seq of result.written) await writeChunk(bySeq.get(seq) as LedgerChunk);
        chunks = result.chunks;
        stale = false;
        const appended = records.length - result.duplicates;
        return { appended, duplicates: result.duplicates, written: result.written };
      } catch (e) {
        // 409: a chunk changed since we read it (another writer), or a chunk we meant to create
        // exists. Re-read and append again; records already written dedupe by key.
        if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
        log('ledger-conflict', { attempt, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  async function readState(): Promise<V1ConfigMap | undefined> {
    return client.get<V1ConfigMap>(CM, METER_STATE_NAME, namespace);
  }

  return {
    load,
    chunks: () => chunks,
    versionOf: (seq) => versions.get(seq),
    forget(seqs) {
      const gone = new Set(seqs);
      chunks = chunks.filter((c) => !gone.has(c.seq));
      for (const s of seqs) versions.delete(s);
    },
    append,
    async readWatermark() {
      const text = (await readState())?.data?.[METER_WATERMARK_KEY];
      const n = Number(text);
      return text !== undefined && /^\d+$/.test(text) && Number.isSafeInteger(n) ? n : undefined;
    },
    async writeWatermark(seconds) {
      guard();
      const old = await readState();
      const cm: V1ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: METER_STATE_NAME,
          namespace,
          labels: { [LEDGER_LABEL]: LEDGER_STATE_LABEL_VALUE },
          ...(old?.metadata?.resourceVersion
            ? { resourceVersion: old.metadata.resourceVersion }
            : {}),
        },
        data: { ...(old?.data ?? {}), [METER_WATERMARK_KEY]: String(seconds) },
      };
      // Never move the watermark back (a stale leader's late write must not re-open hours).
      const before = Number(old?.data?.[METER_WATERMARK_KEY] ?? Number.NaN);
      if (Number.isFinite(before) && before >= seconds) return;
      guard();
      if (old) await client.replace(CM, cm);
      else await client.create(CM, cm);
    },
    async readAck() {
      const cm = await client.get<V1ConfigMap>(CM, LEDGER_ACK_NAME, namespace);
      const text = cm?.data?.[LEDGER_ACK_KEY];
      return text === undefined ? undefined : parseCursor(text);
    },
  };
}
