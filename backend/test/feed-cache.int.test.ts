/**
 * A watch cache attached to a keyed feed, served over real tRPC SSE (the project's procedure and
 * SSE settings): a window gets the snapshot in chunks (`reset` with the total, `rows`,
 * `synced`), then pods created and deleted through the API as `rows` and `deleted`; a window
 * that reconnects gets a fresh snapshot of the current set (the feed's resync after a
 * reconnect). The cluster is kube-sim (fast, HTTPS, real watch semantics); the cache's own
 * behaviour against the real control plane is cluster-runtime/test/watch-cache.int.test.ts.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V1Pod } from '@kubernetes/client-node';
import {
  createKubeClient,
  createWatchCache,
  POD,
  podRow,
  type KubeClient,
  type PodRow,
  type WatchCache,
} from '@nodeless/cluster-runtime';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../../testkit/src/kube-sim/index.ts';
import type { ApiContext } from '../src/api/context.ts';
import { procedure, router } from '../src/api/trpc.ts';
import type { FeedMessage } from '../src/clusters/contract.ts';
import { createKeyedFeed } from '../src/feed/keyed-feed.ts';
import { SseReader } from './support.ts';

const NS = 'feed';
const SEEDED = 25;
let sim: KubeSim;
let kube: KubeClient;
let cache: WatchCache<PodRow>;
let server: http.Server;
let backend: { url: string; token: string };
const feed = createKeyedFeed<PodRow>({ chunkSize: 10 });

const pod = (name: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
});

beforeAll(async () => {
  sim = await startKubeSim({ sim: false });
  kube = createKubeClient(sim.kubeconfig);
  await kube.create(
    { apiVersion: 'v1', kind: 'Namespace' },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    },
  );
  for (let i = 0; i < SEEDED; i++) await kube.create(POD, pod(`seed-${i}`));
  cache = createWatchCache<V1Pod, PodRow>({
    client: () => kube,
    type: POD,
    namespace: NS,
    project: (p) => podRow(p),
    pageSize: 7,
  });
  feed.attach(cache);
  cache.start();
  while (!cache.synced) await new Promise((r) => setTimeout(r, 20));
  const appRouter = router({
    rows: procedure.subscription(({ signal }) =>
      feed.subscribe(signal ?? new AbortController().signal),
    ),
  });
  const ctx = { logger: { log: () => undefined } } as unknown as ApiContext;
  server = createHTTPServer({
    router: appRouter,
    basePath: '/api/trpc/',
    createContext: () => ctx,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backend = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'unused' };
}, 60_000);
afterAll(async () => {
  cache?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await sim?.stop();
});

const messages = (r: SseReader) => r.events as FeedMessage<PodRow>[];
const isSynced = (e: unknown) => (e as FeedMessage<PodRow>).type === 'synced';

/** The window's view: what a store keyed by uid holds after applying every message. */
function apply(r: SseReader): Map<string, PodRow> {
  const view = new Map<string, PodRow>();
  for (const m of messages(r)) {
    if (m.type === 'reset') view.clear();
    else if (m.type === 'rows') for (const row of m.rows) view.set(row.uid, row);
    else if (m.type === 'deleted') for (const uid of m.uids) view.delete(uid);
  }
  return view;
}
const names = (view: Map<string, PodRow>) => [...view.values()].map((p) => p.name).sort();

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watch cache → keyed feed → SSE', () => {
  it('sends the snapshot in chunks, then creations and deletions, and a fresh snapshot on reconnect', async () => {
    const first = await SseReader.open(backend, { path: 'rows', ready: isSynced });
    const snapshot = messages(first);
    expect(snapshot[0]).toEqual({ type: 'reset', total: SEEDED });
    const chunks = snapshot.filter((m) => m.type === 'rows');
    expect(chunks.map((m) => (m.type === 'rows' ? m.rows.length : 0))).toEqual([10, 10, 5]);
    expect(names(apply(first))).toEqual(
      Array.from({ length: SEEDED }, (_, i) => `seed-${i}`).sort(),
    );

    const created = await kube.create(POD, pod('live-1'));
    await kube.delete(POD, 'seed-3', NS, { gracePeriodSeconds: 0 });
    await until('the window to see both', () => {
      const view = apply(first);
      return view.has(created.metadata?.uid ?? '?') && !names(view).includes('seed-3');
    });
    expect(messages(first).some((m) => m.type === 'deleted')).toBe(true);
    await first.close();
    await until('the first window to be gone', () => feed.subscriberCount === 0);

    // A reconnect (a reload, an SSE retry) gets the current set, not a replay of history.
    const second = await SseReader.open(backend, { path: 'rows', ready: isSynced });
    expect(messages(second)[0]).toEqual({ type: 'reset', total: SEEDED });
    const view = apply(second);
    expect(names(view)).toContain('live-1');
    expect(names(view)).not.toContain('seed-3');
    expect(view).toEqual(new Map([...cache.rows()].map(([uid, row]) => [uid, row])));
    await second.close();
  });
});
