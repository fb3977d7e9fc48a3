import {
  billRecord,
  podBills,
  POD_CSV_HEADER,
  podCsvRow,
  type LedgerRecord,
  type Prices,
} from '@nodeless/cluster-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../inventory/errors.ts';
import { NAMESPACE_CSV_HEADER, WORKLOAD_CSV_HEADER } from './csv.ts';
import { chunksOf, syntheticRecord } from './ledger-fixture.ts';
import { DEFAULT_PRICES } from './prices.ts';
import { usageFixture, type UsageFixture } from './usage-test-setup.ts';

/** The value, or a failed test when it is missing. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

const start = Date.parse('2026-11-01T00:00:00Z') / 1000;
const N = 3000;
const all: LedgerRecord[] = Array.from({ length: N }, (_, i) =>
  syntheticRecord(i, {
    records: N,
    namespaces: 4,
    workloadsPerNamespace: 3,
    startHour: start,
    hours: 96,
  }),
);
const iso = (s: number) => new Date(s * 1000).toISOString();

let f: UsageFixture;
beforeEach(async () => {
  f = usageFixture();
  f.objects.putChunks(chunksOf(all));
  await f.service.sync(f.clusterId);
});
afterEach(() => f.close());

/** The JS reference: cluster-runtime's per-pod bills over the records whose `from` is in range. */
function reference(from: number, to: number, prices: Prices = DEFAULT_PRICES) {
  return podBills(
    all.filter((r) => r.from >= from && r.from < to),
    prices,
  );
}

const ranges = [
  { name: 'whole days', from: start, to: start + 4 * 86_400 },
  {
    name: 'partial days at both ends',
    from: start + 5 * 3600,
    to: start + 2 * 86_400 + 7 * 3600,
  },
  { name: 'within one day', from: start + 86_400 + 3600, to: start + 86_400 + 9 * 3600 },
];

describe('the bill', () => {
  it('rates every record as billRecord does (one rounding per record)', () => {
    for (const r of all.slice(0, 200)) {
      const row = f.tables.records.pod(f.clusterId, r.uid).find((x) => x.segment === r.segment);
      const bill = billRecord(r, DEFAULT_PRICES);
      expect([row?.billed_seconds, row?.cost_micros]).toEqual([bill.billedSeconds, bill.micros]);
    }
  });

  for (const range of ranges) {
    it(`by pod equals podBills over the records of the range (${range.name})`, () => {
      const table = f.service.table({
        clusterId: f.clusterId,
        from: iso(range.from),
        to: iso(range.to),
        by: 'pod',
      });
      const ref = reference(range.from, range.to);
      expect(table.rows).toHaveLength(ref.length);
      const byUid = new Map(ref.map((p) => [p.uid, p]));
      for (const row of table.rows) {
        const p = byUid.get(row.key);
        expect([row.seconds, row.costMicros]).toEqual([p?.billedSeconds, p?.micros]);
      }
    });

    it(`namespace and workload rows add up to their totals and to the pods (${range.name})`, () => {
      const input = { clusterId: f.clusterId, from: iso(range.from), to: iso(range.to) };
      const pods = f.service.table({ ...input, by: 'pod' });
      const ref = reference(range.from, range.to);
      for (const by of ['namespace', 'workload', 'pod'] as const) {
        const table = f.service.table({ ...input, by });
        const sum = (k: 'costMicros' | 'seconds' | 'pods') =>
          table.rows.reduce((s, r) => s + r[k], 0);
        expect(table.total.costMicros).toBe(sum('costMicros'));
        expect(table.total.seconds).toBe(sum('seconds'));
        expect(table.total.pods).toBe(sum('pods'));
        expect(table.total.costMicros).toBe(pods.total.costMicros);
        // Pods counted once each, whichever days and pieces they span.
        expect(table.total.pods).toBe(ref.length);
      }
    });
  }

  it('drills down: a namespace, then a workload, then its pods', () => {
    const input = { clusterId: f.clusterId, from: iso(start), to: iso(start + 4 * 86_400) };
    const ns = must(f.service.table({ ...input, by: 'namespace' }).rows[0]);
    const workloads = f.service.table({ ...input, by: 'workload', namespace: ns.namespace });
    expect(workloads.total.costMicros).toBe(ns.costMicros);
    const bare = workloads.rows.find((r) => r.key === `${ns.namespace}/`);
    const deployment = must(workloads.rows.find((r) => r.workload?.kind === 'Deployment'));
    expect(bare?.workload).toBeUndefined();
    const pods = f.service.table({
      ...input,
      by: 'pod',
      namespace: ns.namespace,
      workload: `Deployment/${deployment.workload?.name}`,
    });
    expect(pods.total.costMicros).toBe(deployment.costMicros);
    expect(pods.rows.every((r) => r.workload?.name === deployment.workload?.name)).toBe(true);
    const barePods = f.service.table({
      ...input,
      by: 'pod',
      namespace: ns.namespace,
      workload: '',
    });
    expect(barePods.total.costMicros).toBe(bare?.costMicros);
  });

  it('stacks cost over time: every bucket of every series adds up to the table', () => {
    const input = {
      clusterId: f.clusterId,
      from: iso(start + 3600),
      to: iso(start + 3 * 86_400 + 5 * 3600),
    };
    const table = f.service.table({ ...input, by: 'workload' });
    for (const bucket of ['hour', 'day'] as const) {
      const series = f.service.series({ ...input, by: 'workload', bucket });
      const sum = series.series.flatMap((s) => s.costMicros).reduce((a, b) => a + b, 0);
      expect(sum).toBe(table.total.costMicros);
      expect(series.series.length).toBe(table.rows.length);
    }
  });

  it('says missing for usage never measured, never 0', () => {
    const missingPod = must(all.find((r) => r.usage.state === 'missing'));
    const bill = f.service.pod({ clusterId: f.clusterId, uid: missingPod.uid });
    expect(bill.efficiency).toEqual({ state: 'missing' });
    const measuredPod = must(all.find((r) => r.usage.state === 'measured'));
    const measured = f.service.pod({ clusterId: f.clusterId, uid: measuredPod.uid });
    expect(measured.efficiency).toMatchObject({ state: 'measured', cpuPpm: expect.any(Number) });
    expect(measured.line).toMatch(/^billed .+ for .+ = \d+\.\d{6}$/);
  });

  it('exports CSV: the pod header exactly, one line per pod, costs as on the screen', () => {
    const input = { clusterId: f.clusterId, from: iso(start), to: iso(start + 86_400) };
    const csv = f.service.csv({ ...input, by: 'pod' });
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe(POD_CSV_HEADER);
    const ref = reference(start, start + 86_400);
    expect(lines).toHaveLength(ref.length + 1);
    expect(new Set(lines.slice(1))).toEqual(new Set(ref.map(podCsvRow)));
    expect(csv.filename).toBe('usage-lab-pod-20261101T000000Z-20261102T000000Z.csv');
    const ns = f.service.csv({ ...input, by: 'namespace' }).text.split('\n');
    expect(ns[0]).toBe(NAMESPACE_CSV_HEADER);
    expect(ns[1]).toMatch(/^team-\d,\d+,\d+,\d+\.\d{3},\d+\.\d{6},\d+\.\d{6},(\d\.\d{6}|missing),/);
    expect(f.service.csv({ ...input, by: 'workload' }).text.split('\n')[0]).toBe(
      WORKLOAD_CSV_HEADER,
    );
  });

  it('says missing, never 0, where no usage was measured', async () => {
    const unmeasured = usageFixture();
    try {
      const missing = all.map((r) => ({ ...r, usage: { state: 'missing' as const } }));
      unmeasured.objects.putChunks(chunksOf(missing));
      await unmeasured.service.sync(unmeasured.clusterId);
      const input = { clusterId: unmeasured.clusterId, from: iso(start), to: iso(start + 86_400) };
      for (const by of ['namespace', 'workload'] as const) {
        const rows = unmeasured.service
          .csv({ ...input, by })
          .text.trimEnd()
          .split('\n')
          .slice(1);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row, by).toMatch(/,missing,missing$/);
      }
    } finally {
      unmeasured.close();
    }
  });
});

describe('prices', () => {
  it('re-rates every record when prices change, with the minimum applied to final records', async () => {
    const input = { clusterId: f.clusterId, from: iso(start), to: iso(start + 4 * 86_400) };
    const settings = await f.service.pricesSet({
      clusterId: f.clusterId,
      mode: 'entered',
      currency: 'eur',
      minimumSeconds: 60,
      perVcpuHour: '0.05',
      perGibHour: '0.005000001',
    });
    expect(settings).toMatchObject({
      currency: 'EUR',
      nanosPerVcpuHour: 50_000_000,
      nanosPerGibHour: 5_000_001,
      defaults: false,
    });
    const prices: Prices = {
      currency: 'EUR',
      nanosPerVcpuHour: 50_000_000,
      nanosPerGibHour: 5_000_001,
      minimumSeconds: 60,
    };
    const ref = reference(start, start + 4 * 86_400, prices);
    const table = f.service.table({ ...input, by: 'namespace' });
    expect(table.currency).toBe('EUR');
    expect(table.total.costMicros).toBe(ref.reduce((s, p) => s + p.micros, 0));
    expect(table.total.seconds).toBe(ref.reduce((s, p) => s + p.billedSeconds, 0));
  });

  it('refuses bad input naming each field, and saves nothing', async () => {
    const bad = f.service.pricesSet({
      clusterId: f.clusterId,
      mode: 'entered',
      currency: 'dollars',
      minimumSeconds: -1,
      perVcpuHour: '0,04',
      perGibHour: '-1',
    });
    await expect(bad).rejects.toBeInstanceOf(InputError);
    await expect(bad).rejects.toMatchObject({
      fieldErrors: {
        currency: expect.any(String),
        minimumSeconds: expect.any(String),
        perVcpuHour: expect.any(String),
        perGibHour: expect.any(String),
      },
    });
    const derived = f.service.pricesSet({
      clusterId: f.clusterId,
      mode: 'derived',
      currency: 'USD',
      minimumSeconds: 0,
      monthlyCostPerMachine: '0',
      targetUtilisationPercent: 101,
    });
    await expect(derived).rejects.toMatchObject({
      fieldErrors: {
        monthlyCostPerMachine: expect.any(String),
        targetUtilisationPercent: expect.any(String),
      },
    });
    expect(f.service.pricesGet(f.clusterId).defaults).toBe(true);
  });
});
