/**
 * `npm run bench:metering`: the desktop's side of metering at scale (issue 15 "Benchmark").
 *
 * 1. Sync of 1,000,000 ledger records into SQLite — goal ≤ 10 s. The records come as the meter
 *    writes them: 1,000 sealed chunk ConfigMaps (chunkToConfigMap, 1,000 records / ~480 KiB
 *    each), listed 20 per page through a KubeClient, parsed and validated by chunkFromConfigMap,
 *    rated and upserted in batched transactions by the same `syncLedger` the app and the CLI
 *    run, into a database opened like the app's (WAL, synchronous=FULL, migrations) and written through
 *    the store's transactions (batches without an fsync, the last one durable). Only the
 *    API server is replaced: the ConfigMaps are generated before the clock starts (so the cost
 *    of parsing the list responses' JSON, which the real client pays, is not counted). Pod UIDs
 *    are random like the API server's and the cluster id is a UUID like the app's: sequential
 *    UIDs and a short id flattered the store by a third. From the second page on, chunks are
 *    parsed in the sync's worker thread (started from source here, through tsx).
 * 2. The 30-day bill grouped by namespace over those records — goal ≤ 200 ms — with the same
 *    `usageTable` the API answers `usage.table` with (median of 5 runs, first run shown too).
 * 3. A second sync of the same ledger adds nothing (checked, and timed).
 *
 * The meter's own CPU and RSS under 500 pod events per second is meter/bench/meter.bench.ts
 * (`npm run bench:meter`); `npm run bench:metering` runs this file, then that one.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chunkToConfigMap, SEGMENT_SECONDS } from '@nodeless/cluster-runtime';
import { openDatabase, transactionOf } from '../src/store/database.ts';
import { usageTables } from '../src/store/store.ts';
import { usageTable } from '../src/usage/bill.ts';
import {
  chunksOf,
  fakeLedgerClient,
  syntheticRecord,
  MemoryLedgerObjects,
  type RecordShape,
} from '../src/usage/ledger-fixture.ts';
import { DEFAULT_PRICES } from '../src/usage/prices.ts';
import { syncLedger } from '../src/usage/sync.ts';

/** `METERING_BENCH_RECORDS` scales it down for a quick look (the goals are for 1,000,000). */
const RECORDS = Number(process.env['METERING_BENCH_RECORDS'] ?? 1_000_000);
const PER_CHUNK = 1000;
const GOAL_SYNC_MS = 10_000;
const GOAL_BILL_MS = 200;
const DAY = 86_400;

const end = Math.floor(Date.parse('2026-12-01T00:00:00Z') / 1000);
const shape: RecordShape = {
  records: RECORDS,
  namespaces: 50,
  workloadsPerNamespace: 8,
  startHour: end - 30 * DAY,
  hours: (30 * DAY) / SEGMENT_SECONDS,
};

/** The ledger's ConfigMaps, generated before the clock starts (~480 KiB each, in memory). */
const generateStart = performance.now();
const objects = new MemoryLedgerObjects();
for (let seq = 0; seq < RECORDS / PER_CHUNK; seq++) {
  const records = Array.from({ length: PER_CHUNK }, (_, j) =>
    syntheticRecord(seq * PER_CHUNK + j, shape),
  );
  const [chunk, extra] = chunksOf(records, seq);
  if (!chunk || extra) throw new Error(`chunk ${seq} does not fit one ConfigMap`);
  objects.put(chunkToConfigMap(chunk));
}
const generateMs = performance.now() - generateStart;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-bench-metering-'));
const db = openDatabase(path.join(dir, 'nodeless.db'));
try {
  // A cluster's id is a UUID in the app (36 bytes in every row and index entry).
  const clusterId = randomUUID();
  const now = new Date().toISOString();
  db.prepare('INSERT INTO clusters (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
    clusterId,
    'bench',
    now,
    now,
  );
  const tables = usageTables(db);
  const deps = {
    tables,
    transaction: transactionOf(db),
    clock: () => new Date(),
  };
  const client = fakeLedgerClient(objects);

  let t = performance.now();
  const first = await syncLedger(client, clusterId, DEFAULT_PRICES, deps);
  const syncMs = performance.now() - t;
  if (first.added !== RECORDS) throw new Error(`synced ${first.added} of ${RECORDS} records`);
  if (RECORDS > 20 * PER_CHUNK && first.parsedIn !== 'worker')
    throw new Error(`a ${RECORDS}-record sync parsed in ${first.parsedIn}, not in its worker`);

  const range = { from: end - 30 * DAY, to: end };
  const runs: number[] = [];
  let total = 0;
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const table = usageTable(tables, clusterId, range, { by: 'namespace' }, DEFAULT_PRICES);
    runs.push(performance.now() - t);
    total = table.total.costMicros;
    rows = table.rows.length;
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const billMs = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;

  db.prepare('UPDATE usage_sync SET cursor_seq = 0, cursor_offset = 0').run();
  t = performance.now();
  const again = await syncLedger(client, clusterId, DEFAULT_PRICES, deps);
  const againMs = performance.now() - t;

  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ok = (v: number, goal: number) => (v <= goal ? 'ok' : 'OVER GOAL');
  console.log(
    `metering bench (${RECORDS.toLocaleString('en')} records in ${RECORDS / PER_CHUNK} chunk ConfigMaps, generated in ${(generateMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `  sync into SQLite        ${fmt(syncMs).padStart(9)}   goal ≤ ${fmt(GOAL_SYNC_MS)}   ${ok(syncMs, GOAL_SYNC_MS)}` +
      `   (${Math.round(RECORDS / (syncMs / 1000)).toLocaleString('en')} records/s)`,
  );
  console.log(
    `  30-day bill by namespace ${billMs.toFixed(1).padStart(7)} ms  goal ≤ ${GOAL_BILL_MS} ms   ${ok(billMs, GOAL_BILL_MS)}` +
      `   (first ${runs[0]?.toFixed(1)} ms; ${rows} namespaces, total ${(total / 1e6).toFixed(2)} ${DEFAULT_PRICES.currency})`,
  );
  console.log(
    `  re-sync from the start  ${fmt(againMs).padStart(9)}   added ${again.added} (must be 0)   ${again.added === 0 ? 'ok' : 'BILLED TWICE'}`,
  );
  const size =
    fs.statSync(path.join(dir, 'nodeless.db')).size +
    (fs.statSync(path.join(dir, 'nodeless.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
  console.log(`  database size           ${(size / 2 ** 20).toFixed(0)} MiB`);
  if (syncMs > GOAL_SYNC_MS || billMs > GOAL_BILL_MS || again.added !== 0) process.exitCode = 1;
} finally {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
