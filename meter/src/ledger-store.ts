/**
 * The ledger in the cluster: chunk ConfigMaps (format: cluster-runtime's ledger-configmap.ts),
 * the meter's watermark and the desktop's ack. Reads every chunk at start (in pages), appends
 * through `appendToTail` (which dedupes by (uid, segment) and seals full chunks), and writes each
 * changed chunk as a create or as an update carrying the resourceVersion it read — so a second
 * writer (a replica that still believes it leads) cannot overwrite: the API server answers 409,
 * and the store re-reads every chunk and appends again (the records already there dedupe away).
 * A sealed chunk is written once more with `immutable: true` and never again.
 *
 * Memory does not grow with the ledger (35 days of chunks): it holds the open tail chunk, the
 * extent of every other chunk (seq, count, latest `to`: what compaction selects by; it reads
 * the records of the chunks it folds itself, {@link LedgerStore.read}), and the keys of only the
 * records that can still be emitted again. The recorder asks segmentsOf only for records with
 * `to > watermark` (cluster-runtime's record.ts: `if (to > writtenThrough)`, and `start >
 * writtenThrough` for a zero-length life) with the watermark it read after {@link
 * LedgerStore.load} or the one it just wrote; the watermark never moves back. So the keys of
 * records with `to <= watermark` are dropped: at load (the watermark is read before the chunks,
 * so it is at most the recorder's) and when the watermark is written.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable
 * @see ../../cluster-runtime/src/metering/ledger.ts
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  appendToTail,
  chunkExtent,
  chunkName,
  chunkFromConfigMap,
  chunkTextToConfigMap,
  DEFAULT_LEDGER_LIMITS,
  isConflict,
  LEDGER_ACK_KEY,
  LEDGER_ACK_NAME,
  LEDGER_LABEL,
  LEDGER_SEQ_ANNOTATION,
  listPages,
  METER_STATE_NAME,
  METER_WATERMARK_KEY,
  parseCursor,
  recordKey,
  recordLine,
  RESOURCES,
  stateConfigMap,
  type ChunkExtent,
  type LedgerChunk,
  type LedgerCursor,
  type LedgerLimits,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import type { MeterClient, MeterLog } from './client.ts';

const CM = RESOURCES.configMaps;
/** Re-reads after a 409 before an append gives up (and is retried by the caller's next round). */
const MAX_ATTEMPTS = 5;
/**
 * Chunks per list page at load: a chunk is at most 512 KiB of JSON lines, so ~2 MiB a page. Small
 * pages keep what survives a scavenge (the page in flight) small, so the takeover peak stays low.
 */
const PAGE = 4;

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
  /** Extent of every chunk, ascending by seq (records are not kept in memory). */
  chunks(): readonly ChunkExtent[];
  /** One chunk's records as stored now (compaction); unreadable chunks read as empty. */
  read(seq: number): Promise<LedgerChunk | undefined>;
  /** Records held in memory (the tail's) and dedupe keys held: bounded by the window. */
  held(): { tailRecords: number; keys: number };
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
  /** Every chunk but the open tail, ascending by seq. */
  let extents: ChunkExtent[] = [];
  /** The last chunk while it is open (the only records kept). */
  let tail: LedgerChunk | undefined;
  /**
   * The tail's JSON lines as written (chunkTextToConfigMap): extended by each append's new lines,
   * so a write serialises only what it adds, not the up to 1,000 records already there.
   */
  let tailText = '';
  let versions = new Map<number, string>();
  /** recordKey → `to` of records that can still be emitted again (`to > window`). */
  let keys = new Map<string, number>();
  /** The watermark the keys were windowed by; undefined: none yet, every key is kept. */
  let window: number | undefined;
  /** A write failed halfway (or not knowing whether it landed): re-read before the next append. */
  let stale = true;

  const guard = () => {
    if (!deps.canWrite()) throw new NotLeaderError();
  };
  const inWindow = (to: number) => window === undefined || to > window;

  // A chunk that does not parse is left alone (never overwritten): the desktop reports it by
  // name and line. Its sequence is still taken, so nothing is appended over it.
  function parse(cm: V1ConfigMap): LedgerChunk | undefined {
    try {
      return chunkFromConfigMap(cm);
    } catch (e) {
      log('ledger-chunk-unreadable', { message: e instanceof Error ? e.message : String(e) });
      const seq = Number(cm.metadata?.annotations?.[LEDGER_SEQ_ANNOTATION]);
      return Number.isSafeInteger(seq) ? { seq, records: [], bytes: 0, sealed: true } : undefined;
    }
  }

  async function load(): Promise<void> {
    // The watermark first: a later one (another writer) only narrows what may be re-emitted.
    const mark = await readWatermark();
    const read: ChunkExtent[] = [];
    const rvs = new Map<number, string>();
    const held = new Map<string, number>();
    let last: LedgerChunk | undefined;
    const pages = listPages<V1ConfigMap>(client, CM, {
      namespace,
      labelSelector: `${LEDGER_LABEL}=records`,
      pageSize: PAGE,
    });
    for await (const page of pages) {
      for (const cm of page.items) {
        const chunk = parse(cm);
        if (!chunk) continue;
        rvs.set(chunk.seq, cm.metadata?.resourceVersion ?? '');
        for (const r of chunk.records) {
          if (mark === undefined || r.to > mark) held.set(recordKey(r), r.to);
        }
        // Only the chunk with the highest seq may be the tail; the rest are kept as extents.
        if (!last || chunk.seq > last.seq) {
          if (last) read.push(chunkExtent(last));
          last = chunk;
        } else read.push(chunkExtent(chunk));
      }
    }
    if (last) read.push(chunkExtent(last));
    extents = read.sort((a, b) => a.seq - b.seq);
    tail = last && !last.sealed ? last : undefined;
    if (tail) extents.pop();
    // Serialised once here (not the text read): the same lines chunkToConfigMap would write.
    tailText = tail ? tail.records.map(recordLine).join('') : '';
    versions = rvs;
    keys = held;
    window = mark;
    stale = false;
  }

  async function writeChunk(chunk: LedgerChunk, text: string): Promise<void> {
    guard();
    const cm = chunkTextToConfigMap(chunk, text, namespace);
    const rv = versions.get(chunk.seq);
    const written =
      rv === undefined
        ? await client.create(CM, cm)
        : await client.replace(CM, { ...cm, metadata: { ...cm.metadata, resourceVersion: rv } });
    versions.set(chunk.seq, written.metadata?.resourceVersion ?? '');
  }

  const lastSeq = (): number | undefined => tail?.seq ?? extents[extents.length - 1]?.seq;

  async function append(records: readonly LedgerRecord[]): Promise<AppendOutcome> {
    for (let attempt = 1; ; attempt++) {
      guard();
      if (stale) await load();
      const last = lastSeq();
      const result = appendToTail(
        { tail, nextSeq: last === undefined ? 0 : last + 1, seen: keys },
        records,
        limits,
      );
      // The first chunk is the tail (when open) with records after its old ones: its text is the
      // tail's text and the new lines; every later chunk is new.
      const texts = result.chunks.map((chunk) => {
        const kept = tail && chunk.seq === tail.seq ? tail.records.length : 0;
        const lines = chunk.records.slice(kept).map(recordLine).join('');
        return kept > 0 ? tailText + lines : lines;
      });
      try {
        stale = true;
        for (const [i, chunk] of result.chunks.entries()) await writeChunk(chunk, texts[i] ?? '');
        for (const chunk of result.chunks) {
          if (chunk.sealed) extents.push(chunkExtent(chunk));
        }
        const newest = result.chunks[result.chunks.length - 1];
        if (newest) {
          tail = newest.sealed ? undefined : newest;
          tailText = newest.sealed ? '' : (texts[texts.length - 1] ?? '');
        }
        for (const r of result.added) if (inWindow(r.to)) keys.set(recordKey(r), r.to);
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

  async function readWatermark(): Promise<number | undefined> {
    const text = (await readState())?.data?.[METER_WATERMARK_KEY];
    const n = Number(text);
    return text !== undefined && /^\d+$/.test(text) && Number.isSafeInteger(n) ? n : undefined;
  }

  /** The caller emits only `to > seconds` from now on: older keys can go. */
  function narrow(seconds: number): void {
    if (window !== undefined && seconds <= window) return;
    window = seconds;
    for (const [k, to] of keys) if (to <= seconds) keys.delete(k);
  }

  return {
    load,
    chunks: () => (tail ? [...extents, chunkExtent(tail)] : extents),
    async read(seq) {
      const cm = await client.get<V1ConfigMap>(CM, chunkName(seq), namespace);
      return cm ? parse(cm) : undefined;
    },
    held: () => ({ tailRecords: tail?.records.length ?? 0, keys: keys.size }),
    versionOf: (seq) => versions.get(seq),
    forget(seqs) {
      const gone = new Set(seqs);
      extents = extents.filter((c) => !gone.has(c.seq));
      if (tail && gone.has(tail.seq)) {
        tail = undefined;
        tailText = '';
      }
      for (const s of seqs) versions.delete(s);
    },
    append,
    readWatermark,
    async writeWatermark(seconds) {
      guard();
      const old = await readState();
      const state = stateConfigMap(seconds, namespace);
      const cm: V1ConfigMap = {
        ...state,
        metadata: {
          ...state.metadata,
          ...(old?.metadata?.resourceVersion
            ? { resourceVersion: old.metadata.resourceVersion }
            : {}),
        },
        data: { ...(old?.data ?? {}), ...state.data },
      };
      // Never move the watermark back (a stale leader's late write must not re-open hours).
      const before = Number(old?.data?.[METER_WATERMARK_KEY] ?? Number.NaN);
      if (Number.isFinite(before) && before >= seconds) return narrow(seconds);
      guard();
      if (old) await client.replace(CM, cm);
      else await client.create(CM, cm);
      narrow(seconds);
    },
    async readAck() {
      const cm = await client.get<V1ConfigMap>(CM, LEDGER_ACK_NAME, namespace);
      const text = cm?.data?.[LEDGER_ACK_KEY];
      return text === undefined ? undefined : parseCursor(text);
    },
  };
}
