/**
 * Metering's desktop side on the real control plane (issue 15): ledger chunks written as the
 * meter writes them (chunkToConfigMap, sealed = immutable) into `nodeless-system` → `usage.sync`
 * → the bill by namespace and by pod and its CSV equal cluster-runtime's reference (podBills over
 * the same records); the ack ConfigMap holds the cursor; a second sync adds nothing; a chunk
 * that does not parse is refused by name and nothing of it is billed; `nodeless usage` (CLI) on
 * the same data dir prints the same CSV.
 */
import path from 'node:path';
import {
  chunkToConfigMap,
  createKubeClient,
  LEDGER_ACK_KEY,
  LEDGER_ACK_NAME,
  LEDGER_NAMESPACE,
  podBills,
  RECORDS_KEY,
  type KubeClient,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunksOf, syntheticRecord } from '../src/usage/ledger-fixture.ts';
import { DEFAULT_PRICES } from '../src/usage/prices.ts';
import { runNodeless } from './cli-harness.ts';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { client } from './support.ts';

const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const start = Date.parse('2026-11-02T00:00:00Z') / 1000;
const N = 2500;
const records: LedgerRecord[] = Array.from({ length: N }, (_, i) =>
  syntheticRecord(i, {
    records: N,
    namespaces: 3,
    workloadsPerNamespace: 3,
    startHour: start,
    hours: 72,
  }),
);
const range = { from: '2026-11-01T00:00:00Z', to: '2026-11-10T00:00:00Z' };

let lab: LabBackend;
let kube: KubeClient;
beforeAll(async () => {
  lab = await startLabBackend('usage-sync');
  kube = createKubeClient(lab.cp.kubeconfig);
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEDGER_NAMESPACE } });
  for (const chunk of chunksOf(records)) await kube.create(CONFIG_MAP, chunkToConfigMap(chunk));
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

const nodeless = (...args: string[]) =>
  runNodeless(args, {
    homeDir: lab.dir,
    cwd: lab.dir,
    defaultDataDir: path.join(lab.dir, 'data'),
  });

describe('usage on the real control plane', () => {
  it('syncs the ledger, bills it as the reference does, and acknowledges it', async () => {
    const api = client(lab.backend);
    const status = await api.usage.status.query({ clusterId: lab.clusterId });
    expect(status.meter).toEqual({ state: 'absent' });

    const first = await api.usage.sync.mutate({ clusterId: lab.clusterId });
    expect(first).toEqual({ read: N, added: N, cursor: '2:500' });
    const ack = await kube.get<{ kind?: string; data?: Record<string, string> }>(
      CONFIG_MAP,
      LEDGER_ACK_NAME,
      LEDGER_NAMESPACE,
    );
    expect(ack?.data?.[LEDGER_ACK_KEY]).toBe('2:500');

    const ref = podBills(records, DEFAULT_PRICES);
    const refCost = ref.reduce((s, p) => s + p.micros, 0);
    const byNs = await api.usage.table.query({
      clusterId: lab.clusterId,
      ...range,
      by: 'namespace',
    });
    expect(byNs.rows.map((r) => r.key).sort()).toEqual(['team-0', 'team-1', 'team-2']);
    expect(byNs.total.costMicros).toBe(refCost);
    expect(byNs.total.pods).toBe(ref.length);
    expect(byNs.total.costMicros).toBe(byNs.rows.reduce((s, r) => s + r.costMicros, 0));

    const csv = await api.usage.csv.query({ clusterId: lab.clusterId, ...range, by: 'pod' });
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe('namespace,pod,uid,start,end,seconds,vcpu,memory_gib,cost');
    expect(lines).toHaveLength(ref.length + 1);
    const csvCost = lines
      .slice(1)
      .map((l) => Math.round(Number(l.split(',').at(-1)) * 1e6))
      .reduce((a, b) => a + b, 0);
    expect(csvCost).toBe(refCost);

    const second = await api.usage.sync.mutate({ clusterId: lab.clusterId });
    expect(second).toEqual({ read: 0, added: 0, cursor: '2:500' });
    const again = await api.usage.table.query({
      clusterId: lab.clusterId,
      ...range,
      by: 'namespace',
    });
    expect(again.total.costMicros).toBe(refCost);

    const cli = await nodeless(
      'usage',
      '--cluster',
      'lab',
      '--from',
      range.from,
      '--to',
      range.to,
      '--by',
      'pod',
      '--csv',
    );
    expect(cli.stderr).toContain('0 new');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(csv.text);
    const human = await nodeless(
      'usage',
      '--cluster',
      'lab',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-10',
      '--by',
      'namespace',
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('team-0');
    expect(human.stdout).toContain(`${(refCost / 1e6).toFixed(6)} USD`);
  });

  it('refuses a chunk that does not parse by name, billing nothing of it', async () => {
    const api = client(lab.backend);
    const [bad] = chunksOf(
      records.slice(0, 3).map((r) => ({ ...r, uid: `bad-${r.uid}` })),
      3,
    );
    const cm = chunkToConfigMap({ ...(bad as NonNullable<typeof bad>), sealed: false });
    cm.data = { [RECORDS_KEY]: `${cm.data?.[RECORDS_KEY] ?? ''}not json\n` };
    await kube.create(CONFIG_MAP, cm);
    const error = await api.usage.sync
      .mutate({ clusterId: lab.clusterId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as Error).message).toContain('ledger chunk nodeless-ledger-000000000003: line 4');
    const status = await api.usage.status.query({ clusterId: lab.clusterId });
    expect(status.syncError).toContain('nodeless-ledger-000000000003');
    const table = await api.usage.table.query({ clusterId: lab.clusterId, ...range, by: 'pod' });
    expect(table.rows.some((r) => r.key.startsWith('bad-'))).toBe(false);

    const cli = await nodeless('usage', '--cluster', 'lab', '--by', 'namespace');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('nodeless-ledger-000000000003');
    const usageError = await nodeless('usage', '--cluster', 'lab', '--by', 'node');
    expect(usageError.code).toBe(2);
    expect(usageError.stderr).toContain('--by');
  });
});
