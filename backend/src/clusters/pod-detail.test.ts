/**
 * Pod details on a live connection: one GET on the connection's one client (no second client,
 * no second discovery, no list), and no wait for an events cache that is retrying — the demo's
 * 6.3 s details came from waiting the whole EVENTS_WAIT_MS for an events.k8s.io list that kept
 * failing. A just-opened connection still waits for its first events list.
 */
import {
  KubeApiError,
  UnknownResourceError,
  type CacheTimers,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { Connections } from './connections.ts';
import { EVENTS_WAIT_MS, podDetail } from './pod-detail.ts';

/** Timers that never fire unless the test runs them: a wait on one would hang the test. */
class HeldTimers implements CacheTimers {
  readonly pending = new Map<number, { ms: number; fn: () => void }>();
  #seq = 0;
  now = () => 1_000_000;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    this.pending.set(++this.#seq, { ms, fn });
    return this.#seq;
  };
  clearTimeout = (handle: unknown) => void this.pending.delete(handle as number);
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

const POD_OBJECT = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'shop',
    uid: 'uid-web-1',
    resourceVersion: '5',
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: { containers: [{ name: 'c' }], nodeName: 'n1' },
  status: { phase: 'Running' },
};

const EVENT_OBJECT = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web-1.1', namespace: 'shop', uid: 'ev-1', resourceVersion: '6' },
  regarding: { kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'uid-web-1' },
  reason: 'Scheduled',
  note: 'assigned shop/web-1 to n1',
  type: 'Normal',
  eventTime: '2026-01-01T00:00:00.000000Z',
};

type EventsAnswer = 'ok' | 'fails' | 'pending';

/** One scripted API server; counts the clients built and the calls made on them. */
function scriptedCluster(events: EventsAnswer) {
  const counts = { clients: 0, gets: 0, lists: 0 };
  let releaseEvents: (() => void) | undefined;
  const createClient = (): KubeClient => {
    counts.clients++;
    const client = {
      list: (type: { kind: string; apiVersion: string }) => {
        counts.lists++;
        const page = (items: unknown[]) => Promise.resolve({ items, resourceVersion: '10' });
        if (type.kind === 'Pod') return page([POD_OBJECT]);
        if (type.kind !== 'Event') return page([]);
        if (events === 'fails') {
          return Promise.reject(
            new UnknownResourceError('the API server does not serve events.k8s.io/v1'),
          );
        }
        if (events === 'pending') {
          return new Promise((resolve) => {
            releaseEvents = () => resolve({ items: [EVENT_OBJECT], resourceVersion: '10' });
          });
        }
        return page([EVENT_OBJECT]);
      },
      watch: () => Promise.resolve(() => undefined),
      get: (type: { kind: string }, name: string) => {
        counts.gets++;
        if (type.kind === 'Pod' && name === 'web-1') return Promise.resolve(POD_OBJECT);
        if (type.kind === 'Pod') return Promise.resolve(undefined);
        // The metrics APIService and /version: not served here.
        return Promise.reject(new KubeApiError(404, 'NotFound', 'not found', 'GET', '/x', {}));
      },
    };
    return client as unknown as KubeClient;
  };
  return { counts, createClient, releaseEvents: () => releaseEvents?.() };
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: c
clusters: [{name: k, cluster: {server: 'https://10.0.0.5:6443'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
`;

let connections: Connections | undefined;
afterEach(() => connections?.closeAll());

function open(events: EventsAnswer) {
  const timers = new HeldTimers();
  const cluster = scriptedCluster(events);
  connections = new Connections({
    clusters: {
      credentials: () => ({
        clusterId: 'c1',
        kubeconfig: KUBECONFIG,
        servers: ['https://10.0.0.5:6443'],
        version: 'v1',
      }),
      credentialsVersion: () => 'v1',
    },
    timers,
    createClient: cluster.createClient,
    envPath: () => '/usr/bin',
  });
  const lease = connections.acquire('c1');
  return { timers, cluster, connection: lease.connection };
}

/** Fails fast instead of hanging when `promise` waits on a held timer. */
function within<T>(promise: Promise<T>, ms = 2_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms),
    ),
  ]);
}

describe('podDetail', () => {
  it('answers from the live connection: one client, one GET per call, nothing listed again', async () => {
    const { timers, cluster, connection } = open('ok');
    await flush();
    expect(connection.status.state).toBe('live');
    const before = { ...cluster.counts };
    for (let i = 0; i < 3; i++) {
      const detail = await within(podDetail(connection, 'shop', 'web-1', timers));
      expect(detail.row.uid).toBe('uid-web-1');
      expect(detail.events.map((e) => e.uid)).toEqual(['ev-1']);
      expect((detail.object['metadata'] as object | undefined) ?? {}).not.toHaveProperty(
        'managedFields',
      );
    }
    expect(cluster.counts.clients).toBe(1);
    expect(cluster.counts.clients).toBe(before.clients);
    expect(cluster.counts.lists).toBe(before.lists);
    expect(cluster.counts.gets - before.gets).toBe(3);
    expect([...timers.pending.values()].some((t) => t.ms === EVENTS_WAIT_MS)).toBe(false);
  });

  it('does not wait for an events cache that is retrying (the API does not serve events.k8s.io)', async () => {
    const { timers, connection } = open('fails');
    await flush();
    expect(connection.events.state).toBe('retrying');
    const detail = await within(podDetail(connection, 'shop', 'web-1', timers));
    expect(detail.row.name).toBe('web-1');
    expect(detail.events).toEqual([]);
  });

  it('on a just-opened connection, waits for the first events list, then joins its events', async () => {
    const { timers, cluster, connection } = open('pending');
    await flush();
    let settled = false;
    const detail = podDetail(connection, 'shop', 'web-1', timers).finally(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    cluster.releaseEvents();
    const d = await within(detail);
    expect(d.events.map((e) => e.uid)).toEqual(['ev-1']);
    // The wait's timer is cleared once the list arrived.
    expect([...timers.pending.values()].some((t) => t.ms === EVENTS_WAIT_MS)).toBe(false);
  });

  it('says a pod that is gone is not found', async () => {
    const { timers, connection } = open('ok');
    await flush();
    await expect(within(podDetail(connection, 'shop', 'nope', timers))).rejects.toThrow(
      /No pod with id "shop\/nope"/,
    );
  });
});
