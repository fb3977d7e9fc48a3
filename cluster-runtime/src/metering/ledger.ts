/**
 * The ledger's chunk format, as pure functions (issue 15 "The ledger"): append-only chunks with
 * a sequence number, bounded in size, read from a cursor, acknowledged by the desktop.
 *
 * Storage — recommended: **ConfigMaps** in `nodeless-system`, one per chunk, named
 * `nodeless-ledger-<seq, 12 digits>`, records as JSON lines in the data key `records.jsonl`
 * (see {@link chunkToConfigMap}). Why not a CRD:
 * - it needs nothing installed: no CustomResourceDefinition to create, upgrade, convert, or
 *   leave behind (the meter may run on clusters imported by kubeconfig);
 * - a sealed chunk is written with `immutable: true`, so the API server itself refuses any
 *   change to its data: append-only is enforced, not promised;
 * - `kubectl get cm -n nodeless-system -l nodeless.dev/ledger=records` lists the chunks and
 *   `kubectl get cm <name> -o jsonpath='{.data.records\.jsonl}'` prints the records, one JSON
 *   object per line, readable and greppable;
 * - the 1 MiB limit of a ConfigMap is what bounds a chunk anyway (etcd's request limit is
 *   1.5 MiB for any object, CRDs included).
 * A CRD would add schema validation and printer columns; the meter validates what it writes and
 * the desktop validates what it reads, so the cost is not worth it.
 *
 * Bounds: a chunk holds at most 1,000 records or 512 KiB of JSON lines, whichever comes first
 * (half the ConfigMap limit, leaving room for metadata and for growth of a record). The last
 * chunk stays open (mutable) until full; a full chunk is sealed and the next sequence opened.
 *
 * Cursor and ack: a cursor `{seq, offset}` is "the next record to read": offset records of chunk
 * seq were read. The desktop reads from its cursor, upserts the records by (uid, segment) into
 * SQLite in one transaction, then acknowledges the cursor; reading the same chunk again after a
 * crash between the two upserts the same keys, so nothing is billed twice. `append` skips records
 * whose key is already in the chunks it is given, so a meter that re-emits an hour after a
 * restart does not grow the ledger either. Compacted records are beyond that check, so the meter
 * also keeps a watermark (the end of the last hour it flushed, stored beside the cursor) and asks
 * `segmentsOf` only for what comes after it.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/ — "cannot exceed 1 MiB"
 * @see https://etcd.io/docs/v3.5/dev-guide/limit/ — request size limit
 * @see ./compact.ts
 */
import { recordKey, type LedgerRecord } from './record.ts';

export interface LedgerLimits {
  maxRecords: number;
  /** Bytes of JSON lines (UTF-8, newline included). */
  maxBytes: number;
}

export const DEFAULT_LEDGER_LIMITS: LedgerLimits = { maxRecords: 1000, maxBytes: 512 * 1024 };

export interface LedgerChunk {
  seq: number;
  records: readonly LedgerRecord[];
  /** UTF-8 bytes of the chunk's JSON lines. */
  bytes: number;
  /** Full: written once more with `immutable: true` and never again. */
  sealed: boolean;
}

/** Position of the next record to read: `offset` records of chunk `seq` are read. */
export interface LedgerCursor {
  seq: number;
  offset: number;
}

export const LEDGER_START: LedgerCursor = { seq: 0, offset: 0 };

const encoder = new TextEncoder();

/** One record as its JSON line (newline included). */
export const recordLine = (r: LedgerRecord): string => `${JSON.stringify(r)}\n`;

const lineBytes = (r: LedgerRecord): number => encoder.encode(recordLine(r)).length;

export interface AppendResult {
  /** All chunks after the append, ascending by seq. */
  chunks: LedgerChunk[];
  /** Sequence numbers created or changed: what the meter writes. */
  written: number[];
  /** Records left out because their key is already in the ledger (or earlier in the batch). */
  duplicates: number;
}

/** What an append needs of the ledger: its open tail, and which keys it already holds. */
export interface AppendTarget {
  /** The last chunk while it is open; undefined when the last is sealed or there is none. */
  tail: LedgerChunk | undefined;
  /** Sequence the next chunk gets (the last chunk's seq + 1, 0 for an empty ledger). */
  nextSeq: number;
  /** Keys (recordKey) already written that a caller may emit again. */
  seen: { has(key: string): boolean };
}

export interface TailAppendResult {
  /** The tail (a copy) and the chunks opened after it, ascending: exactly the written ones. */
  chunks: LedgerChunk[];
  written: number[];
  duplicates: number;
  /** The records appended (not duplicates), in order. */
  added: LedgerRecord[];
}

/**
 * Appends records after the open tail: fills it, seals it when the next record would pass a
 * limit, opens the next sequence. A record larger than `maxBytes` on its own gets a chunk of its
 * own (ConfigMaps still hold it: labels and names are bounded). Costs O(records + tail): sealed
 * chunks are neither copied nor read, so the meter holds only the tail and the keys it can still
 * re-emit (meter/src/ledger-store.ts).
 */
export function appendToTail(
  target: AppendTarget,
  records: readonly LedgerRecord[],
  limits: LedgerLimits = DEFAULT_LEDGER_LIMITS,
): TailAppendResult {
  type Mutable = { seq: number; records: LedgerRecord[]; bytes: number; sealed: boolean };
  const out: Mutable[] = target.tail ? [{ ...target.tail, records: [...target.tail.records] }] : [];
  const batch = new Set<string>();
  const added: LedgerRecord[] = [];
  let duplicates = 0;
  const open = (): Mutable => {
    const last = out[out.length - 1];
    if (last && !last.sealed) return last;
    const next = {
      seq: last ? last.seq + 1 : target.nextSeq,
      records: [],
      bytes: 0,
      sealed: false,
    };
    out.push(next);
    return next;
  };
  for (const record of records) {
    const key = recordKey(record);
    if (batch.has(key) || target.seen.has(key)) {
      duplicates++;
      continue;
    }
    batch.add(key);
    added.push(record);
    const bytes = lineBytes(record);
    let tail = open();
    const full =
      tail.records.length >= limits.maxRecords ||
      (tail.records.length > 0 && tail.bytes + bytes > limits.maxBytes);
    if (full) {
      tail.sealed = true;
      tail = open();
    }
    tail.records.push(record);
    tail.bytes += bytes;
    if (tail.records.length >= limits.maxRecords || tail.bytes >= limits.maxBytes) {
      tail.sealed = true;
    }
  }
  // An untouched tail is not rewritten.
  const chunks = added.length === 0 ? [] : out;
  return { chunks, written: chunks.map((c) => c.seq), duplicates, added };
}

/**
 * Appends records to the ledger's chunks (all of them in memory: tests, fixtures, the desktop's
 * demo data); dedupes against every record they hold. See {@link appendToTail}.
 */
export function appendRecords(
  chunks: readonly LedgerChunk[],
  records: readonly LedgerRecord[],
  limits: LedgerLimits = DEFAULT_LEDGER_LIMITS,
): AppendResult {
  const seen = new Set<string>();
  for (const c of chunks) for (const r of c.records) seen.add(recordKey(r));
  const last = chunks[chunks.length - 1];
  const tail = last && !last.sealed ? last : undefined;
  const result = appendToTail({ tail, nextSeq: last ? last.seq + 1 : 0, seen }, records, limits);
  const kept = (tail && result.chunks.length > 0 ? chunks.slice(0, -1) : chunks).map((c) => ({
    ...c,
    records: [...c.records],
  }));
  return {
    chunks: [...kept, ...result.chunks],
    written: result.written,
    duplicates: result.duplicates,
  };
}

/**
 * Records from `cursor` on, at most `max`, and the cursor after them. Chunks removed by
 * compaction (below the cursor) and gaps in the sequence are skipped.
 */
export function readLedger(
  chunks: readonly LedgerChunk[],
  cursor: LedgerCursor,
  max = Number.POSITIVE_INFINITY,
): { records: LedgerRecord[]; cursor: LedgerCursor } {
  const records: LedgerRecord[] = [];
  let at = cursor;
  const ordered = [...chunks].sort((a, b) => a.seq - b.seq);
  for (const chunk of ordered) {
    if (chunk.seq < at.seq) continue;
    const offset = chunk.seq === at.seq ? at.offset : 0;
    const take = chunk.records.slice(offset, offset + (max - records.length));
    records.push(...take);
    at = { seq: chunk.seq, offset: offset + take.length };
    if (records.length >= max) break;
  }
  return { records, cursor: at };
}

/** A chunk as the meter keeps it when its records are not in memory. */
export interface ChunkExtent {
  seq: number;
  sealed: boolean;
  /** Records in the chunk. */
  count: number;
  /** Latest `to` of its records (-Infinity when it has none): compaction's age test. */
  maxTo: number;
}

/** The extent of a chunk (what is kept of a sealed chunk in memory). */
export const chunkExtent = (c: LedgerChunk): ChunkExtent => ({
  seq: c.seq,
  sealed: c.sealed,
  count: c.records.length,
  maxTo: c.records.reduce((m, r) => Math.max(m, r.to), Number.NEGATIVE_INFINITY),
});

/** Whether every record of the chunk is at or before the acknowledged cursor. */
export function chunkAcknowledged(chunk: LedgerChunk | ChunkExtent, acked: LedgerCursor): boolean {
  if (chunk.seq < acked.seq) return true;
  const count = 'count' in chunk ? chunk.count : chunk.records.length;
  return chunk.seq === acked.seq && chunk.sealed && acked.offset >= count;
}

/** `42:17`: a cursor as text (the ack ConfigMap's value, the CLI's flag). */
export const formatCursor = (c: LedgerCursor): string => `${c.seq}:${c.offset}`;

/** A cursor from its text, or undefined when it is not one. */
export function parseCursor(text: string): LedgerCursor | undefined {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const seq = Number(m[1]);
  const offset = Number(m[2]);
  return Number.isSafeInteger(seq) && Number.isSafeInteger(offset) ? { seq, offset } : undefined;
}
