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
import type { LedgerChunk } from './ledger.ts';
import type { LedgerRecord } from './record.ts';

export const LEDGER_NAMESPACE = 'nodeless-system';
/** Label on every ledger object; its value says which kind of object. */
export const LEDGER_LABEL = 'nodeless.dev/ledger';
export const LEDGER_SEQ_ANNOTATION = 'nodeless.dev/ledger-seq';
export const RECORDS_KEY = 'records.jsonl';

/** `nodeless-ledger-000000000042`: zero-padded, so names sort as the sequence does. */
export const chunkName = (seq: number): string =>
  `nodeless-ledger-${String(seq).padStart(12, '0')}`;

/** The ConfigMap of a chunk; sealed chunks are immutable (the API server refuses edits). */
export function chunkToConfigMap(chunk: LedgerChunk, namespace = LEDGER_NAMESPACE): V1ConfigMap {
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
    data: { [RECORDS_KEY]: chunk.records.map((r) => `${JSON.stringify(r)}\n`).join('') },
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
  .refine((r) => r.podStart <= r.from && r.from <= r.to, 'podStart ≤ from ≤ to');

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

/** Parses one record line (for the desktop's sync and for tests). */
export function parseRecordLine(line: string): LedgerRecord {
  return recordSchema.parse(JSON.parse(line)) as LedgerRecord;
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
    bytes: new TextEncoder().encode(text).length,
    sealed: cm.immutable === true,
  };
}
