/**
 * Connections on fake time and scripted clients (the real watch caches): one connection per
 * cluster held by refcount and closed after the linger; failover to the next server of an HA
 * cluster; credentials reloaded when they change; status problems classified; stale while the
 * server is away (rows kept) and live again by itself.
 */
import { KubeApiError, type CacheTimers, type KubeClient } from '@nodeless/cluster-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Connections } from './connections.ts';
import type { ClusterCredentials } from './workspace-clusters.ts';

/** Manual timers: nothing runs until the test advances the clock. */
class FakeTimers implements CacheTimers {
  time = 1_000_000;
  #seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.#seq;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.pending.delete(handle as number);
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = [...this.pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

type Behaviour = 'ok' | 'down' | 'forbidden';

/** A scripted API server per URL: lists what it holds, watches until stopped. */
class FakeCluster {
  readonly behaviour = new Map<string, Behaviour>();
  readonly built: string[] = [];
  readonly tokens: string[] = [];
  lists = 0;
  openWatches = 0;
  pods = [pod('p1')];

  client = (text: string): KubeClient => {
    const doc = parse(text) as {
      clusters: { cluster: { server: string } }[];
      users: { user: { token?: string } }[];
    };
    const server = doc.clusters[0]?.cluster.server ?? '';
    this.built.push(server);
    this.tokens.push(doc.users[0]?.user.token ?? '');
    const token = doc.users[0]?.user.token ?? '';
    const fail = () => {
      if (token === 'expired') {
        throw new KubeApiError(
          401,
          'Unauthorized',
          'GET /api/v1/pods: 401 Unauthorized',
          'GET',
          '/api/v1/pods',
          {
            message: 'Unauthorized',
          },
        );
      }
      const b = this.behaviour.get(server) ?? 'ok';
      if (b === 'down')
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (b === 'forbidden') {
        const message =
          'pods is forbidden: User "dev" cannot list resource "pods" in API group "" at the cluster scope';
        throw new KubeApiError(
          403,
          'Forbidden',
          `GET /api/v1/pods: 403 Forbidden: ${message}`,
          'GET',
          '/api/v1/pods',
          {
            message,
          },
        );
      }
    };
    const client = {
      list: (type: { kind: string }) => {
        this.lists++;
        try {
          fail();
        } catch (error) {
          return Promise.reject(error);
        }
        const items = type.kind === 'Pod' ? this.pods : [];
        return Promise.resolve({ items, resourceVersion: '10' });
      },
      watch: (_type: unknown, _o: unknown, _onEvent: unknown, onEnd: (e?: unknown) => void) => {
        try {
          fail();
        } catch (error) {
          return Promise.reject(error);
        }
        this.openWatches++;
        let open = true;
        this.ends.push((error) => {
          if (!open) return;
          open = false;
          this.openWatches--;
          onEnd(error);
        });
        return Promise.resolve(() => {
          if (open) this.openWatches--;
          open = false;
        });
      },
      get: () => Promise.resolve(undefined),
    };
    return client as unknown as KubeClient;
  };

  readonly ends: ((error?: unknown) => void)[] = [];

  /** Every open watch ends with `error` (the server went away). */
  dropWatches(error: unknown): void {
    for (const end of this.ends.splice(0)) end(error);
  }
}

function pod(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '5' },
    spec: {
      containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '2Gi' } } }],
      nodeName: 'n1',
    },
    status: { phase: 'Running' },
  };
}

const kubeconfig = (token: string) => `
apiVersion: v1
kind: Config
current-context: c
clusters: [{name: k, cluster: {server: 'https://10.0.0.5:6443'}}]
users: [{name: u, user: {token: ${token}}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
`;

let timers: FakeTimers;
let cluster: FakeCluster;
let credentials: ClusterCredentials;
let connections: Connections;

beforeEach(() => {
  timers = new FakeTimers();
  cluster = new FakeCluster();
  credentials = {
    clusterId: 'c1',
    kubeconfig: kubeconfig('token-1'),
    servers: ['https://10.0.0.5:6443', 'https://10.0.0.6:6443'],
    version: 'v1',
  };
  connections = new Connections({
    clusters: {
      credentials: () => credentials,
      credentialsVersion: () => credentials.version,
    },
    timers,
    createClient: cluster.client,
    envPath: () => '/usr/bin',
    cacheOptions: { backoffMs: 100, maxBackoffMs: 1000 },
  });
});
afterEach(() => connections.closeAll());

describe('refcount and linger', () => {
  it('shares one connection and closes it 15 s after the last release', async () => {
    const a = connections.acquire('c1');
    const b = connections.acquire('c1');
    expect(b.connection).toBe(a.connection);
    await timers.advance(10);
    expect(a.connection.status.state).toBe('live');
    const lists = cluster.lists;
    a.release();
    a.release(); // a second release of the same lease counts once
    b.release();
    await timers.advance(14_000);
    expect(connections.size).toBe(1);
    // A reload within the linger keeps the watches: nothing is listed again.
    const c = connections.acquire('c1');
    expect(c.connection).toBe(a.connection);
    await timers.advance(10);
    expect(cluster.lists).toBe(lists);
    c.release();
    await timers.advance(14_999);
    expect(connections.size).toBe(1);
    expect(cluster.openWatches).toBeGreaterThan(0);
    await timers.advance(1);
    expect(connections.size).toBe(0);
    expect(cluster.openWatches).toBe(0);
  });
});

describe('failover', () => {
  it('moves to the next server when one is unreachable', async () => {
    cluster.behaviour.set('https://10.0.0.5:6443', 'down');
    const lease = connections.acquire('c1');
    await timers.advance(10);
    expect(lease.connection.status).toMatchObject({
      state: 'failed',
      problem: { code: 'unreachable' },
    });
    await timers.advance(2_000);
    expect(lease.connection.status).toMatchObject({
      state: 'live',
      server: 'https://10.0.0.6:6443',
    });
    expect(cluster.built).toContain('https://10.0.0.6:6443');
    expect([...lease.connection.pods.rows().keys()]).toEqual(['uid-p1']);
    lease.release();
  });
});

describe('status', () => {
  it('goes stale when the server goes away, keeps the rows, and recovers by itself', async () => {
    credentials.servers = ['https://10.0.0.5:6443'];
    const lease = connections.acquire('c1');
    await timers.advance(10);
    expect(lease.connection.status.state).toBe('live');
    cluster.behaviour.set('https://10.0.0.5:6443', 'down');
    cluster.dropWatches(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await timers.advance(10);
    expect(lease.connection.status).toMatchObject({
      state: 'stale',
      problem: { code: 'unreachable' },
    });
    expect(lease.connection.pods.rows().size).toBe(1);
    cluster.behaviour.set('https://10.0.0.5:6443', 'ok');
    await timers.advance(2_000);
    expect(lease.connection.status.state).toBe('live');
    expect(lease.connection.status.problem).toBeUndefined();
    lease.release();
  });

  it('names the missing permission on 403', async () => {
    credentials.servers = ['https://10.0.0.5:6443'];
    cluster.behaviour.set('https://10.0.0.5:6443', 'forbidden');
    const lease = connections.acquire('c1');
    await timers.advance(10);
    expect(lease.connection.status.state).toBe('failed');
    expect(lease.connection.status.problem).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('cannot list resource "pods"') as string,
    });
    lease.release();
  });

  it('names an exec plugin that is not on PATH', async () => {
    credentials.kubeconfig = kubeconfig('x').replace(
      '{token: x}',
      '{exec: {apiVersion: client.authentication.k8s.io/v1, command: no-such-plugin-xyz}}',
    );
    const lease = connections.acquire('c1');
    await timers.advance(10);
    expect(lease.connection.status.problem).toMatchObject({
      code: 'plugin-missing',
      message: 'exec plugin "no-such-plugin-xyz" not found on PATH (/usr/bin)',
    });
    expect(cluster.lists).toBe(0);
    lease.release();
  });
});

describe('credentials', () => {
  it('expired (401) are re-read at the next retry, without waiting for the poll', async () => {
    credentials = { ...credentials, kubeconfig: kubeconfig('expired'), version: 'v0' };
    const lease = connections.acquire('c1');
    await timers.advance(10);
    expect(lease.connection.status).toMatchObject({
      state: 'failed',
      problem: { code: 'unauthorized' },
    });
    credentials = { ...credentials, kubeconfig: kubeconfig('token-2'), version: 'v2' };
    await timers.advance(2_000);
    expect(lease.connection.status.state).toBe('live');
    expect(cluster.tokens).toContain('token-2');
    lease.release();
  });

  it('are reloaded when they change, and the watches restart on them', async () => {
    const lease = connections.acquire('c1');
    await timers.advance(10);
    expect(cluster.tokens).toEqual(['token-1']);
    credentials = { ...credentials, kubeconfig: kubeconfig('token-2'), version: 'v2' };
    await timers.advance(30_000);
    expect(cluster.tokens).toEqual(['token-1', 'token-2']);
    expect(lease.connection.status.state).toBe('live');
    lease.release();
  });
});
