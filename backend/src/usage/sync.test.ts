import {
  chunkName,
  chunkToConfigMap,
  LEDGER_ACK_KEY,
  LEDGER_ACK_NAME,
  RECORDS_KEY,
  SEGMENT_SECONDS,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaVersion } from '../store/migrate.ts';
import { chunksOf, syntheticRecord, type RecordShape } from './ledger-fixture.ts';
import { usageFixture, type UsageFixture } from './usage-test-setup.ts';

/** The value, or a failed test when it is missing. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

const start = Date.parse('2026-11-01T00:00:00Z') / 1000;
const shape = (records: number): RecordShape => ({
  records,
  namespaces: 3,
  workloadsPerNamespace: 3,
  startHour: start,
  hours: 48,
});
const records = (n: number): LedgerRecord[] =>
  Array.from({ length: n }, (_, i) => syntheticRecord(i, shape(n)));
const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

let f: UsageFixture;
beforeEach(() => {
  f = usageFixture();
});
afterEach(() => f.close());

const total = () =>
  f.service.table({ clusterId: f.clusterId, ...range, by: 'namespace' }).total.costMicros;

describe('migration 007', () => {
  it('creates the usage tables at version 7', () => {
    const tables = f.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => r.name);
    expect(schemaVersion(f.db)).toBeGreaterThanOrEqual(7);
    expect(tables).toEqual(
      expect.arrayContaining([
        'usage_records',
        'usage_rollup',
        'usage_sync',
        'usage_prices',
        'usage_daily_totals',
        'usage_capacity',
      ]),
    );
  });
});

describe('ledger sync', () => {
  it('syncs every record once: a second sync (or one from the start) adds nothing', async () => {
    f.objects.putChunks(chunksOf(records(2400)));
    const first = await f.service.sync(f.clusterId);
    expect(first).toEqual({ read: 2400, added: 2400, cursor: '2:400' });
    const billed = total();
    expect(billed).toBeGreaterThan(0);

    const second = await f.service.sync(f.clusterId);
    expect(second).toEqual({ read: 0, added: 0, cursor: '2:400' });
    // Cursor lost (a crash between commit and ack, another desktop's data dir): keys held.
    f.db.prepare('UPDATE usage_sync SET cursor_seq = 0, cursor_offset = 0').run();
    const again = await f.service.sync(f.clusterId);
    expect(again).toMatchObject({ read: 2400, added: 0 });
    expect(total()).toBe(billed);
    expect(f.tables.records.count(f.clusterId)).toBe(2400);
  });

  it('acknowledges the committed cursor in nodeless-ledger-ack, once per change', async () => {
    f.objects.putChunks(chunksOf(records(1500)));
    await f.service.sync(f.clusterId);
    const ack = f.objects.get(LEDGER_ACK_NAME);
    expect(ack?.data?.[LEDGER_ACK_KEY]).toBe('1:500');
    expect(ack?.metadata?.labels).toEqual({ 'nodeless.dev/ledger': 'ack' });
    await f.service.sync(f.clusterId);
    expect(f.objects.applied).toHaveLength(1);
  });

  it('reads an open chunk as it grows, from the stored offset', async () => {
    const all = records(900);
    const open = (n: number) => ({ ...must(chunksOf(all.slice(0, n))[0]), sealed: false });
    f.objects.putChunks([open(300)]);
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 300, added: 300, cursor: '0:300' });
    f.objects.putChunks([open(900)]);
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 600, added: 600, cursor: '0:900' });
  });

  it('reports a bad chunk by name, keeps the chunks before it and bills nothing of it', async () => {
    const chunks = chunksOf(records(3000));
    f.objects.putChunks(chunks);
    const bad = chunkToConfigMap(must(chunks[1]));
    const lines = (bad.data?.[RECORDS_KEY] ?? '').split('\n');
    lines[10] = '{"uid":"x","segment":-1}';
    f.objects.put({ ...bad, data: { [RECORDS_KEY]: lines.join('\n') } });

    await expect(f.service.sync(f.clusterId)).rejects.toThrow(
      `ledger chunk ${chunkName(1)}: line 11`,
    );
    expect(f.tables.records.count(f.clusterId)).toBe(1000);
    const status = await f.service.status(f.clusterId);
    expect(status.syncError).toContain(chunkName(1));
    expect(status.lastSync).toBeUndefined();
    expect(f.tables.sync.get(f.clusterId)).toMatchObject({ cursor_seq: 0, cursor_offset: 1000 });

    f.objects.putChunks([must(chunks[1])]); // repaired
    expect(await f.service.sync(f.clusterId)).toMatchObject({ read: 2000, added: 2000 });
    expect((await f.service.status(f.clusterId)).syncError).toBeUndefined();
  });

  it('a cluster without the meter: nothing read, nothing written, status absent', async () => {
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 0, added: 0, cursor: '0:0' });
    expect(f.objects.applied).toHaveLength(0);
    const status = await f.service.status(f.clusterId);
    expect(status.meter).toEqual({ state: 'absent' });
    expect(status.lastSync).toMatchObject({ records: 0, cursor: '0:0' });
    expect(status.prices.defaults).toBe(true);
  });

  it('reads a ledger that started over (every chunk below the cursor) from the start', async () => {
    f.objects.putChunks(chunksOf(records(2500)));
    await f.service.sync(f.clusterId);
    f.objects.objects.clear();
    const fresh = records(10).map((r) => ({ ...r, uid: `new-${r.uid}` }));
    f.objects.putChunks(chunksOf(fresh));
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 10, added: 10, cursor: '0:10' });
  });

  it('reads a replaced ledger that reached the cursor from the start (its chunks have new uids)', async () => {
    f.objects.putChunks(chunksOf(records(500)));
    expect(await f.service.sync(f.clusterId)).toMatchObject({ added: 500, cursor: '0:500' });
    // The meter reinstalled with its ledger deleted; the new one is already longer than the
    // cursor's offset in the same chunk number.
    f.objects.objects.clear();
    const fresh = records(700).map((r) => ({ ...r, uid: `new-${r.uid}` }));
    f.objects.putChunks(chunksOf(fresh));
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 700, added: 700, cursor: '0:700' });
    // The same ledger growing (its chunk updated, uid kept) continues from the cursor.
    const more = records(710).map((r) => ({ ...r, uid: `new-${r.uid}` }));
    f.objects.putChunks(chunksOf(more));
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 10, added: 10, cursor: '0:710' });
  });

  it('a chunk mixing held and new records adds and bills only the new ones', async () => {
    const held = records(2500);
    f.objects.putChunks(chunksOf(held));
    await f.service.sync(f.clusterId);
    f.objects.objects.clear();
    const fresh = records(10).map((r) => ({ ...r, uid: `new-${r.uid}` }));
    // Held keys around and between the new ones, in one insert statement's slice.
    const mixed = [...held.slice(0, 3), ...fresh.slice(0, 5), held[3], ...fresh.slice(5)];
    f.objects.putChunks(chunksOf(mixed.filter((r) => r !== undefined)));
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 14, added: 10, cursor: '0:14' });
    const direct = usageFixture();
    try {
      direct.objects.putChunks(chunksOf([...held, ...fresh]));
      await direct.service.sync(direct.clusterId);
      const directTotal = direct.service.table({
        clusterId: direct.clusterId,
        ...range,
        by: 'namespace',
      }).total.costMicros;
      expect(total()).toBe(directTotal);
    } finally {
      direct.close();
    }
  });

  it('imports compacted daily totals for days without records only', async () => {
    f.objects.putChunks(chunksOf(records(300)));
    await f.service.sync(f.clusterId);
    const before = f.service.table({ clusterId: f.clusterId, ...range, by: 'namespace' });
    const total = (day: string, ns: string) => ({
      day,
      namespace: ns,
      owner: { kind: 'Deployment', name: 'old' },
      records: 24,
      podsEnded: 1,
      seconds: 86_400,
      specCpuMilliSeconds: 1000 * 86_400,
      specMemoryKiBSeconds: 1024 * 1024 * 86_400,
      usageCpuMilliSeconds: 0,
      usageMemoryKiBSeconds: 0,
      usageCoveredSeconds: 0,
      usageMissingSeconds: 86_400,
    });
    for (const day of ['2026-11-01', '2026-11-20']) {
      f.objects.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `nodeless-ledger-totals-${day}`,
          namespace: 'nodeless-system',
          labels: { 'nodeless.dev/ledger': 'totals' },
        },
        data: { 'totals.jsonl': `${JSON.stringify(total(day, 'team-0'))}\n` },
      });
    }
    await f.service.sync(f.clusterId);
    const after = f.service.table({ clusterId: f.clusterId, ...range, by: 'namespace' });
    // 2026-11-01 has records (the synthetic ledger starts then): its total is not added.
    // One vCPU-day + one GiB-day at the defaults: 24 × (0.04048 + 0.004445) = 1.0782.
    expect(after.total.costMicros - before.total.costMicros).toBe(1_078_200);
    expect(after.total.seconds - before.total.seconds).toBe(86_400);
    const series = f.service.series({
      clusterId: f.clusterId,
      ...range,
      by: 'namespace',
      bucket: 'day',
    });
    const day20 = series.buckets.indexOf(Date.parse('2026-11-20T00:00:00Z') / 1000);
    expect(series.series.find((s) => s.key === 'team-0')?.costMicros[day20]).toBe(1_078_200);
  });
});

describe('capacity and idle', () => {
  it('idle = sampled capacity − billed specs − overhead per hour; unsampled hours counted', async () => {
    const hour = start + 5 * SEGMENT_SECONDS;
    const rec: LedgerRecord = {
      ...syntheticRecord(0, shape(3)),
      uid: 'u1',
      segment: hour / SEGMENT_SECONDS,
      podStart: hour,
      from: hour,
      to: hour + 1800,
      final: true,
      spec: { cpuMilli: 1000, memoryBytes: 2 ** 30 },
      overhead: { cpuMilli: 100, memoryBytes: 2 ** 20 },
    };
    f.objects.putChunks(chunksOf([rec]));
    await f.service.sync(f.clusterId);
    f.tables.capacity.sample(f.clusterId, hour / SEGMENT_SECONDS, 4000, 8 * 2 ** 30);
    f.tables.capacity.sample(f.clusterId, hour / SEGMENT_SECONDS, 2000, 8 * 2 ** 30);
    const idle = f.service.idle({
      clusterId: f.clusterId,
      from: new Date(hour * 1000).toISOString(),
      to: new Date((hour + 3 * SEGMENT_SECONDS) * 1000).toISOString(),
    });
    expect(idle.hoursWithoutCapacity).toBe(2);
    expect(idle.hours).toHaveLength(1);
    const h = must(idle.hours[0]);
    expect(h.capacity.cpuMilliSeconds).toBe(3000 * 3600);
    expect(h.billed.cpuMilliSeconds).toBe(1000 * 1800);
    expect(h.overhead.cpuMilliSeconds).toBe(100 * 1800);
    expect(h.idle.cpuMilliSeconds).toBe(3000 * 3600 - 1100 * 1800);
    expect(h.idle.memoryKiBSeconds).toBe(8 * 2 ** 20 * 3600 - (2 ** 20 + 2 ** 10) * 1800);
    expect(idle.total.idleMicros).toBe(h.idleMicros);
    expect(h.overcommitted).toBe(false);
  });
});
