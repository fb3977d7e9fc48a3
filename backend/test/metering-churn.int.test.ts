/**
 * Issue 15's first "Done when", end to end on the real control plane with KWOK: 1,000 pods with
 * lifetimes from 1 s to 10 min — some Jobs, some deleted while they run, some with init
 * containers, in three tenant namespaces — go through the admission finalizer, the meter (a
 * process with its ServiceAccount's token), the ledger ConfigMaps, the backend's sync into
 * SQLite and its bill; every pod is billed exactly the seconds of the reference the test computes
 * from the pod's own API timestamps (metering-reference.ts), and the totals (table, per
 * namespace, CSV) equal the sums. Each pod's cost is checked too, against the reference seconds
 * priced per UTC hour (metering-reference.ts).
 *
 * One run of about 11 minutes: the longest lives are created first, at 20 pods a second, so
 * creation (≈ 50 s) overlaps the 10-minute pods.
 */
import { expect, it } from 'vitest';
import { compareBill, rowSums } from './metering-bill.ts';
import { churnPlan, runChurn } from './metering-churn.ts';
import { allRecorded, missingFinalizer, TEST_NANOS, useMeteringLab } from './metering-lab.ts';

const NAMESPACES = ['billing-a', 'billing-b', 'billing-c'];
const COUNT = 1000;
const lab = useMeteringLab('metering-churn', {
  nodes: 2,
  metrics: false,
  // Room for all 1,000 pods at once (the scheduler counts every pod that has not ended).
  node: { pods: 1100, cpus: 600, memoryGiB: 2400 },
});

/** Micro-units of a CSV cost with six decimals ("0.001234" → 1234), exactly. */
function micros(text: string): number {
  const match = /^(\d+)\.(\d{6})$/.exec(text);
  if (!match) throw new Error(`not a six-decimal amount: ${text}`);
  return Number(match[1]) * 1_000_000 + Number(match[2]);
}

it(
  'bills each of 1,000 churned pods its reference seconds, and the totals are the sums',
  async () => {
    const m = lab();
    const from = Math.floor(Date.now() / 3_600_000) * 3600 - 3600;
    const plan = churnPlan({
      count: COUNT,
      namespaces: NAMESPACES,
      minLifetimeS: 1,
      maxLifetimeS: 600,
      ratePerSecond: 20,
      jobShare: 0.1,
      deleteShare: 0.2,
      initShare: 0.2,
      run: m.run,
    });
    expect(new Set(plan.map((i) => i.kind))).toEqual(new Set(['pod', 'job', 'deleted']));
    const churn = await runChurn(m.kube, m.observer, plan, m.run);
    expect(churn.failures).toEqual([]);
    await m.observer.waitUntil(
      () => allRecorded(m.observer, COUNT),
      8 * 60_000,
      'every churned pod recorded and released by the meter',
    );
    expect(m.observer.gaps).toEqual([]);
    expect(m.observer.pods.size).toBe(COUNT);
    expect(missingFinalizer(m.observer)).toEqual([]);

    const to = Math.ceil(Date.now() / 3_600_000) * 3600 + 3600;
    const references = m.observer.references();
    const table = await m.bill(from, to, 'pod');
    const check = compareBill(table, references, {
      minimumSeconds: 0,
      namespaces: NAMESPACES,
      prices: TEST_NANOS,
    });
    expect(check.mismatches).toEqual([]);
    expect(check.compared).toBe(COUNT);
    const inScope = table.rows.filter((r) => NAMESPACES.includes(r.namespace));
    expect(inScope).toHaveLength(COUNT);
    // Nothing else runs in the lab's tenant namespaces: the totals are this run's.
    expect(table.total.pods).toBe(COUNT);
    expect(table.total.seconds).toBe(check.expectedSeconds);
    expect(table.total.costMicros).toBe(check.expectedMicros);
    expect(rowSums(table)).toEqual({
      pods: table.total.pods,
      seconds: table.total.seconds,
      costMicros: table.total.costMicros,
    });

    const byNamespace = await m.bill(from, to, 'namespace');
    for (const ns of NAMESPACES) {
      const row = byNamespace.rows.find((r) => r.namespace === ns);
      const seconds = references
        .filter((r) => r.namespace === ns)
        .reduce((s, r) => s + (r.settled ? r.seconds : 0), 0);
      expect({ ns, seconds: row?.seconds, pods: row?.pods }).toEqual({
        ns,
        seconds,
        pods: references.filter((r) => r.namespace === ns).length,
      });
    }
    expect(byNamespace.total).toMatchObject({
      seconds: table.total.seconds,
      costMicros: table.total.costMicros,
    });

    // The CLI's CSV (issue 15's exact header) carries the same seconds and the same money.
    const [header, ...lines] = (await m.csv(from, to)).trim().split(/\r?\n/);
    expect(header).toBe('namespace,pod,uid,start,end,seconds,vcpu,memory_gib,cost');
    const csvSeconds = new Map<string, number>();
    let csvMicros = 0;
    for (const line of lines) {
      const cols = line.split(',');
      const [uid, seconds, cost] = [cols[2] ?? '', cols[5] ?? '', cols[8] ?? ''];
      csvSeconds.set(uid, Number(seconds));
      csvMicros += micros(cost);
    }
    for (const r of references)
      if (r.settled) expect([r.uid, csvSeconds.get(r.uid)]).toEqual([r.uid, r.seconds]);
    expect(csvMicros).toBe(table.total.costMicros);
  },
  15 * 60_000,
);
