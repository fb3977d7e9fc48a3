/**
 * The meter's capacity hours merged into `usage_capacity` at sync, on a real SQLite database
 * (usage-test-setup.ts), the ConfigMap written by cluster-runtime's capacityConfigMap as the
 * meter writes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CAPACITY_KEY, capacityConfigMap, type CapacityHour } from '@nodeless/cluster-runtime';
import { GIB } from '@nodeless/common';
import { importCapacity } from './capacity-import.ts';
import { fakeLedgerClient } from './ledger-fixture.ts';
import { usageFixture, type UsageFixture } from './usage-test-setup.ts';

let f: UsageFixture;
beforeEach(() => {
  f = usageFixture();
});
afterEach(() => f.close());

const H = 493_000;
const meterHour = (hour: number, samples: number, cpuMilli: number): CapacityHour => ({
  hour,
  samples,
  cpuMilliSum: samples * cpuMilli,
  memoryBytesSum: samples * 8 * GIB,
});
const rows = () => f.tables.capacity.range(f.clusterId, H - 10, H + 10);
const appSamples = (hour: number, n: number, cpuMilli: number) => {
  for (let i = 0; i < n; i++) f.tables.capacity.sample(f.clusterId, hour, cpuMilli, 4 * GIB);
};

describe('importCapacity', () => {
  it('adds the hours the app never sampled and keeps, per hour, the source with more samples', async () => {
    appSamples(H, 30, 2000); // the app was open the whole hour: 30 samples of 2 vCPU
    appSamples(H + 1, 2, 2000); // open for two minutes
    f.objects.put(
      capacityConfigMap([
        meterHour(H - 1, 12, 4000), // app closed: only the meter knows
        meterHour(H, 12, 4000), // fewer samples than the app's: the app's stays
        meterHour(H + 1, 12, 4000), // more samples: the meter's replaces the app's
      ]),
    );
    const client = fakeLedgerClient(f.objects);
    expect(await importCapacity(client, f.clusterId, f.tables.capacity)).toEqual({
      read: 3,
      merged: 2,
    });
    expect(rows()).toEqual([
      { hour: H - 1, cpu_milli: 4000, memory_bytes: 8 * GIB },
      { hour: H, cpu_milli: 2000, memory_bytes: 4 * GIB },
      { hour: H + 1, cpu_milli: 4000, memory_bytes: 8 * GIB },
    ]);
    // Idempotent: the same ConfigMap again changes nothing (replace, never add).
    expect(await importCapacity(client, f.clusterId, f.tables.capacity)).toEqual({
      read: 3,
      merged: 0,
    });
    const raw = f.db
      .prepare('SELECT hour, samples FROM usage_capacity WHERE cluster_id = ? ORDER BY hour')
      .all(f.clusterId);
    expect(raw).toEqual([
      { hour: H - 1, samples: 12 },
      { hour: H, samples: 30 },
      { hour: H + 1, samples: 12 },
    ]);
  });

  it('imports nothing from a cluster whose meter keeps no capacity', async () => {
    const client = fakeLedgerClient(f.objects);
    expect(await importCapacity(client, f.clusterId, f.tables.capacity)).toEqual({
      read: 0,
      merged: 0,
    });
    expect(rows()).toEqual([]);
  });
});

describe('sync', () => {
  it('imports the meter’s capacity with the ledger: idle knows hours the app was closed', async () => {
    f.objects.put(capacityConfigMap([meterHour(H, 12, 4000)]));
    await f.service.sync(f.clusterId);
    expect(rows()).toEqual([{ hour: H, cpu_milli: 4000, memory_bytes: 8 * GIB }]);
    expect((await f.service.status(f.clusterId)).syncError).toBeUndefined();
  });

  it('keeps the ledger’s sync when the capacity cannot be read, and says so', async () => {
    const bad = capacityConfigMap([]);
    f.objects.put({ ...bad, data: { [CAPACITY_KEY]: 'not,a,capacity\n' } });
    expect(await f.service.sync(f.clusterId)).toEqual({ read: 0, added: 0, cursor: '0:0' });
    const status = await f.service.status(f.clusterId);
    expect(status.syncError).toMatch(/pool capacity per hour could not be read/);
    expect(status.lastSync).toMatchObject({ records: 0 });
    expect(rows()).toEqual([]);
  });
});
