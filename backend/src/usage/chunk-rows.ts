/**
 * One ledger chunk ConfigMap → the rows the sync inserts: parsed and validated
 * (chunkFromConfigMap), cut at the cursor (readLedger), rated (rating.ts) and laid out as
 * packed records (store/usage-record-columns.ts). Pure, so it runs alike on the main thread and in the
 * sync's worker (chunk-worker.ts).
 *
 * @see ../../../cluster-runtime/src/metering/ledger-configmap.ts — the chunk format
 */
import {
  chunkFromConfigMap,
  readLedger,
  type LedgerCursor,
  type Prices,
} from '@nodeless/cluster-runtime';
import { packRecords, type PackedRecords } from '../store/usage-record-columns.ts';
import { rater, recordRow } from './rating.ts';

/** What the sync reads of a chunk ConfigMap (all a worker needs to be sent). */
export interface ChunkObject {
  metadata?: {
    name?: string;
    uid?: string;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
  immutable?: boolean;
}

/** A chunk's records after the cursor, rated. */
export interface ChunkRows {
  seq: number;
  /** The chunk object's uid (the sync's anchor), when it has one. */
  uid?: string;
  /** Records after `from` (none when the chunk lies before it). */
  rows: PackedRecords;
  /** The cursor after this chunk (`from` unchanged when the chunk lies before it). */
  cursor: LedgerCursor;
}

/** Reads chunks for one cluster at one set of prices (ratings memoised across chunks). */
export function chunkReader(
  clusterId: string,
  prices: Prices,
): (cm: ChunkObject, from: LedgerCursor) => ChunkRows {
  const rate = rater(prices);
  return (cm, from) => {
    const chunk = chunkFromConfigMap(cm);
    const { records, cursor } =
      chunk.seq < from.seq ? { records: [], cursor: from } : readLedger([chunk], from);
    return {
      seq: chunk.seq,
      ...(cm.metadata?.uid ? { uid: cm.metadata.uid } : {}),
      rows: packRecords(records.map((r) => recordRow(clusterId, r, rate))),
      cursor,
    };
  };
}

/** Only what the sync reads of a chunk ConfigMap: less to copy to a worker. */
export function chunkObject(cm: ChunkObject): ChunkObject {
  return {
    metadata: {
      ...(cm.metadata?.name === undefined ? {} : { name: cm.metadata.name }),
      ...(cm.metadata?.uid === undefined ? {} : { uid: cm.metadata.uid }),
      ...(cm.metadata?.annotations ? { annotations: cm.metadata.annotations } : {}),
    },
    ...(cm.data ? { data: cm.data } : {}),
    ...(cm.immutable === undefined ? {} : { immutable: cm.immutable }),
  };
}
