/**
 * The demo cluster as the start script runs it: kube-sim seeded with the demo workloads (the
 * testkit's `startDemo`, here in-process), its kubeconfig file named to the backend, which
 * registers it at start through the import path (source `demo`, name "Demo"). A restart on the
 * same data directory keeps one demo cluster; a new demo (new certificates, new port) replaces
 * its kubeconfig under the same id. Its Overview shows the three machines, the pool, and the
 * trainer that fits no machine as a Pending warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../testkit/src/demo/index.ts';
import type { KubeSim } from '../../testkit/src/kube-sim/index.ts';
import type { Overview } from '../src/clusters/contract.ts';
import { client, SseReader, startTestBackend, tempDir } from './support.ts';

let sim: KubeSim;
let dataDir: string;
let kubeconfigFile: string;

beforeAll(async () => {
  sim = await startDemo();
  dataDir = tempDir('workspace-demo');
  kubeconfigFile = path.join(dataDir, 'demo.kubeconfig');
  fs.writeFileSync(kubeconfigFile, sim.kubeconfig, { mode: 0o600 });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo cluster', () => {
  it('is registered at start, once, and shows its Overview', async () => {
    let backend = await startTestBackend({
      dataDir,
      workspace: { demoKubeconfig: kubeconfigFile },
    });
    let demoId: string;
    try {
      const clusters = await client(backend).workspace.clusters.query();
      expect(clusters).toEqual([
        expect.objectContaining({ name: 'Demo', source: 'demo', servers: [sim.url] }),
      ]);
      demoId = clusters[0]?.id ?? '';
      const overview = await SseReader.open(backend, {
        path: 'workspace.overview',
        input: { clusterId: demoId },
        ready: null,
      });
      try {
        const o = (await overview.waitFor((e) => {
          const v = e as Overview;
          return v.status.state === 'live' && v.machines.total === 3 && v.pods.running > 0;
        }, 60_000)) as Overview;
        expect(o.machines.ready).toBe(3);
        expect(o.pool.total.cpuMilli).toBeGreaterThan(0);
        expect(o.pool.taken.cpuMilli).toBeGreaterThan(0);
        expect(o.pool.fits.length).toBeGreaterThan(0);
        // The demo's Pending pod is the trainer, too big for any machine: the pool is full.
        const pending = (await overview.waitFor(
          (e) => (e as Overview).warnings.some((w) => w.kind === 'pool-full'),
          60_000,
        )) as Overview;
        expect(pending.pods.pending).toBeGreaterThan(0);
      } finally {
        await overview.close();
      }
    } finally {
      await backend.close();
    }

    // Same data directory, same file: still one demo cluster.
    backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: kubeconfigFile } });
    try {
      expect((await client(backend).workspace.clusters.query()).map((c) => c.id)).toEqual([demoId]);
    } finally {
      await backend.close();
    }

    // A new demo (new port and certificates): same id, new server.
    const old = sim;
    sim = await startDemo();
    await old.stop();
    fs.writeFileSync(kubeconfigFile, sim.kubeconfig, { mode: 0o600 });
    backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: kubeconfigFile } });
    try {
      const clusters = await client(backend).workspace.clusters.query();
      expect(clusters).toEqual([expect.objectContaining({ id: demoId, servers: [sim.url] })]);
      const feed = await SseReader.open(backend, {
        path: 'workspace.feed',
        input: { clusterId: demoId, kind: 'nodes' },
        ready: null,
      });
      try {
        await feed.waitFor((e) => (e as { type: string }).type === 'synced', 60_000);
      } finally {
        await feed.close();
      }
    } finally {
      await backend.close();
    }
  }, 240_000);
});
