/**
 * Ledger chunks as ConfigMaps (the storage ledger.ts recommends) and back. The meter writes what
 * {@link chunkToConfigMap} returns (server-side apply or create/update); the desktop reads the
 * chunks with a label selector and parses each with {@link chunkFromConfigMap}, which validates
 * every line: a chunk written by another version or edited by hand is reported by line, never
 * half-billed.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 * @see ./ledger.ts
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { z } from 'zod';
import { recordLine, type LedgerChunk } from './ledger.ts';
import { LEDGER_STATE_LABEL_VALUE, METER_STATE_NAME, METER_WATERMARK_KEY } from './meter-names.ts';
import { SEGMENT_SECONDS, type LedgerRecord } from './record.ts';

export const LEDGER_NAMESPACE = 'nodeless-system';
/** Label on every ledger object; its value says which kind of object. */
export const LEDGER_LABEL = 'nodeless.dev/ledger';
export const LEDGER_SEQ_ANNOTATION = 'nodeless.dev/ledger-seq';
export const RECORDS_KEY = 'records.jsonl';

/**
 * The meter's state ConfigMap holding its watermark (epoch seconds of the hour boundary written
 * through) — what the meter writes, and what the demo and the bench seed.
 */
export function stateConfigMap(watermark: number, namespace = LEDGER_NAMESPACE): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: METER_STATE_NAME,
      namespace,
      labels: { [LEDGER_LABEL]: LEDGER_STATE_LABEL_VALUE },
    },
    data: { [METER_WATERMARK_KEY]: String(watermark) },
  };
}

/** `nodeless-ledger-000000000042`: zero-padded, so names sort as the sequence does. */
export const chunkName = (seq: number): string =>
  `nodeless-ledger-${String(seq).padStart(12, '0')}`;

/** The ConfigMap of a chunk; sealed chunks are immutable (the API server refuses edits). */
export function chunkToConfigMap(chunk: LedgerChunk, namespace = LEDGER_NAMESPACE): V1ConfigMap {
  return chunkTextToConfigMap(chunk, chunk.records.map(recordLine).join(''), namespace);
}

/**
 * {@link chunkToConfigMap} with the chunk's JSON lines already joined (`text` must be its
 * records' {@link recordLine}s in order): the meter keeps the open chunk's text as it appends, so
 * a write costs its new lines, not a re-serialisation of up to 1,000 records.
 */
export function chunkTextToConfigMap(
  chunk: Pick<LedgerChunk, 'seq' | 'sealed'>,
  text: string,
  namespace = LEDGER_NAMESPACE,
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: chunkName(chunk.seq),
      namespace,
      labels: { [LEDGER_LABEL]: 'records' },
      annotations: { [LEDGER_SEQ_ANNOTATION]: String(chunk.seq) },
    },
    ...(chunk.sealed ? { immutable: true } : {}),
    data: { [RECORDS_KEY]: text },
  };
}

const int = z.number().int().nonnegative();
const amount = z.object({ cpuMilli: int, memoryBytes: int });
const usage = z.discriminatedUnion('state', [
  z.object({ state: z.literal('missing') }),
  z.object({
    state: z.literal('measured'),
    cpuMilliSeconds: int,
    memoryKiBSeconds: int,
    coveredSeconds: int,
  }),
]);
const recordSchema = z
  .object({
    uid: z.string().min(1),
    segment: int,
    namespace: z.string(),
    name: z.string(),
    owner: z.object({ kind: z.string(), name: z.string() }).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    spec: amount,
    specSource: z.enum(['label', 'size', 'request', 'default']).optional(),
    runtimeClass: z.string().optional(),
    overhead: amount.optional(),
    podStart: int,
    from: int,
    to: int,
    final: z.boolean(),
    usage,
  })
  .refine((r) => r.podStart <= r.from && r.from <= r.to, 'podStart ≤ from ≤ to')
  .refine(inSegment, "from and to lie in the segment's hour");

/**
 * A record covers part of one UTC hour, its segment (record.ts segmentsOf): the desktop stores
 * records clustered by segment and finds a range's records through it, so a record outside its
 * hour would be billed in the wrong hour or not at all.
 */
function inSegment(r: { segment: number; from: number; to: number }): boolean {
  const start = r.segment * SEGMENT_SECONDS;
  return start <= r.from && r.to <= start + SEGMENT_SECONDS;
}

/** A ledger object that is not a readable chunk; the message names the object and line. */
export class LedgerFormatError extends Error {
  constructor(
    readonly object: string,
    detail: string,
  ) {
    super(`ledger chunk ${object}: ${detail}`);
    this.name = 'LedgerFormatError';
  }
}

/**
 * Parses one record line (for the desktop's sync and for tests): recordSchema's answer. Lines
 * the meter wrote take a hand-written path that accepts only what the schema accepts and
 * returns what it returns (known keys only); anything else goes through the schema, which
 * refuses it or accepts it with its own words. Why: the schema cost ~2 µs a record, a third
 * of a million-record sync's parsing (bench:metering).
 */
export function parseRecordLine(line: string): LedgerRecord {
  const value: unknown = JSON.parse(line);
  return fastRecord(value) ?? (recordSchema.parse(value) as LedgerRecord);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const SPEC_SOURCES: ReadonlySet<unknown> = new Set(['label', 'size', 'request', 'default']);

function fastAmount(v: unknown): { cpuMilli: number; memoryBytes: number } | undefined {
  if (!isObject(v) || !isInt(v['cpuMilli']) || !isInt(v['memoryBytes'])) return undefined;
  return { cpuMilli: v['cpuMilli'], memoryBytes: v['memoryBytes'] };
}

function fastLabels(v: unknown): Record<string, string> | undefined {
  if (!isObject(v) || Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  for (const k in v) if (k === '__proto__' || typeof v[k] !== 'string') return undefined;
  return v as Record<string, string>;
}

function fastUsage(v: unknown): LedgerRecord['usage'] | undefined {
  if (!isObject(v)) return undefined;
  if (v['state'] === 'missing') return { state: 'missing' };
  if (v['state'] !== 'measured') return undefined;
  const cpu = v['cpuMilliSeconds'];
  const memory = v['memoryKiBSeconds'];
  const covered = v['coveredSeconds'];
  if (!isInt(cpu) || !isInt(memory) || !isInt(covered)) return undefined;
  return {
    state: 'measured',
    cpuMilliSeconds: cpu,
    memoryKiBSeconds: memory,
    coveredSeconds: covered,
  };
}

/** recordSchema's output (same keys, same order) for a record it surely accepts; undefined = ask it. */
function fastRecord(v: unknown): LedgerRecord | undefined {
  if (!isObject(v)) return undefined;
  const { uid, segment, namespace, name, owner, labels, specSource, runtimeClass } = v;
  const { podStart, from, to, final } = v;
  if (typeof uid !== 'string' || uid.length === 0 || !isInt(segment)) return undefined;
  if (typeof namespace !== 'string' || typeof name !== 'string') return undefined;
  if (!isInt(podStart) || !isInt(from) || !isInt(to) || typeof final !== 'boolean')
    return undefined;
  if (!(podStart <= from && from <= to) || !inSegment({ segment, from, to })) return undefined;
  const spec = fastAmount(v['spec']);
  const usage = fastUsage(v['usage']);
  if (!spec || !usage) return undefined;
  const ownerOk =
    owner === undefined ||
    (isObject(owner) && typeof owner['kind'] === 'string' && typeof owner['name'] === 'string');
  const labelsOk = labels === undefined || fastLabels(labels) !== undefined;
  const overhead = v['overhead'] === undefined ? undefined : fastAmount(v['overhead']);
  if (!ownerOk || !labelsOk || (v['overhead'] !== undefined && !overhead)) return undefined;
  if (specSource !== undefined && !SPEC_SOURCES.has(specSource)) return undefined;
  if (runtimeClass !== undefined && typeof runtimeClass !== 'string') return undefined;
  const r: LedgerRecord = { uid, segment, namespace, name } as LedgerRecord;
  if (owner !== undefined)
    r.owner = { kind: owner['kind'] as string, name: owner['name'] as string };
  if (labels !== undefined) r.labels = labels as Record<string, string>;
  r.spec = spec;
  if (specSource !== undefined)
    r.specSource = specSource as NonNullable<LedgerRecord['specSource']>;
  if (runtimeClass !== undefined) r.runtimeClass = runtimeClass;
  if (overhead) r.overhead = overhead;
  r.podStart = podStart;
  r.from = from;
  r.to = to;
  r.final = final;
  r.usage = usage;
  return r;
}

/**
 * The chunk a ConfigMap holds.
 *
 * @throws LedgerFormatError naming the ConfigMap and the line that is not a record.
 */
export function chunkFromConfigMap(cm: V1ConfigMap): LedgerChunk {
  const name = cm.metadata?.name ?? '(unnamed)';
  const seqText = cm.metadata?.annotations?.[LEDGER_SEQ_ANNOTATION];
  const seq = Number(seqText);
  if (seqText === undefined || !/^\d+$/.test(seqText) || !Number.isSafeInteger(seq)) {
    throw new LedgerFormatError(
      name,
      `annotation ${LEDGER_SEQ_ANNOTATION} is not a sequence number`,
    );
  }
  const text = cm.data?.[RECORDS_KEY] ?? '';
  const records: LedgerRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      records.push(parseRecordLine(line));
    } catch (e) {
      const why = e instanceof z.ZodError ? e.issues.map((x) => x.message).join('; ') : String(e);
      throw new LedgerFormatError(name, `line ${i + 1}: ${why}`);
    }
  });
  return {
    seq,
    records,
    // Counted, not encoded: a 480 KiB copy per chunk only to read its length.
    bytes: Buffer.byteLength(text, 'utf8'),
    sealed: cm.immutable === true,
  };
}
