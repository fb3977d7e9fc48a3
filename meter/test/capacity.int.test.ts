/**
 * Issue 15 "Idle = pool capacity − billed specs, per hour", on the real control plane with KWOK:
 * the meter (a process with its ServiceAccount's token, RBAC as installed, behind its fence)
 * writes the pool's capacity for the current hour into its capacity ConfigMap, and that
 * capacity is the allocatable of the Ready, schedulable KWOK nodes — a cordoned one left out.
 * The expected sums are read here from the nodes' own status, not through poolCapacity.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { V1ConfigMap, V1Node } from '@kubernetes/client-node';
import {
  CAPACITY_KEY,
  createKubeClient,
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  METER_CAPACITY_NAME,
  METER_NAME,
  meterFencePolicy,
  RESOURCES,
  serviceAccountKubeconfig,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { ensureMeterRbac, startMeter, type StartedMeter } from '../../testkit/src/meter/index.ts';
import { sleep, until } from './int-support.ts';

let cp: ControlPlane;
let kube: KubeClient;
let meter: StartedMeter | undefined;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2, metrics: false });
  kube = createKubeClient(cp.kubeconfig);
}, 600_000);
afterAll(async () => {
  await meter?.kill();
  await cp?.stop();
});

/** KWOK's allocatable as testkit registers it: whole CPUs and `<n>Gi`. */
function allocatableOf(node: V1Node): { cpuMilli: number; memoryBytes: number } {
  const cpu = node.status?.allocatable?.['cpu'] ?? '';
  const memory = /^(\d+)Gi$/.exec(node.status?.allocatable?.['memory'] ?? '');
  expect(cpu).toMatch(/^\d+$/);
  expect(memory).not.toBeNull();
  return { cpuMilli: Number(cpu) * 1000, memoryBytes: Number(memory?.[1]) * 2 ** 30 };
}

it('the leader writes the Ready, schedulable KWOK nodes’ allocatable for this hour', async () => {
  // Fenced as installed: the fence is in force once it refuses the meter's token a
  // non-ledger ConfigMap, so the capacity write below passed through it.
  for (const o of meterFencePolicy()) await kube.apply(o);
  await ensureMeterRbac(kube);
  const { kubeconfig } = await serviceAccountKubeconfig(kube, {
    namespace: LEDGER_NAMESPACE,
    serviceAccount: METER_NAME,
    expiresSeconds: 600,
  });
  const asMeter = createKubeClient(kubeconfig);
  await until(
    'the fence refuses a non-ledger ConfigMap',
    async () => {
      const name = `fence-probe-${Date.now()}`;
      try {
        await asMeter.create(RESOURCES.configMaps, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: LEDGER_NAMESPACE },
        });
        await kube.delete(RESOURCES.configMaps, name, LEDGER_NAMESPACE);
        await sleep(500);
        return false;
      } catch (e) {
        return (e as { code?: number }).code === 403;
      }
    },
    60_000,
  );

  // node-2 cordoned: not part of the pool.
  await kube.mergePatch(RESOURCES.nodes, 'node-2', { spec: { unschedulable: true } });
  const nodes = (await kube.list<V1Node>(RESOURCES.nodes)).items;
  expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(['node-1', 'node-2']);
  const ready = (n: V1Node) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  expect(nodes.every(ready)).toBe(true);
  const pool = nodes.filter((n) => n.spec?.unschedulable !== true).map(allocatableOf);
  expect(pool).toHaveLength(1);

  const startHour = Math.floor(Date.now() / 3_600_000);
  meter = await startMeter(cp, { identity: 'meter-capacity' });
  await meter.waitForEvent('leading', 90_000);
  let cm: V1ConfigMap | undefined;
  await until(
    'the capacity ConfigMap',
    async () => {
      cm = await kube.get<V1ConfigMap>(RESOURCES.configMaps, METER_CAPACITY_NAME, LEDGER_NAMESPACE);
      return cm !== undefined;
    },
    30_000,
  );
  const endHour = Math.floor(Date.now() / 3_600_000);
  expect(cm?.metadata?.labels?.[LEDGER_LABEL]).toBe('capacity');
  const lines = (cm?.data?.[CAPACITY_KEY] ?? '').trim().split('\n');
  expect(lines[0]).toBe('hour,samples,cpu_milli_sum,memory_bytes_sum');
  // One sample (the leader's first), in the hour it was taken.
  expect(lines).toHaveLength(2);
  const [hour, samples, cpu, memory] = (lines[1] ?? '').split(',').map(Number);
  expect(hour).toBeGreaterThanOrEqual(startHour);
  expect(hour).toBeLessThanOrEqual(endHour);
  expect(samples).toBe(1);
  expect(cpu).toBe(pool[0]?.cpuMilli);
  expect(memory).toBe(pool[0]?.memoryBytes);
  expect(meter.events().some((e) => e.event === 'capacity-error')).toBe(false);
}, 300_000);
