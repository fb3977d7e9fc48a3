/**
 * Issue 15's "Done when", the outages that are not the meter's own (those are meter/'s tests),
 * on one real control plane with KWOK and metrics-server:
 * - the backend (the desktop) is stopped, pods are created, run and deleted, the backend starts
 *   again: every one of those pods is billed its reference seconds — the meter kept running and
 *   the ledger waited in the cluster — and syncing again bills nothing twice;
 * - metrics-server is stopped: pods that live meanwhile show usage "missing" (never 0), and the
 *   bill is unchanged — the same reference seconds and cost as pods measured before, whose rows
 *   do not move either.
 */
import { expect, it } from 'vitest';
import { compareBill } from './metering-bill.ts';
import { churnPlan, runChurn, type ChurnOptions } from './metering-churn.ts';
import { allRecorded, missingFinalizer, TEST_NANOS, useMeteringLab } from './metering-lab.ts';
import type { Reference } from './metering-reference.ts';

const lab = useMeteringLab('metering-outages', {
  nodes: 1,
  metrics: true,
  node: { pods: 300, cpus: 200, memoryGiB: 800 },
});

const hourAgo = () => Math.floor(Date.now() / 3_600_000) * 3600 - 3600;
const inAnHour = () => Math.ceil(Date.now() / 3_600_000) * 3600 + 3600;
const within = (namespaces: readonly string[]) => (r: Reference) =>
  namespaces.includes(r.namespace);

/** Churns `options` and waits until the meter released every pod of those namespaces. */
async function churnAndRecord(options: Omit<ChurnOptions, 'run'>): Promise<Reference[]> {
  const m = lab();
  const plan = churnPlan({ ...options, run: m.run });
  const churn = await runChurn(m.kube, m.observer, plan, m.run);
  expect(churn.failures).toEqual([]);
  const mine = () =>
    [...m.observer.pods.values()].filter((p) => options.namespaces.includes(p.namespace));
  await m.observer.waitUntil(
    () => mine().length >= options.count && allRecorded(m.observer, 0),
    5 * 60_000,
    `the pods of ${options.namespaces.join(', ')} recorded and released`,
  );
  expect(m.observer.gaps).toEqual([]);
  expect(mine()).toHaveLength(options.count);
  return m.observer.references().filter(within(options.namespaces));
}

it(
  'bills every pod that was created, ran and was deleted while the backend was stopped',
  async () => {
    const m = lab();
    const namespaces = ['closed-a', 'closed-b'];
    const from = hourAgo();
    // The backend has synced before (it holds a cursor), then the desktop is closed.
    await m.bill(from, inAnHour());
    await m.lab.stopBackend();
    const references = await churnAndRecord({
      count: 60,
      namespaces,
      minLifetimeS: 1,
      maxLifetimeS: 30,
      ratePerSecond: 10,
      jobShare: 0.2,
      deleteShare: 0.3,
      initShare: 0.3,
      seed: 2,
    });
    expect(missingFinalizer(m.observer)).toEqual([]);
    // Everything is over: the deleted pods are gone from the API, the rest are terminal.
    expect(references.filter((r) => m.observer.pods.get(r.uid)?.deleted).length).toBeGreaterThan(0);

    await m.lab.startBackend();
    const table = await m.bill(from, inAnHour());
    const check = compareBill(table, references, {
      minimumSeconds: 0,
      namespaces,
      prices: TEST_NANOS,
    });
    expect(check.mismatches).toEqual([]);
    expect(check.compared).toBe(60);

    // A second sync reads the same ledger again and bills nothing twice.
    const again = await m.bill(from, inAnHour());
    expect(compareBill(again, references, { minimumSeconds: 0, namespaces }).mismatches).toEqual(
      [],
    );
    expect(again.total).toEqual(table.total);
  },
  10 * 60_000,
);

it(
  'with metrics-server stopped, usage shows as missing and the bill is unchanged',
  async () => {
    const m = lab();
    const from = hourAgo();
    // Identical twins (same seed: the same sizes and lifetimes), long enough to be sampled
    // (metrics-server's 15 s resolution, two scrapes before a CPU rate, the meter's 15 s interval).
    const twins = (namespace: string): Omit<ChurnOptions, 'run'> => ({
      count: 4,
      namespaces: [namespace],
      minLifetimeS: 75,
      maxLifetimeS: 75,
      ratePerSecond: 4,
      jobShare: 0,
      deleteShare: 0,
      initShare: 0,
      seed: 3,
    });
    const measured = await churnAndRecord(twins('metrics-on'));
    const before = await m.bill(from, inAnHour());
    const onRows = before.rows.filter((r) => r.namespace === 'metrics-on');
    expect(onRows.map((r) => r.efficiency.state)).toEqual(Array(4).fill('measured'));

    await m.lab.cp.stopComponent('metrics-server');
    try {
      const unmeasured = await churnAndRecord(twins('metrics-off'));
      const after = await m.bill(from, inAnHour());
      const offRows = after.rows.filter((r) => r.namespace === 'metrics-off');
      expect(offRows.map((r) => r.efficiency)).toEqual(Array(4).fill({ state: 'missing' }));
      // The bill does not depend on usage: the reference seconds and cost, as for the measured.
      for (const [refs, ns] of [
        [measured, 'metrics-on'],
        [unmeasured, 'metrics-off'],
      ] as const) {
        const check = compareBill(after, refs, {
          minimumSeconds: 0,
          namespaces: [ns],
          prices: TEST_NANOS,
        });
        expect(check.mismatches).toEqual([]);
        expect(check.compared).toBe(4);
      }
      // What was billed before metrics-server went away did not move.
      expect(after.rows.filter((r) => r.namespace === 'metrics-on')).toEqual(onRows);
    } finally {
      await m.lab.cp.startComponent('metrics-server');
    }
  },
  10 * 60_000,
);
