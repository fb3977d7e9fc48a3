/**
 * A steady ledger for the meter's benchmarks: `pods` pods running around the clock, each
 * writing one record per hour (the recorder's hourly flush), 1,000 records to a sealed chunk —
 * the review's 1,000 pods × 24 h × 35 days (meter-install.ts's retention) = 840,000 records.
 * Used by ./ledger-store-heap.ts (the store alone) and ./meter.bench.ts
 * (METER_BENCH_SEED_RECORDS: the meter process taking over such a ledger).
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  chunkToConfigMap,
  recordLine,
  type LedgerChunk,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';

/** Pod p's record for hour index `hour`: the shape the recorder writes (owner, labels, usage). */
export function steadyRecord(p: number, hour: number, final = false): LedgerRecord {
  const from = hour * 3600;
  return {
    uid: `6f1c2a4e-0000-4000-8000-${String(p).padStart(12, '0')}`,
    segment: hour,
    namespace: `team-${p % 20}`,
    name: `web-7d9f8b6c5-${String(p).padStart(5, '0')}`,
    owner: { kind: 'Deployment', name: `web-${p % 50}` },
    labels: { app: `web-${p % 50}`, 'pod-template-hash': '7d9f8b6c5' },
    spec: { cpuMilli: 500, memoryBytes: 1024 ** 3 },
    specSource: 'label',
    runtimeClass: 'kata',
    podStart: from - 3600 * 24 * 40,
    from,
    to: final ? from + 1800 : from + 3600,
    final,
    usage: {
      state: 'measured',
      cpuMilliSeconds: 1_234_567,
      memoryKiBSeconds: 987_654_321,
      coveredSeconds: 3585,
    },
  };
}

/** Chunk `seq`, sealed: hour `hour`'s record of each of `pods` pods. */
export function sealedChunk(seq: number, hour: number, pods: number): LedgerChunk {
  const records = Array.from({ length: pods }, (_, p) => steadyRecord(p, hour));
  const bytes = records.reduce((n, r) => n + Buffer.byteLength(recordLine(r)), 0);
  return { seq, records, bytes, sealed: true };
}

/** The chunk as the meter wrote it: a ConfigMap, immutable once sealed. */
export function sealedChunkConfigMap(chunk: LedgerChunk, namespace: string): V1ConfigMap {
  return { ...chunkToConfigMap(chunk, namespace), immutable: true };
}
