/**
 * The leader's capacity sampler over the in-memory client (API server concurrency rules):
 * leader only, one sample per round folded into the hour, a stale write (409) retried from a
 * fresh read. The real control plane's KWOK nodes: capacity.int.test.ts.
 */
import type { V1ConfigMap, V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  capacityHoursFromConfigMap,
  KubeApiError,
  LEDGER_NAMESPACE,
  METER_CAPACITY_NAME,
  RESOURCES,
} from '@nodeless/cluster-runtime';
import { createCapacitySampler } from '../src/capacity.ts';
import { fakeClient, fakeTimers } from './fake-client.ts';

const HOUR_MS = 3_600_000;
const T0 = 493_000 * HOUR_MS;
const GI = 1024 ** 3;

const node = (name: string, cpu: string, memory: string, ready = true): V1Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  status: {
    allocatable: { cpu, memory, pods: '110' },
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});

function setup(leading = { now: true }) {
  const client = fakeClient();
  const timers = fakeTimers(T0);
  const logs: string[] = [];
  client.put(RESOURCES.nodes, node('a', '4', '8Gi'));
  client.put(RESOURCES.nodes, node('b', '2', '4Gi'));
  client.put(RESOURCES.nodes, node('down', '8', '16Gi', false));
  const sampler = createCapacitySampler({
    client,
    timers,
    log: (e) => logs.push(e),
    namespace: LEDGER_NAMESPACE,
    isLeader: () => leading.now,
    intervalMs: 300_000,
  });
  const hours = async () =>
    capacityHoursFromConfigMap(
      await client.get<V1ConfigMap>(RESOURCES.configMaps, METER_CAPACITY_NAME, LEDGER_NAMESPACE),
    );
  return { client, timers, logs, sampler, hours };
}

describe('the capacity sampler', () => {
  it('samples the Ready machines every interval into the hour’s sums, a new row per hour', async () => {
    const { timers, sampler, hours } = setup();
    sampler.start();
    await timers.advance(HOUR_MS); // samples at 0, 5, …, 60 min: 12 in hour one, 1 in hour two
    sampler.stop();
    expect(await hours()).toEqual([
      { hour: 493_000, samples: 12, cpuMilliSum: 12 * 6000, memoryBytesSum: 12 * 12 * GI },
      { hour: 493_001, samples: 1, cpuMilliSum: 6000, memoryBytesSum: 12 * GI },
    ]);
    expect(timers.pending()).toBe(0);
  });

  it('writes nothing while not leading', async () => {
    const leading = { now: false };
    const { client, sampler, hours } = setup(leading);
    expect(await sampler.sampleOnce()).toBe(false);
    expect(await hours()).toEqual([]);
    leading.now = true;
    expect(await sampler.sampleOnce()).toBe(true);
    expect((await hours())[0]?.samples).toBe(1);
    expect(client.calls).toEqual([`create ConfigMap ${METER_CAPACITY_NAME}`]);
  });

  it('takes a sample again from a fresh read after a 409, never overwriting the other write', async () => {
    const { client, sampler, hours } = setup();
    await sampler.sampleOnce();
    let raced = false;
    client.beforeWrite = (verb) => {
      if (verb !== 'replace' || raced) return;
      raced = true;
      // Another writer's sample lands between our read and our write.
      const cm = client.all<V1ConfigMap>('ConfigMap')[0];
      if (cm) client.put(RESOURCES.configMaps, cm);
    };
    expect(await sampler.sampleOnce()).toBe(true);
    expect((await hours())[0]?.samples).toBe(2);
    expect(client.calls.filter((c) => c.startsWith('replace'))).toHaveLength(2);
  });

  it('loses only the round’s sample when the API refuses, and logs it', async () => {
    const { client, sampler, logs, hours } = setup();
    client.beforeWrite = () => {
      throw new KubeApiError(403, 'Forbidden', 'configmaps is forbidden', 'POST', '/x');
    };
    expect(await sampler.sampleOnce()).toBe(false);
    expect(logs).toContain('capacity-error');
    client.beforeWrite = undefined;
    expect(await sampler.sampleOnce()).toBe(true);
    expect((await hours())[0]?.samples).toBe(1);
  });
});
