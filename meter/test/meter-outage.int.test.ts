/**
 * Issue 15, Done-when: "the meter is stopped for two minutes of churn and restarted: no pod is
 * missing or billed twice" — on the real control plane with KWOK, the finalizer added by the
 * install's admission policy, the meter as a process (testkit's startMeter). Every pod is billed
 * exactly from its sandbox's start as the test's watch saw it live, including the pods that
 * started and ended while no meter ran: the install's sandbox-start policy kept that moment on
 * each pod (condition `nodeless.dev/sandbox-started`) after the kubelet (KWOK) turned
 * `PodReadyToStartContainers` False.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import {
  METER_FINALIZER,
  RESOURCES,
  SANDBOX_STARTED_CONDITION,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import type { ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { startMeter, type StartedMeter } from '../../testkit/src/meter/index.ts';
import {
  compare,
  enableFinalizer,
  ledgerRecords,
  Observer,
  sleep,
  startCluster,
  testPod,
  until,
} from './int-support.ts';

const NS = 'team-outage';
const RUN = 'outage';
let cp: ControlPlane;
let kube: KubeClient;
const meters: StartedMeter[] = [];

beforeAll(async () => {
  ({ cp, kube } = await startCluster());
}, 600_000);
afterAll(async () => {
  for (const m of meters) await m.kill();
  await cp?.stop();
});

let n = 0;
async function churnPod(lifeSeconds: number, deleteAfterMs?: number): Promise<string> {
  const name = `p-${++n}`;
  await kube.create(RESOURCES.pods, testPod(NS, name, RUN, lifeSeconds));
  if (deleteAfterMs !== undefined)
    setTimeout(() => void kube.delete(RESOURCES.pods, name, NS).catch(() => {}), deleteAfterMs);
  return name;
}

/** The sandbox start (epoch seconds) the pod itself recorded, if any. */
const recordedStart = (p: V1Pod): number | undefined => {
  const c = p.status?.conditions?.find((x) => x.type === SANDBOX_STARTED_CONDITION);
  return c?.lastTransitionTime === undefined
    ? undefined
    : new Date(c.lastTransitionTime).getTime() / 1000;
};

it('records exactly every pod that was created, ran and ended during a two-minute outage', async () => {
  const first = await startMeter(cp, { identity: 'meter-a' });
  meters.push(first);
  await first.waitForEvent('leading', 90_000);
  await enableFinalizer(kube, NS);
  const observer = await Observer.start(kube, RUN);

  // Before the outage: short pods, and two that run across it.
  for (const life of [3, 5, 8]) await churnPod(life);
  // These two end during the outage (one succeeds at 90 s, one is deleted at 60 s): the meter
  // that saw them start is gone by then and keeps no state, so the next one reads their start
  // from what their last state says, like pods that lived entirely in the outage.
  const acrossOutage = [await churnPod(90), await churnPod(300, 60_000)];
  await sleep(12_000);
  // The sandbox-start policy is in force (applied with the finalizer's): every pod so far
  // carries the record, equal to the start the watch saw.
  for (const [uid, p] of observer.last)
    expect(recordedStart(p), p.metadata?.name).toBe(observer.started.get(uid));
  expect(await first.stop()).toBe(0);

  // Two minutes of churn with no meter: pods start, succeed or are deleted mid-run.
  const outageEnds = Date.now() + 120_000;
  const duringOutage = new Set<string>();
  for (let i = 0; Date.now() < outageEnds - 25_000; i++) {
    duringOutage.add(i % 4 === 3 ? await churnPod(300, 3_000) : await churnPod(1 + ((i * 7) % 20)));
    await sleep(3_000);
  }
  await sleep(Math.max(0, outageEnds - Date.now()));

  // Nothing was lost meanwhile: every ended pod is still held by the finalizer, deleted ones
  // included (Terminating, not gone).
  const held = (await kube.list<V1Pod>(RESOURCES.pods, { namespace: NS })).items.filter(
    (p) => p.metadata?.name !== 'finalizer-probe',
  );
  expect(held.length).toBe(n);
  const ended = held.filter(
    (p) =>
      duringOutage.has(p.metadata?.name ?? '') &&
      (p.status?.phase === 'Succeeded' || p.metadata?.deletionTimestamp !== undefined),
  );
  expect(ended.length).toBe(duringOutage.size);
  for (const p of ended) expect(p.metadata?.finalizers).toContain(METER_FINALIZER);

  const second = await startMeter(cp, { identity: 'meter-b' });
  meters.push(second);
  await second.waitForEvent('leading', 90_000);
  await until('every pod recorded and released', () => observer.allReleased(), 120_000);
  observer.stop();

  const reference = observer.reference();
  expect(reference.size).toBe(n);
  // The pods that ended in the outage: their last state says the sandbox condition is False,
  // yet each still carries the start the watch saw live.
  const endedInOutage = new Set([...duringOutage, ...acrossOutage]);
  for (const [uid, p] of observer.last) {
    if (!endedInOutage.has(p.metadata?.name ?? '')) continue;
    const sandbox = p.status?.conditions?.find((c) => c.type === 'PodReadyToStartContainers');
    expect(sandbox?.status, p.metadata?.name).toBe('False');
    expect(recordedStart(p), p.metadata?.name).toBe(observer.started.get(uid));
  }
  // Every pod, seen alive by a meter or not, billed from its sandbox's start as seen live.
  expect(compare(await ledgerRecords(kube), reference)).toEqual([]);
}, 420_000);
