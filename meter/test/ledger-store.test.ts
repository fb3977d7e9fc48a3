import { describe, expect, it } from 'vitest';
import {
  chunkFromConfigMap,
  chunkName,
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
});
