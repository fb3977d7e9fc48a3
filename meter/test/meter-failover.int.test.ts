/**
 * Issue 15, Done-when: "with two meter replicas and the leader killed, the same" — no pod
 * missing or written twice, and every pod billed exactly its life from its own API timestamps.
 * Two meter processes on the real control plane; the leader gets SIGKILL mid-churn (nothing
 * released), so the follower must wait for the Lease to expire, re-read the ledger and take over.
 *
 * The ledger starts with a chunk a few records short of full, so the killed leader's records
 * seal it (`immutable: true`) and the follower's land in the next chunk: a follower that did not
 * re-read the sealed chunk would write the leader's pods again there, and the (uid, segment)
 * count across every chunk catches it. The Lease is watched throughout, so the takeover is
 * timed from the leader's last renew as the API server stored it.
 *
 * @see https://github.com/kubernetes/client-go/blob/master/tools/leaderelection/leaderelection.go
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  appendRecords,
  chunkToConfigMap,
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  METER_LEASE_NAME,
  RESOURCES,
  chunkFromConfigMap,
  type KubeClient,
  type LedgerRecord,
} from '@nodeless/cluster-runtime';
import type { ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { ensureMeterRbac, startMeter, type StartedMeter } from '../../testkit/src/meter/index.ts';
import { LEASE, type LeaseObject } from '../src/election.ts';
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

const NS = 'team-failover';
const RUN = 'failover';
/** Pods the killed leader must record: they fill the seeded chunk to 1,000 and seal it. */
const TO_SEAL = 4;
/** The meter's Lease duration (client-go's default, election.ts). */
const LEASE_MS = 15_000;
let cp: ControlPlane;
let kube: KubeClient;
const meters: StartedMeter[] = [];
let stopLeaseWatch: (() => void) | undefined;

/** Finished pods of another namespace, one segment each, as an earlier week left them. */
function filler(count: number): LedgerRecord[] {
  const hour = Math.floor(Date.now() / 3_600_000) - 48;
  return Array.from({ length: count }, (_, i) => ({
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    segment: hour,
    namespace: 'team-earlier',
    name: `done-${i}`,
    spec: { cpuMilli: 500, memoryBytes: 1024 ** 3 },
    podStart: hour * 3600,
    from: hour * 3600,
    to: hour * 3600 + 60,
    final: true,
    usage: { state: 'missing' },
  }));
}

beforeAll(async () => {
  ({ cp, kube } = await startCluster());
  await ensureMeterRbac(kube);
  const [chunk] = appendRecords([], filler(1000 - TO_SEAL)).chunks;
  if (!chunk || chunk.sealed) throw new Error('the seeded chunk must be open');
  await kube.create(RESOURCES.configMaps, chunkToConfigMap(chunk));
}, 600_000);
afterAll(async () => {
  stopLeaseWatch?.();
  for (const m of meters) await m.kill();
  await cp?.stop();
});

it('loses and doubles nothing when the leader is SIGKILLed mid-churn', async () => {
  const renewals: Array<{ holder: string; renew: number; acquire: number; transitions: number }> =
    [];
  stopLeaseWatch = await kube.watch<LeaseObject>(
    LEASE,
    { namespace: LEDGER_NAMESPACE, fieldSelector: `metadata.name=${METER_LEASE_NAME}` },
    (type, lease) => {
      if (type !== 'ADDED' && type !== 'MODIFIED') return;
      const s = lease.spec ?? {};
      renewals.push({
        holder: s.holderIdentity ?? '',
        renew: Date.parse(s.renewTime ?? ''),
        acquire: Date.parse(s.acquireTime ?? ''),
        transitions: s.leaseTransitions ?? 0,
      });
    },
    () => {},
  );
  const a = await startMeter(cp, { identity: 'meter-a' });
  meters.push(a);
  await a.waitForEvent('leading', 90_000);
  const b = await startMeter(cp, { identity: 'meter-b' });
  meters.push(b);
  await b.waitForEvent('started', 90_000);
  await enableFinalizer(kube, NS);
  const observer = await Observer.start(kube, RUN);

  let n = 0;
  const deletes: Array<Promise<unknown>> = [];
  const churn = async (seconds: number) => {
    const end = Date.now() + seconds * 1000;
    for (; Date.now() < end; n++) {
      const name = `p-${n}`;
      const deleted = n % 5 === 4;
      await kube.create(RESOURCES.pods, testPod(NS, name, RUN, deleted ? 300 : 1 + ((n * 7) % 9)));
      if (deleted)
        deletes.push(sleep(4_000).then(() => kube.delete(RESOURCES.pods, name, NS).catch(() => 0)));
      await sleep(1_000);
    }
  };
  const recordedBy = (m: StartedMeter) =>
    m
      .events()
      .filter((e) => e.event === 'recorded')
      .reduce((s, e) => s + Number(e['pods']), 0);

  await churn(15);
  // The leader sealed the seeded chunk before it dies (so the follower must read a sealed one).
  await until(
    'the leader recorded the pods that seal the first chunk',
    () => recordedBy(a) >= TO_SEAL,
    30_000,
  );
  expect(b.events().some((e) => e.event === 'leader-acquired')).toBe(false);
  const killedAt = Date.now();
  expect(await a.kill()).toBeNull();
  await churn(30);
  await b.waitForEvent('leader-acquired', 30_000);
  await until('every pod recorded and released', () => observer.allReleased(), 90_000);
  await Promise.all(deletes);
  observer.stop();

  const reference = observer.reference();
  expect(reference.size).toBe(n);
  const records = await ledgerRecords(kube);
  // The follower saw every pod alive too: all are billed from their sandbox's start.
  expect(compare(records, reference)).toEqual([]);
  // And the comparison does count across chunks: one record copied into another chunk shows.
  const mine = records.find((r) => r.namespace === NS) as LedgerRecord;
  expect(compare([...records, mine], reference)).toContain(
    `${mine.uid}/${mine.segment} written 2 times`,
  );

  // The run's records span the sealed chunk and the next one.
  const chunks = (
    await kube.list<V1ConfigMap>(RESOURCES.configMaps, {
      namespace: LEDGER_NAMESPACE,
      labelSelector: `${LEDGER_LABEL}=records`,
    })
  ).items.map((cm) => ({ immutable: cm.immutable === true, chunk: chunkFromConfigMap(cm) }));
  const withRun = chunks.filter((c) => c.chunk.records.some((r) => r.namespace === NS));
  expect(withRun.length).toBeGreaterThanOrEqual(2);
  expect(chunks.find((c) => c.chunk.records.some((r) => r.namespace === 'team-earlier'))).toEqual(
    expect.objectContaining({ immutable: true }),
  );
  expect(recordedBy(b)).toBeGreaterThan(0);

  // The follower took over once, and only after the Lease expired: its acquireTime is at least
  // a Lease duration after the last renew the killed leader got stored.
  expect(b.events().filter((e) => e.event === 'leader-acquired')).toHaveLength(1);
  const lastRenewA = Math.max(
    ...renewals.filter((r) => r.holder === 'meter-a').map((r) => r.renew),
  );
  const takeover = renewals.find((r) => r.holder === 'meter-b');
  expect(lastRenewA).toBeLessThanOrEqual(killedAt);
  expect(takeover?.transitions).toBe(1);
  expect((takeover?.acquire ?? 0) - lastRenewA).toBeGreaterThanOrEqual(LEASE_MS);
}, 240_000);
