/** Compaction over the store's extents: it reads the records of the chunks it folds itself. */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { RESOURCES, type LedgerRecord } from '@nodeless/cluster-runtime';
import { compactOnce, totalsFromConfigMap } from '../src/compaction.ts';
import { createLedgerStore } from '../src/ledger-store.ts';
import { fakeClient } from './fake-client.ts';

const NS = 'nodeless-system';
const CM = RESOURCES.configMaps;

/** A final one-minute record of pod `uid` in hour `segment`. */
const record = (uid: string, segment: number): LedgerRecord => ({
  uid,
  segment,
  namespace: 'team',
  name: uid,
  spec: { cpuMilli: 500, memoryBytes: 1024 ** 3 },
  podStart: segment * 3600,
  from: segment * 3600,
  to: segment * 3600 + 60,
  final: true,
  usage: { state: 'missing' },
});

describe('compaction', () => {
  it('folds and deletes the acknowledged old chunks, reading them from the API, once', async () => {
    const api = fakeClient();
    const store = createLedgerStore({
      client: api,
      namespace: NS,
      canWrite: () => true,
      log: () => {},
      limits: { maxRecords: 3, maxBytes: 512 * 1024 },
    });
    const old = Array.from({ length: 9 }, (_, i) => record(`old${i}`, 400_000 + i));
    await store.append([...old, record('new1', 500_000), record('new2', 500_000)]);
    api.put(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'nodeless-ledger-ack', namespace: NS },
      data: { cursor: '3:0' },
    } as V1ConfigMap);
    const deps = {
      client: api,
      store,
      namespace: NS,
      retentionSeconds: 86_400,
      canWrite: () => true,
      log: () => {},
    };
    const now = 500_000 * 3600 + 7200;
    expect(await compactOnce(deps, now)).toEqual([0, 1, 2]);
    expect(store.chunks().map((c) => c.seq)).toEqual([3]);
    const left = api
      .all<V1ConfigMap>('ConfigMap')
      .filter((c) => c.metadata?.labels?.['nodeless.dev/ledger'] === 'records');
    expect(left.map((c) => c.metadata?.name)).toEqual(['nodeless-ledger-000000000003']);
    const totals = api
      .all<V1ConfigMap>('ConfigMap')
      .filter((c) => c.data?.['totals.jsonl'] !== undefined)
      .flatMap(totalsFromConfigMap);
    expect(totals.reduce((s, t) => s + t.seconds, 0)).toBe(9 * 60);
    expect(await compactOnce(deps, now)).toEqual([]);
  });
});
