/**
 * Watch caches against the real control plane (kube-apiserver v1.36 on etcd, KWOK node):
 * pods created and deleted with the real kubectl appear and disappear; the cache converges
 * after an HA server loss (a second kube-apiserver on the same etcd; the client provider fails
 * over), after a kube-apiserver restart, and after 410 Gone — forced for certain: while the API
 * server is down a pod is deleted straight from etcd and etcd is compacted, so the cache's
 * resourceVersion is gone and only a relist (one `reset`) can show the deletion.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { createKubeClient, type KubeClient } from '../src/client.ts';
import { POD, podRow, type PodRow } from '../src/kinds/index.ts';
import { isGone } from '../src/watch/errors.ts';
import type { CacheChange, WatchCache } from '../src/watch/types.ts';
import { createWatchCache } from '../src/watch/watch-cache.ts';

let cp: ControlPlane;
let admin: KubeClient;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  admin = createKubeClient(cp.kubeconfig);
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

async function kubectl(args: string[], input?: string, kubeconfig?: string): Promise<string> {
  const r = await cp.kubectl(args, {
    ...(input === undefined ? {} : { input }),
    ...(kubeconfig ? { kubeconfig } : {}),
  });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const podsYaml = (namespace: string, names: string[]) =>
  names
    .map(
      (name) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: {app: wc}}
spec: {containers: [{name: app, image: registry.example/app:1}]}
`,
    )
    .join('---\n');

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Watched {
  cache: WatchCache<PodRow>;
  changes: CacheChange<PodRow>[];
  errors: unknown[];
  names(): string[];
}

function watchPods(namespace: string, client: () => KubeClient, onError?: (e: unknown) => void) {
  const changes: CacheChange<PodRow>[] = [];
  const errors: unknown[] = [];
  const cache = createWatchCache<V1Pod, PodRow>({
    client,
    type: POD,
    namespace,
    project: (o) => podRow(o),
    pageSize: 2,
    backoffMs: 200,
    maxBackoffMs: 2_000,
    onError: (e) => {
      errors.push(e);
      onError?.(e);
    },
  });
  cache.subscribe((c) => changes.push(c));
  cache.start();
  const names = () => [...cache.rows().values()].map((r) => r.name).sort();
  return { cache, changes, errors, names } satisfies Watched;
}

/** What a fresh LIST says, for comparison with the cache. */
async function listedNames(namespace: string): Promise<string[]> {
  const { items } = await admin.list<V1Pod>(POD, { namespace });
  return items.map((p) => p.metadata?.name ?? '').sort();
}

async function setupNamespace(name: string, pods: string[]): Promise<void> {
  await kubectl(['create', 'namespace', name]);
  // ServiceAccount admission refuses pods until the namespace's default ServiceAccount exists.
  await until(
    `the default ServiceAccount of ${name}`,
    async () => (await cp.kubectl(['-n', name, 'get', 'serviceaccount', 'default'])).code === 0,
  );
  if (pods.length) await kubectl(['apply', '-f', '-'], podsYaml(name, pods));
}

/** POST to etcd's v3 JSON gateway (keys and values are base64). */
async function etcd(route: string, body: Record<string, unknown>) {
  const r = await fetch(`${cp.etcdUrl}/v3/${route}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`etcd ${route}: ${r.status} ${await r.text()}`);
  return (await r.json()) as { header?: { revision?: string }; deleted?: string };
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('watch cache on the real control plane', () => {
  it('pods created and deleted with the real kubectl appear in and disappear from the cache', async () => {
    await setupNamespace('wc-kubectl', ['seed-1', 'seed-2', 'seed-3']);
    const lists: (string | undefined)[] = [];
    const paged: KubeClient = {
      ...admin,
      list: (type, o) => {
        lists.push(o?.continue);
        return admin.list(type, o);
      },
    };
    const w = watchPods('wc-kubectl', () => paged);
    try {
      await until('the first sync', () => w.cache.synced);
      // 3 pods at 2 a page: two pages, one reset with all of them.
      expect(lists).toHaveLength(2);
      expect(lists[1]).toBeTruthy();
      expect(w.changes.filter((c) => c.type === 'reset')).toHaveLength(1);
      expect(w.names()).toEqual(['seed-1', 'seed-2', 'seed-3']);

      await kubectl(['apply', '-f', '-'], podsYaml('wc-kubectl', ['made-by-kubectl']));
      await until('the new pod in the cache', () => w.names().includes('made-by-kubectl'));
      const row = [...w.cache.rows().values()].find((r) => r.name === 'made-by-kubectl');
      expect(row).toMatchObject({ namespace: 'wc-kubectl', labels: { app: 'wc' } });
      expect(Object.keys(row ?? {})).not.toContain('managedFields');

      await kubectl(['-n', 'wc-kubectl', 'delete', 'pod', 'seed-2', '--grace-period=0', '--force']);
      await until('the deleted pod gone', () => !w.names().includes('seed-2'));
      expect(w.names()).toEqual(['made-by-kubectl', 'seed-1', 'seed-3']);
      expect(w.changes.some((c) => c.type === 'delete' && c.uid === row?.uid)).toBe(false);
      expect(w.cache.state).toBe('synced');
    } finally {
      w.cache.stop();
    }
  });

  it('fails over to a second kube-apiserver on the same etcd when the first dies', async () => {
    await setupNamespace('wc-ha', ['ha-1']);
    const second = await cp.startExtraApiserver();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-ha-'));
    const secondConfig = path.join(dir, 'second.kubeconfig');
    fs.writeFileSync(secondConfig, second.kubeconfig, { mode: 0o600 });
    // The owner's failover rule, as a connection has it: on an error, the next server.
    const servers = [admin, createKubeClient(second.kubeconfig)];
    let current = 0;
    const used: number[] = [];
    const w = watchPods(
      'wc-ha',
      () => {
        used.push(current);
        return servers[current] ?? admin;
      },
      () => (current = (current + 1) % servers.length),
    );
    try {
      await until('the first sync', () => w.cache.synced);
      expect(used).toEqual([0, 0]); // list, watch on the first server
      await cp.stopComponent('kube-apiserver');
      await kubectl(['apply', '-f', '-'], podsYaml('wc-ha', ['ha-2']), secondConfig);
      await kubectl(
        ['-n', 'wc-ha', 'delete', 'pod', 'ha-1', '--grace-period=0', '--force'],
        undefined,
        secondConfig,
      );
      await until(
        'the cache to follow the second server',
        () => w.names().join() === 'ha-2',
        90_000,
      );
      expect(used.at(-1)).toBe(1);
      expect(w.changes.some((c) => c.type === 'state' && c.state === 'retrying')).toBe(true);
      expect(w.cache.state).toBe('synced');
    } finally {
      w.cache.stop();
      await cp.startComponent('kube-apiserver');
      await second.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('converges after a kube-apiserver restart (etcd kept)', async () => {
    await setupNamespace('wc-restart', ['r-1', 'r-2']);
    const w = watchPods('wc-restart', () => admin);
    try {
      await until('the first sync', () => w.cache.synced);
      await cp.stopComponent('kube-apiserver');
      await until('the cache to notice', () => w.cache.state === 'retrying', 30_000);
      await cp.startComponent('kube-apiserver');
      // Changes right after the restart, while the cache may still be backing off.
      await kubectl(['apply', '-f', '-'], podsYaml('wc-restart', ['r-3']));
      await kubectl(['-n', 'wc-restart', 'delete', 'pod', 'r-1', '--grace-period=0', '--force']);
      const want = await listedNames('wc-restart');
      expect(want).toEqual(['r-2', 'r-3']);
      await until('the cache to converge', () => w.names().join() === want.join(), 90_000);
      await until('the cache to be live again', () => w.cache.state === 'synced');
      // Still live after convergence: a change now arrives through the watch.
      await kubectl(['apply', '-f', '-'], podsYaml('wc-restart', ['r-4']));
      await until('r-4', () => w.names().includes('r-4'));
    } finally {
      w.cache.stop();
    }
  });

  it('relists after 410 Gone and shows a deletion it could only learn by relisting', async () => {
    await setupNamespace('wc-gone', ['g-1', 'g-2']);
    const w = watchPods('wc-gone', () => admin);
    try {
      await until('the first sync', () => w.cache.synced);
      expect(w.names()).toEqual(['g-1', 'g-2']);
      await cp.stopComponent('kube-apiserver');
      // No API server is watching: delete g-1 straight from etcd, then compact etcd up to now,
      // so the cache's resourceVersion is history and no DELETED event can ever come.
      const del = await etcd('kv/deleterange', { key: b64('/registry/pods/wc-gone/g-1') });
      expect(del.deleted).toBe('1');
      await etcd('kv/compaction', { revision: del.header?.revision, physical: true });
      const resetsBefore = w.changes.filter((c) => c.type === 'reset').length;
      await cp.startComponent('kube-apiserver');
      await until('the cache to converge', () => w.names().join() === 'g-2', 90_000);
      expect(w.errors.some(isGone)).toBe(true);
      expect(w.changes.filter((c) => c.type === 'reset').length).toBe(resetsBefore + 1);
      expect(w.changes.some((c) => c.type === 'delete')).toBe(false);
      await until('the cache to be live again', () => w.cache.state === 'synced');
      await kubectl(['apply', '-f', '-'], podsYaml('wc-gone', ['g-3']));
      await until('g-3', () => w.names().includes('g-3'));
    } finally {
      w.cache.stop();
    }
  });
});
