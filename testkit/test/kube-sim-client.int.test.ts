/**
 * @kubernetes/client-node against both substrates (kube-sim and the real control plane):
 * informers (makeInformer) see adds, updates and deletes; raw watches resume from BOOKMARK
 * versions (sent 2 s before a watch's deadline, as kube-apiserver's watch cache does). On
 * kube-sim only: a raw watch from an expired version gets 410 as an ERROR event and an informer
 * relists after it — the control plane keeps etcd's history until its 5-minute compaction, so a
 * test cannot make a version expire there (testkit/README.md, kube-sim).
 */
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type ObjectCache,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/kube-sim/index.ts';
import { waitFor } from './kube-sim-helpers.ts';
import { SUBSTRATES, useSubstrate } from './kube-sim-substrates.ts';

const NS = 'default';
const cm = (
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = {},
): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

interface Harness {
  sim: KubeSim;
  kc: KubeConfig;
  core: CoreV1Api;
}

async function harness(options: Parameters<typeof startKubeSim>[0]): Promise<Harness> {
  const sim = await startKubeSim({ sim: false, ...options });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  return { sim, kc, core: kc.makeApiClient(CoreV1Api) };
}

interface Clients {
  kc: KubeConfig;
  core: CoreV1Api;
}

describe.each(SUBSTRATES)('client-node informers and watches on %s', (_name, start) => {
  const env = useSubstrate(start, { nodes: 1, kubeSim: { sim: false } });
  let h: Clients;
  beforeAll(() => {
    const kc = new KubeConfig();
    kc.loadFromFile(env.current.kubeconfigPath);
    h = { kc, core: kc.makeApiClient(CoreV1Api) };
  });

  it('informer sees add, update and delete', async () => {
    const informer = makeInformer(
      h.kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => h.core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'app=inf' }),
      'app=inf',
    );
    const events: string[] = [];
    informer.on('add', (o) => events.push(`add:${o.metadata?.name ?? ''}`));
    informer.on('update', (o) =>
      events.push(`update:${o.metadata?.name ?? ''}:${o.data?.['v'] ?? ''}`),
    );
    informer.on('delete', (o) => events.push(`delete:${o.metadata?.name ?? ''}`));
    await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('before', { app: 'inf' }) });
    await informer.start();
    try {
      await waitFor('initial list', () => (events.includes('add:before') ? true : undefined));
      await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('one', { app: 'inf' }) });
      await h.core.patchNamespacedConfigMap(
        { namespace: NS, name: 'one', body: { data: { v: '2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await h.core.createNamespacedConfigMap({
        namespace: NS,
        body: cm('ignored', { app: 'other' }),
      });
      await h.core.deleteNamespacedConfigMap({ namespace: NS, name: 'one' });
      await waitFor('delete event', () => (events.includes('delete:one') ? true : undefined));
      expect(events).toEqual(['add:before', 'add:one', 'update:one:2', 'delete:one']);
      // makeInformer returns a ListWatch, which is also the informer's object cache.
      const cache = informer as unknown as ObjectCache<V1ConfigMap>;
      expect(cache.list().map((o) => o.metadata?.name)).toEqual(['before']);
    } finally {
      await informer.stop();
    }
  });

  it('raw watch resumes from a BOOKMARK resourceVersion', async () => {
    const watch = new Watch(h.kc);
    const from =
      (await h.core.listNamespacedConfigMap({ namespace: NS })).metadata?.resourceVersion ?? '';
    const seen: Array<{ type: string; name?: string; rv?: string }> = [];
    const controller = await watch.watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      // Upstream sends a bookmark 2 s before the deadline (and about every minute).
      { resourceVersion: from, allowWatchBookmarks: true, timeoutSeconds: 5 },
      (type, obj: V1ConfigMap) =>
        seen.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion }),
      () => undefined,
    );
    const created = await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('bm-1', {}) });
    const bookmark = await waitFor(
      'a bookmark after bm-1',
      () =>
        seen.find(
          (e) => e.type === 'BOOKMARK' && Number(e.rv) >= Number(created.metadata?.resourceVersion),
        ),
      10_000,
    );
    controller.abort();
    expect(seen[0]).toEqual({ type: 'ADDED', name: 'bm-1', rv: created.metadata?.resourceVersion });
    await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('bm-2', {}) });
    const resumed: string[] = [];
    const again = await watch.watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: bookmark.rv },
      (type, obj: V1ConfigMap) => resumed.push(`${type}:${obj.metadata?.name ?? ''}`),
      () => undefined,
    );
    await waitFor('resumed event', () => (resumed.length > 0 ? true : undefined));
    again.abort();
    expect(resumed[0]).toBe('ADDED:bm-2');
  });
});

describe('410 Gone (kube-sim only: its watch window is a count; see the file comment)', () => {
  let h: Harness;
  beforeAll(async () => {
    // A tiny window and 1 s watches force clients to resume from versions that are gone.
    h = await harness({ watchWindow: 5, watchTimeoutSeconds: 1 });
  });
  afterAll(async () => {
    await h?.sim.stop();
  });

  it('a raw watch from an expired version gets an ERROR event with a 410 Status', async () => {
    const first = await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('g0', {}) });
    for (let i = 1; i <= 10; i++)
      await h.core.createNamespacedConfigMap({ namespace: NS, body: cm(`g${i}`, {}) });
    const events: Array<{ type: string; code?: number; reason?: string }> = [];
    let done = false;
    await new Watch(h.kc).watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: first.metadata?.resourceVersion },
      (type, obj: { code?: number; reason?: string }) =>
        events.push({ type, code: obj.code, reason: obj.reason }),
      () => (done = true),
    );
    await waitFor('watch end', () => (done ? true : undefined));
    expect(events).toEqual([{ type: 'ERROR', code: 410, reason: 'Expired' }]);
  });

  it('an informer relists after 410 and keeps delivering', async () => {
    let lists = 0;
    const informer = makeInformer(
      h.kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => {
        lists++;
        return h.core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'app=relist' });
      },
      'app=relist',
    );
    const added: string[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('r0', { app: 'relist' }) });
    await informer.start();
    try {
      await waitFor('r0', () => (added.includes('r0') ? true : undefined));
      // Non-matching writes push the informer's version out of the window; its next reconnect
      // (the server ends watches every second) is answered with 410 and it must relist.
      for (let i = 0; i < 20; i++)
        await h.core.createNamespacedConfigMap({
          namespace: NS,
          body: cm(`noise-${i}`, { app: 'noise' }),
        });
      await waitFor('a relist', () => (lists >= 2 ? true : undefined), 15_000);
      await h.core.createNamespacedConfigMap({ namespace: NS, body: cm('r1', { app: 'relist' }) });
      await waitFor('r1 after relist', () => (added.includes('r1') ? true : undefined), 15_000);
      expect(added.filter((n) => n === 'r0')).toHaveLength(1);
    } finally {
      await informer.stop();
    }
  });
});
