import { describe, expect, it } from 'vitest';
import {
  appendRecords,
  chunkFromConfigMap,
  chunkName,
  chunkToConfigMap,
  recordLine,
  RESOURCES,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { createLedgerStore, NotLeaderError } from '../src/ledger-store.ts';
import { fakeClient, type FakeClient } from './fake-client.ts';

const NS = 'nodeless-system';
const CM = RESOURCES.configMaps;

export function record(uid: string, segment = 500_000, final = true): LedgerRecord {
  const from = segment * 3600;
  return {
    uid,
    segment,
    namespace: 'team',
    name: uid,
    spec: { cpuMilli: 500, memoryBytes: 1024 ** 3 },
    podStart: from,
    from,
    to: from + 60,
    final,
    usage: { state: 'missing' },
  };
}

const chunks = (api: FakeClient) =>
  api
    .all<V1ConfigMap>('ConfigMap')
    .filter((c) => c.metadata?.labels?.['nodeless.dev/ledger'] === 'records')
    .map((c) => ({ ...chunkFromConfigMap(c), immutable: c.immutable === true }))
    .sort((a, b) => a.seq - b.seq);

/** Chunks of 3 records in the fake API server, as a previous leader wrote them. */
function seed(api: FakeClient, records: LedgerRecord[]): void {
  const limits = { maxRecords: 3, maxBytes: 512 * 1024 };
  for (const c of appendRecords([], records, limits).chunks) {
    const cm = chunkToConfigMap(c, NS);
    api.put(CM, c.sealed ? { ...cm, immutable: true } : cm);
  }
}

/** The watermark as the meter writes it (the end of the last flushed hour, epoch seconds). */
const putWatermark = (api: FakeClient, seconds: number) =>
  api.put(CM, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'nodeless-meter-state', namespace: NS },
    data: { watermark: String(seconds) },
  } as V1ConfigMap);

/** Pages the store asked for (the fake pages like the API server). */
function countPages(api: FakeClient): { pages: number } {
  const seen = { pages: 0 };
  const list = api.list.bind(api);
  api.list = (...args: Parameters<FakeClient['list']>) => {
    seen.pages++;
    return list(...args);
  };
  return seen;
}

const store = (api: FakeClient, canWrite = () => true) =>
  createLedgerStore({
    client: api,
    namespace: NS,
    canWrite,
    log: () => {},
    limits: { maxRecords: 3, maxBytes: 512 * 1024 },
  });

describe('ledger store', () => {
  it('creates the first chunk, updates it with the resourceVersion it read, seals it when full', async () => {
    const api = fakeClient();
    const s = store(api);
    await s.append([record('a'), record('b')]);
    await s.append([record('c'), record('d')]);
    const got = chunks(api);
    expect(got.map((c) => [c.seq, c.records.map((r) => r.uid), c.immutable])).toEqual([
      [0, ['a', 'b', 'c'], true],
      [1, ['d'], false],
    ]);
    expect(api.calls).toEqual([
      `create ConfigMap ${chunkName(0)}`,
      `replace ConfigMap ${chunkName(0)}`,
      `create ConfigMap ${chunkName(1)}`,
    ]);
  });

  it('writes each chunk as exactly its records’ lines, appended across writes and a reload', async () => {
    const api = fakeClient();
    const text = (seq: number) =>
      api.all<V1ConfigMap>('ConfigMap').find((c) => c.metadata?.name === chunkName(seq))?.data?.[
        'records.jsonl'
      ];
    const r = ['a', 'b', 'c', 'd', 'e'].map((uid) => record(uid));
    const lines = (rs: LedgerRecord[]) => rs.map(recordLine).join('');
    const first = store(api);
    await first.load();
    await first.append(r.slice(0, 1));
    await first.append(r.slice(1, 2));
    expect(text(0)).toBe(lines(r.slice(0, 2)));
    // A new leader continues the open chunk from what it read.
    const second = store(api);
    await second.load();
    await second.append(r.slice(2));
    expect(text(0)).toBe(lines(r.slice(0, 3)));
    expect(text(1)).toBe(lines(r.slice(3)));
    await second.append([record('f')]);
    expect(text(1)).toBe(lines([...r.slice(3), record('f')]));
    const [, open] = chunks(api);
    expect(open && chunkToConfigMap(open, NS).data?.['records.jsonl']).toBe(text(1));
  });

  it('re-reads and appends again after a 409: a second writer’s records and its own, each once', async () => {
    const api = fakeClient();
    const mine = store(api);
    const other = store(api);
    await mine.append([record('a')]);
    await other.append([record('b')]); // other read chunk 0 fresh and updated it
    const out = await mine.append([record('b'), record('c')]); // mine holds a stale version
    expect(out).toMatchObject({ appended: 1, duplicates: 1 });
    expect(chunks(api)[0]?.records.map((r) => r.uid)).toEqual(['a', 'b', 'c']);
    expect(api.calls.filter((c) => c.startsWith('replace'))).toHaveLength(3);
  });

  it('never creates over a chunk another writer created (409 AlreadyExists → re-read)', async () => {
    const api = fakeClient();
    const mine = store(api);
    await mine.load();
    await store(api).append([record('x')]);
    await mine.append([record('y')]);
    expect(chunks(api).map((c) => c.records.map((r) => r.uid))).toEqual([['x', 'y']]);
  });

  it('writes nothing when this replica is not the leader', async () => {
    const api = fakeClient();
    await expect(store(api, () => false).append([record('a')])).rejects.toBeInstanceOf(
      NotLeaderError,
    );
    expect(api.calls).toEqual([]);
  });

  it('keeps the watermark in nodeless-meter-state and never moves it back', async () => {
    const api = fakeClient();
    const s = store(api);
    expect(await s.readWatermark()).toBeUndefined();
    await s.writeWatermark(7200);
    await s.writeWatermark(3600);
    expect(await s.readWatermark()).toBe(7200);
    const cm = await api.get<V1ConfigMap>(CM, 'nodeless-meter-state', NS);
    expect(cm?.metadata?.labels).toEqual({ 'nodeless.dev/ledger': 'state' });
  });

  it('reads the desktop’s ack cursor', async () => {
    const api = fakeClient();
    api.put(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'nodeless-ledger-ack', namespace: NS },
      data: { cursor: '4:17' },
    } as V1ConfigMap);
    expect(await store(api).readAck()).toEqual({ seq: 4, offset: 17 });
  });

  it('after a reload, a record whose key is in an old sealed chunk within the window is not written twice', async () => {
    const api = fakeClient();
    const W = 500_000 * 3600; // watermark: hour 500,000 starts; segments from it on may come again
    putWatermark(api, W);
    const old = Array.from({ length: 9 }, (_, i) => record(`old${i}`, 499_000 + i));
    // `late` ended in hour 500,000 (to > W): it sits in sealed chunk 3, followed by 3 more chunks.
    const late = record('late', 500_000);
    const after = Array.from({ length: 9 }, (_, i) => record(`new${i}`, 500_001));
    seed(api, [...old, late, record('x', 500_000), record('y', 500_000), ...after, record('t')]);
    const s = store(api);
    const pages = countPages(api);
    await s.load();
    expect(s.chunks().find((c) => c.seq === 3)?.sealed).toBe(true);
    const writes = api.calls.length;
    const out = await s.append([record('late', 500_000), record('new4', 500_001)]);
    expect(out).toMatchObject({ appended: 0, duplicates: 2, written: [] });
    expect(api.calls.length).toBe(writes);
    // Read in pages; the records of old hours (to <= W) are not held.
    expect(pages.pages).toBeGreaterThan(1);
    expect(s.held()).toEqual({ tailRecords: 1, keys: 13 });
    const ledger = chunks(api).flatMap((c) => c.records.map((r) => r.uid));
    expect(ledger.filter((u) => u === 'late')).toHaveLength(1);
  });

  it('holds only the tail and the keys in the window, however many sealed chunks there are', async () => {
    const heldWith = async (sealedChunks: number) => {
      const api = fakeClient();
      const W = 500_000 * 3600;
      putWatermark(api, W);
      const old = Array.from({ length: sealedChunks * 3 }, (_, i) =>
        record(`old${i}`, 499_000 + (i % 900)),
      );
      seed(api, [...old, record('open', 500_000)]);
      const pages = countPages(api);
      const s = store(api);
      await s.append([record('next', 500_000)]);
      expect(s.chunks()).toHaveLength(sealedChunks + 1);
      return { ...s.held(), pages: pages.pages };
    };
    const few = await heldWith(2);
    const many = await heldWith(95);
    expect(few).toMatchObject({ tailRecords: 2, keys: 2 });
    expect(many).toMatchObject({ tailRecords: 2, keys: 2 });
    expect(many.pages).toBeGreaterThan(few.pages); // paged: no page holds every chunk
  });

  it('drops the keys the watermark passes; a key still in the window stays deduped', async () => {
    const api = fakeClient();
    const s = store(api);
    await s.append([record('a', 500_000), record('b', 500_001), record('c', 500_002)]);
    await s.append([record('d', 500_002)]);
    expect(s.held()).toEqual({ tailRecords: 1, keys: 4 });
    await s.writeWatermark(500_002 * 3600); // a, b ended before it; c, d end after it
    expect(s.held()).toEqual({ tailRecords: 1, keys: 2 });
    expect(await s.append([record('c', 500_002)])).toMatchObject({ appended: 0, duplicates: 1 });
  });

  it('reads a sealed chunk’s records on demand (compaction) and keeps only its extent', async () => {
    const api = fakeClient();
    const s = store(api);
    await s.append([record('a', 500_000), record('b', 500_001), record('c', 500_002), record('d')]);
    expect(s.chunks()).toEqual([
      { seq: 0, sealed: true, count: 3, maxTo: 500_002 * 3600 + 60 },
      { seq: 1, sealed: false, count: 1, maxTo: 500_000 * 3600 + 60 },
    ]);
    expect((await s.read(0))?.records.map((r) => r.uid)).toEqual(['a', 'b', 'c']);
  });
});
