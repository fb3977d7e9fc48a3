/**
 * `npx tsx meter/bench/ledger-store-heap.ts`: the ledger store's memory and append cost with a
 * full retained ledger — 1,000 steady pods × 24 h × 35 days = 840,000 records in 840 sealed
 * chunks (the review's steady state: meter-install.ts's 35-day retention, one record per running
 * pod per hour), plus an open tail, the watermark at the last flushed hour.
 *
 * Measures the store alone, in this process: the API server is the meter test's fake client,
 * except that the sealed chunks' ConfigMaps are generated when listed or read, so the heap holds
 * only what the store keeps (seeding 840 half-MiB ConfigMaps into an API server and starting the
 * meter on it measures the same store plus a fixed baseline; see meter.bench.ts for that).
 * Reported: heap used after load (after a GC) above the baseline, the peak heap during the paged
 * load, RSS, and the time of a one-record append and of an hourly flush of 1,000 records.
 * Run with `node --expose-gc --import tsx` for the GC'd figures. LEDGER_HEAP_STORE=<path> loads
 * another build of the store (e.g. the previous commit's) to compare.
 */
import path from 'node:path';
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import {
  chunkName,
  chunkToConfigMap,
  DEFAULT_LEDGER_LIMITS,
  LEDGER_NAMESPACE,
  RESOURCES,
  type ResourceRef,
} from '@nodeless/cluster-runtime';
import type { createLedgerStore as Create } from '../src/ledger-store.ts';
import { fakeClient } from '../test/fake-client.ts';
import { sealedChunk, sealedChunkConfigMap, steadyRecord } from './ledger-seed.ts';

const PODS = Number(process.env['LEDGER_HEAP_PODS'] ?? 1000);
const HOURS = Number(process.env['LEDGER_HEAP_HOURS'] ?? 24 * 35);
const H0 = 493_000; // an hour index in 2026
const NS = LEDGER_NAMESPACE;
const CM = RESOURCES.configMaps;
const MiB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const record = (p: number, h: number, final = false) => steadyRecord(p, H0 + h, final);

function sealedCm(seq: number): V1ConfigMap {
  const cm = sealedChunkConfigMap(sealedChunk(seq, H0 + seq, PODS), NS);
  return { ...cm, metadata: { ...cm.metadata, resourceVersion: '7' } };
}

const api = fakeClient();
// The watermark: hour HOURS - 1 flushed. The open tail holds 100 pods' final records after it.
api.put(CM, {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'nodeless-meter-state', namespace: NS },
  data: { watermark: String((H0 + HOURS) * 3600) },
} as V1ConfigMap);
const tailRecords = Array.from({ length: 100 }, (_, p) => record(PODS + p, HOURS, true));
api.put(CM, chunkToConfigMap({ seq: HOURS, records: tailRecords, bytes: 0, sealed: false }, NS));

let peakHeap = 0;
/** Live heap (GC'd first) at each page boundary: what the store holds between pages. */
let peakLive = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  gc();
  peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
};
const fakeList = api.list.bind(api);
const fakeGet = api.get.bind(api);
// Sealed chunks are made when asked for, page by page, so the client holds none of them.
api.list = async <T>(
  type: Parameters<typeof fakeList>[0],
  o: Parameters<typeof fakeList>[1] = {},
) => {
  sample();
  const start = o.continue ? Number(o.continue) : 0;
  const end = Math.min(start + (o.limit ?? HOURS), HOURS);
  const items = [];
  for (let seq = start; seq < end; seq++) items.push(sealedCm(seq));
  const own = end >= HOURS ? (await fakeList<V1ConfigMap>(type, o)).items : [];
  const ledger = own.filter((c) => c.metadata?.labels?.['nodeless.dev/ledger'] === 'records');
  const page = {
    items: [...items, ...ledger],
    resourceVersion: '9',
    ...(end < HOURS ? { continue: String(end) } : {}),
  };
  return page as unknown as Awaited<ReturnType<typeof fakeList<T & V1ConfigMap>>>;
};
api.get = async <T extends KubernetesObject>(
  type: ResourceRef,
  name: string,
  namespace?: string,
) => {
  const seq = Number(name.replace(/^nodeless-ledger-/, ''));
  if (type.kind === 'ConfigMap' && name === chunkName(seq) && seq < HOURS) {
    return sealedCm(seq) as unknown as T;
  }
  return fakeGet<T>(type, name, namespace);
};

const modulePath = process.env['LEDGER_HEAP_STORE'] ?? '../src/ledger-store.ts';
const { createLedgerStore } = (await import(
  modulePath.startsWith('.') ? modulePath : path.resolve(modulePath)
)) as { createLedgerStore: typeof Create };

gc();
const base = process.memoryUsage();
const store = createLedgerStore({
  client: api,
  namespace: NS,
  canWrite: () => true,
  // A chunk the store cannot parse would make the figures meaningless.
  log: (event, fields) => {
    if (event === 'ledger-chunk-unreadable') throw new Error(`${event}: ${JSON.stringify(fields)}`);
  },
  limits: DEFAULT_LEDGER_LIMITS,
});
const t0 = performance.now();
await store.load();
const loadS = (performance.now() - t0) / 1000;
sample();
const peakLoad = peakHeap;
const peakLoadLive = peakLive;
if (store.chunks().length !== HOURS + 1) throw new Error(`loaded ${store.chunks().length} chunks`);
gc();
const after = process.memoryUsage();
const t1 = performance.now();
const one = await store.append([record(PODS + 500, HOURS, true)]);
const oneMs = performance.now() - t1;
const t2 = performance.now();
const flush = await store.append(Array.from({ length: PODS }, (_, p) => record(p, HOURS)));
const flushMs = performance.now() - t2;
sample();
const t3 = performance.now();
const again = await store.append([record(3, HOURS - 2)]);
const dupMs = performance.now() - t3;
gc();
const end = process.memoryUsage();

const mib = (n: number) => (n / MiB).toFixed(1);
console.log(
  [
    `ledger: ${PODS * HOURS} records in ${HOURS} sealed chunks + a tail of ${tailRecords.length} (store: ${modulePath})`,
    `load: ${loadS.toFixed(1)} s; heap held after load (GC'd) ${mib(after.heapUsed - base.heapUsed)} MiB above baseline ${mib(base.heapUsed)}; peak heap during load ${mib(peakLoad)} MiB (garbage included), live at page boundaries ≤ ${mib(peakLoadLive)} MiB`,
    `append 1 record: ${oneMs.toFixed(1)} ms (${one.appended} appended); hourly flush of ${PODS}: ${flushMs.toFixed(1)} ms (${flush.appended} appended, chunks ${flush.written.join(',')})`,
    `re-emit of an old hour's record: ${dupMs.toFixed(1)} ms (${again.appended} appended, ${again.duplicates} duplicates — below the watermark the recorder never emits it)`,
    `after: heap ${mib(end.heapUsed)} MiB, RSS ${mib(end.rss)} MiB; process peak heap seen ${mib(peakHeap)} MiB`,
  ].join('\n'),
);
