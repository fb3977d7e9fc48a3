import { describe, expect, it } from 'vitest';
import type { MeterClient } from '../src/client.ts';
import { createLeaderElector, LEASE, type LeaseObject } from '../src/election.ts';
import { fakeClient, fakeTimers, type FakeClient, type FakeTimers } from './fake-client.ts';

const NS = 'nodeless-system';

/** A client that can be cut off (a partitioned or frozen replica). */
function cuttable(c: MeterClient) {
  const state = { cut: false };
  const client = new Proxy(c, {
    get(target, prop: keyof MeterClient) {
      const f = target[prop] as (...a: unknown[]) => Promise<unknown>;
      return (...a: unknown[]) =>
        state.cut ? Promise.reject(new Error('connection refused')) : f(...a);
    },
  });
  return { client, state };
}

function replica(identity: string, api: FakeClient, timers: FakeTimers) {
  const { client, state } = cuttable(api);
  const events: string[] = [];
  const elector = createLeaderElector(
    { namespace: NS, leaseName: 'nodeless-meter', identity },
    {
      client,
      timers,
      log: () => {},
      onStartedLeading: () => events.push('started'),
      onStoppedLeading: () => events.push('stopped'),
    },
  );
  return { elector, events, state };
}

const lease = async (api: FakeClient) =>
  (await api.get<LeaseObject>(LEASE, 'nodeless-meter', NS))?.spec;

describe('leader election (client-go semantics)', () => {
  it('the first replica creates the Lease and leads; the second waits while it is renewed', async () => {
    const api = fakeClient();
    const t = fakeTimers(1_000_000);
    const a = replica('a', api, t);
    const b = replica('b', api, t);
    a.elector.start();
    await t.advance(0);
    b.elector.start();
    await t.advance(60_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.events).toEqual([]);
    const spec = await lease(api);
    expect(spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    // renewTime is a MicroTime (six fractional digits) of the last renew.
    expect(spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('a leader that cannot renew stops leading at the renew deadline, before anyone may take over', async () => {
    const api = fakeClient();
    const t = fakeTimers(1_000_000);
    const a = replica('a', api, t);
    const b = replica('b', api, t);
    a.elector.start();
    await t.advance(0);
    b.elector.start();
    await t.advance(0);
    a.state.cut = true; // a's last renew was at t=1,000,000
    await t.advance(9_999);
    expect(a.elector.isLeader()).toBe(true);
    await t.advance(1);
    // 10 s after its last renew: no longer the leader, even between two rounds.
    expect(a.elector.isLeader()).toBe(false);
    expect(b.elector.isLeader()).toBe(false);
    await t.advance(2_000);
    expect(a.events).toEqual(['started', 'stopped']);
    expect(b.elector.isLeader()).toBe(false);
    // b takes over once the record has not changed for 15 s of ITS clock.
    await t.advance(6_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(await lease(api)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('of two candidates for an expired Lease only one wins (update with the resourceVersion read)', async () => {
    const api = fakeClient();
    const t = fakeTimers(1_000_000);
    api.put<LeaseObject>(LEASE, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'nodeless-meter', namespace: NS },
      spec: { holderIdentity: 'gone', leaseDurationSeconds: 15, leaseTransitions: 3 },
    });
    const b = replica('b', api, t);
    const c = replica('c', api, t);
    b.elector.start();
    c.elector.start();
    await t.advance(20_000);
    const leaders = [b, c].filter((r) => r.elector.isLeader());
    expect(leaders).toHaveLength(1);
    expect(api.calls.filter((x) => x.startsWith('replace'))).not.toHaveLength(0);
    expect((await lease(api))?.leaseTransitions).toBe(4);
  });

  it('a graceful stop releases the Lease: the next replica leads on its next round', async () => {
    const api = fakeClient();
    const t = fakeTimers(1_000_000);
    const a = replica('a', api, t);
    const b = replica('b', api, t);
    a.elector.start();
    await t.advance(0);
    b.elector.start();
    await t.advance(4_000);
    await a.elector.stop();
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['started', 'stopped']);
    expect(await lease(api)).toMatchObject({ holderIdentity: '' });
    await t.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
  });
});
