/**
 * The workspace's cluster list is pushed (`workspace.clusterEvents`), so every open window
 * follows imports and removals made anywhere — here two windows, each a tRPC client over its
 * own WebSocket, as the renderer connects. A cluster deleted from the inventory
 * (`clusters.delete`) closes its connection: its feed's last message says it was removed and
 * the feed and Overview subscriptions complete. A start without a demo removes the demo left
 * from an earlier run, and logs it. The kubeconfigs point nowhere: nothing here needs a cluster
 * to answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AppRouter } from '../src/api/router.ts';
import type { RunningBackend } from '../src/backend.ts';
import type { FeedMessage, WorkspaceCluster } from '../src/clusters/contract.ts';
import { WS_PATH } from '../src/http/websocket.ts';
import type { LogFields } from '../src/log/logger.ts';
import { client, startTestBackend, tempDir } from './support.ts';

const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]',
  'users: [{name: u, user: {token: not-a-real-token}}]',
  'contexts: [{name: c, context: {cluster: k, user: u}}]',
  'current-context: c',
  '',
].join('\n');

let dataDir: string;
let demoFile: string;
let backend: RunningBackend;

beforeAll(async () => {
  dataDir = tempDir('cluster-events');
  demoFile = path.join(dataDir, 'demo.kubeconfig');
  fs.writeFileSync(demoFile, KUBECONFIG, { mode: 0o600 });
  backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: demoFile } });
});
afterAll(async () => {
  await backend?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A window: a tRPC client over its own WebSocket with the launch token. */
function windowClient(b: RunningBackend) {
  const ws = createWSClient({
    url: `${b.url.replace(/^http/, 'ws')}${WS_PATH}`,
    WebSocket: class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { authorization: `Bearer ${b.token}` } });
      }
    } as unknown as typeof globalThis.WebSocket,
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  return { trpc, close: () => ws.close() };
}

/** The window's cluster list as the subscription leaves it (the latest list wins). */
function followClusters(w: ReturnType<typeof windowClient>) {
  const state = { lists: 0, names: [] as string[], clusters: [] as WorkspaceCluster[] };
  const sub = w.trpc.workspace.clusterEvents.subscribe(undefined, {
    onData: (event) => {
      state.lists++;
      state.clusters = event.clusters;
      state.names = event.clusters.map((c) => c.name).sort();
    },
  });
  return { state, stop: () => sub.unsubscribe() };
}

describe('workspace.clusterEvents', () => {
  it('pushes an import made through one window to the other, and a removal', async () => {
    const one = windowClient(backend);
    const two = windowClient(backend);
    const a = followClusters(one);
    const b = followClusters(two);
    try {
      await expect.poll(() => b.state.names).toEqual(['Demo']);
      await expect.poll(() => a.state.names).toEqual(['Demo']);
      const imported = await one.trpc.workspace.importKubeconfig.mutate({
        name: 'theirs',
        text: KUBECONFIG,
        context: 'c',
      });
      await expect.poll(() => b.state.names).toEqual(['Demo', 'theirs']);
      expect(b.state.clusters.find((c) => c.name === 'theirs')).toEqual({
        id: imported.id,
        name: 'theirs',
        source: 'imported',
        servers: ['https://127.0.0.1:1'],
        context: 'c',
      });
      await one.trpc.workspace.remove.mutate({ clusterId: imported.id });
      await expect.poll(() => b.state.names).toEqual(['Demo']);
      await expect.poll(() => a.state.names).toEqual(['Demo']);
      expect(b.state.lists).toBe(3);
    } finally {
      a.stop();
      b.stop();
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('a rename in the inventory renames the cluster in the list', async () => {
    const one = windowClient(backend);
    const a = followClusters(one);
    try {
      const api = client(backend);
      const { id } = await api.workspace.importKubeconfig.mutate({
        name: 'before',
        text: KUBECONFIG,
        context: 'c',
      });
      await expect.poll(() => a.state.names).toEqual(['Demo', 'before']);
      await api.clusters.rename.mutate({ id, name: 'after' });
      await expect.poll(() => a.state.names).toEqual(['Demo', 'after']);
      await api.workspace.remove.mutate({ clusterId: id });
    } finally {
      a.stop();
      await one.close();
    }
  });
});

describe('clusters.delete of an imported cluster', () => {
  it('ends its feed with a removed status, completes its Overview and drops it from the list', async () => {
    const api = client(backend);
    const { id } = await api.workspace.importKubeconfig.mutate({
      name: 'doomed',
      text: KUBECONFIG,
      context: 'c',
    });
    const w = windowClient(backend);
    const list = followClusters(w);
    const feed: FeedMessage<{ uid: string }>[] = [];
    let feedDone = false;
    let overviews = 0;
    let overviewDone = false;
    const subs = [
      w.trpc.workspace.feed.subscribe(
        { clusterId: id, kind: 'pods' },
        { onData: (m) => feed.push(m), onComplete: () => (feedDone = true) },
      ),
      w.trpc.workspace.overview.subscribe(
        { clusterId: id },
        { onData: () => overviews++, onComplete: () => (overviewDone = true) },
      ),
    ];
    try {
      await expect.poll(() => feed.length > 0 && overviews > 0).toBe(true);
      await expect.poll(() => list.state.names).toEqual(['Demo', 'doomed']);
      await api.clusters.delete.mutate({ id });
      await expect.poll(() => feedDone).toBe(true);
      await expect.poll(() => overviewDone).toBe(true);
      expect(feed.at(-1)).toMatchObject({
        type: 'status',
        status: { state: 'failed', problem: { code: 'removed' } },
      });
      await expect.poll(() => list.state.names).toEqual(['Demo']);
    } finally {
      for (const sub of subs) sub.unsubscribe();
      list.stop();
      await w.close();
    }
  });
});

describe('a start without the demo', () => {
  it('removes the demo cluster left from an earlier run and logs it', async () => {
    const dir = tempDir('cluster-events-nodemo');
    const lines: { event: string; fields: LogFields | undefined }[] = [];
    const logger = {
      log: (_: string, event: string, fields?: LogFields) => void lines.push({ event, fields }),
    };
    try {
      let b = await startTestBackend({ dataDir: dir, workspace: { demoKubeconfig: demoFile } });
      const demo = (await client(b).workspace.clusters.query()).find((c) => c.source === 'demo');
      await b.close();
      expect(demo?.name).toBe('Demo');
      b = await startTestBackend({ dataDir: dir, logger, workspace: { demoKubeconfig: null } });
      try {
        expect(await client(b).workspace.clusters.query()).toEqual([]);
        expect(await client(b).inventory.list.query()).toEqual([]);
        expect(lines).toContainEqual({
          event: 'workspace.demo_removed',
          fields: expect.objectContaining({ clusterId: demo?.id, name: 'Demo' }) as LogFields,
        });
      } finally {
        await b.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
