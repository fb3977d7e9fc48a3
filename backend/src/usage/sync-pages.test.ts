/**
 * A ledger of many list pages: parsed in the worker thread (chunk-parser.ts) while the main
 * thread inserts, the pod index built once at the end — and the same tables as a sync that
 * parses everything on one thread.
 */
import {
  chunkName,
  chunkToConfigMap,
  RECORDS_KEY,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { transactionOf } from '../store/database.ts';
import { chunksOf, fakeLedgerClient, syntheticRecord } from './ledger-fixture.ts';
import { DEFAULT_PRICES } from './prices.ts';
import { syncLedger } from './sync.ts';
import { usageFixture, type UsageFixture } from './usage-test-setup.ts';

const start = Date.parse('2026-11-01T00:00:00Z') / 1000;
const records = (n: number): LedgerRecord[] =>
  Array.from({ length: n }, (_, i) =>
    syntheticRecord(i, {
      records: n,
      namespaces: 4,
      workloadsPerNamespace: 3,
      startHour: start,
      hours: 72,
    }),
  );

const open: UsageFixture[] = [];
const fixture = (parseIn: 'auto' | 'thread', pageSize: number) => {
  const f = usageFixture(undefined, { sync: { parseIn, pageSize, batchRecords: 2000 } });
  open.push(f);
  return f;
};
afterEach(() => {
  for (const f of open.splice(0)) f.close();
});

const dump = (f: UsageFixture) => ({
  records: f.db.prepare('SELECT * FROM usage_records ORDER BY segment, uid').all(),
  rollup: f.db.prepare('SELECT * FROM usage_rollup ORDER BY day, namespace, owner_name').all(),
  cursor: f.db.prepare('SELECT cursor_seq, cursor_offset, anchor_seq FROM usage_sync').all(),
});
const podIndex = (f: UsageFixture) =>
  f.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'usage_records_pod'")
    .all();

describe('a ledger of many pages', () => {
  it('is synced by the worker exactly as on one thread, the pod index built at the end', async () => {
    const chunks = chunksOf(records(9000));
    const worker = fixture('auto', 2);
    const thread = fixture('thread', 2);
    for (const f of [worker, thread]) f.objects.putChunks(chunks);

    const deps = {
      tables: worker.tables,
      transaction: transactionOf(worker.db),
      clock: () => new Date(),
    };
    const client = fakeLedgerClient(worker.objects);
    const options = { pageSize: 2, batchRecords: 2000 };
    const a = await syncLedger(client, worker.clusterId, DEFAULT_PRICES, deps, options);
    expect(a).toMatchObject({ read: 9000, added: 9000, cursor: '8:1000', parsedIn: 'worker' });
    expect(await thread.service.sync(thread.clusterId)).toEqual({
      read: 9000,
      added: 9000,
      cursor: '8:1000',
    });
    const rows = dump(worker);
    expect(rows.records).toHaveLength(9000);
    expect(rows).toEqual(dump(thread));
    expect(podIndex(worker)).toHaveLength(1);
    const pod = records(9000)[4500] as LedgerRecord;
    expect(worker.tables.records.pod(worker.clusterId, pod.uid).map((r) => r.segment)).toContain(
      pod.segment,
    );

    // Again from the start: every key held, nothing added, the same tables.
    worker.db.prepare('UPDATE usage_sync SET cursor_seq = 0, cursor_offset = 0').run();
    expect(await worker.service.sync(worker.clusterId)).toMatchObject({ read: 9000, added: 0 });
    expect(dump(worker)).toEqual(rows);
  });

  it('stops at a bad chunk on a later page, naming it: the pages before kept, the index back', async () => {
    const chunks = chunksOf(records(9000));
    const f = fixture('auto', 2);
    f.objects.putChunks(chunks);
    const bad = chunkToConfigMap(chunks[5] as (typeof chunks)[number]);
    const lines = (bad.data?.[RECORDS_KEY] ?? '').split('\n');
    lines[10] = '{"uid":"x","segment":-1}';
    f.objects.put({ ...bad, data: { [RECORDS_KEY]: lines.join('\n') } });

    await expect(f.service.sync(f.clusterId)).rejects.toThrow(
      `ledger chunk ${chunkName(5)}: line 11`,
    );
    expect(f.tables.records.count(f.clusterId)).toBe(5000);
    expect(f.tables.sync.get(f.clusterId)).toMatchObject({ cursor_seq: 4, cursor_offset: 1000 });
    expect(podIndex(f)).toHaveLength(1);

    f.objects.putChunks([chunks[5] as (typeof chunks)[number]]); // repaired
    expect(await f.service.sync(f.clusterId)).toMatchObject({ read: 4000, added: 4000 });
  });

  it('a pod index left dropped (a sync that crashed) is built again when the tables open', async () => {
    const f = fixture('thread', 20);
    f.objects.putChunks(chunksOf(records(1000)));
    await f.service.sync(f.clusterId);
    f.tables.records.deferPodIndex();
    expect(podIndex(f)).toHaveLength(0);
    const { usageTables } = await import('../store/store.ts');
    usageTables(f.db);
    expect(podIndex(f)).toHaveLength(1);
  });
});
