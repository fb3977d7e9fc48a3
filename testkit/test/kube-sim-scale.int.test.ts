/**
 * kube-sim at the UI benchmark's scale: 100,000 pods bulk-loaded into the store, listed over
 * HTTPS in pages (limit/continue, every page at the first page's resourceVersion), then watched
 * from that resourceVersion while the update driver streams 2,000 changes per second. The
 * watcher's view, list plus events, must end equal to the store; memory stays bounded.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/kube-sim/index.ts';
import { bulkLoadPods, PODS, type BulkPodsResult } from '../src/kube-sim/scale/bulk-pods.ts';
import { driveUpdates } from '../src/kube-sim/scale/update-driver.ts';

const COUNT = 100_000;

interface PodLite {
  metadata: { name: string; namespace: string; resourceVersion: string };
  status?: { containerStatuses?: Array<{ restartCount?: number }> };
}

function get(sim: KubeSim, agent: Agent, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}${path}`,
      { agent, headers: { Authorization: `Bearer ${sim.adminToken}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('kube-sim with 100,000 pods', () => {
  let sim: KubeSim;
  let loaded: BulkPodsResult;
  let heapBefore = 0;

  beforeAll(async () => {
    sim = await startKubeSim({ sim: false, watchWindow: 200_000 });
    heapBefore = process.memoryUsage().heapUsed;
    loaded = await bulkLoadPods(sim.store, { count: COUNT });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('bulk-loads in seconds with bounded memory', () => {
    expect(sim.store.count(PODS)).toBe(COUNT);
    expect(loaded.ms).toBeLessThan(30_000);
    const grew = process.memoryUsage().heapUsed - heapBefore;
    // About 1.5 KiB of JSON per pod; the store shares objects with its event window.
    expect(grew).toBeLessThan(1.5 * 2 ** 30);
  });

  it('a watch from a paged list resourceVersion converges while 2,000 changes/s stream', async () => {
    const agent = new Agent({ keepAlive: true, ca: sim.caPem });
    const view = new Map<string, PodLite>();
    const driving = driveUpdates(sim.store, {
      keys: loaded.keys,
      ratePerSecond: 2000,
      durationMs: 4000,
    });
    let cont = '';
    let rv = '';
    let pages = 0;
    const listStart = performance.now();
    do {
      const body = JSON.parse(
        await get(
          sim,
          agent,
          `/api/v1/pods?limit=5000${cont === '' ? '' : `&continue=${encodeURIComponent(cont)}`}`,
        ),
      ) as { items: PodLite[]; metadata: { continue?: string; resourceVersion: string } };
      if (rv === '') rv = body.metadata.resourceVersion;
      expect(body.metadata.resourceVersion).toBe(rv);
      for (const p of body.items) view.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
      cont = body.metadata.continue ?? '';
      pages++;
    } while (cont !== '');
    expect(pages).toBe(COUNT / 5000);
    expect(view.size).toBe(COUNT);
    console.log(
      `listed ${COUNT} pods in ${pages} pages in ${Math.round(performance.now() - listStart)} ms`,
    );

    let buffered = '';
    let events = 0;
    const watch = request(
      `${sim.url}/api/v1/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
      {
        agent: new Agent({ ca: sim.caPem }),
        headers: { Authorization: `Bearer ${sim.adminToken}` },
      },
      (res) => {
        expect(res.statusCode).toBe(200);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
            const e = JSON.parse(buffered.slice(0, nl)) as { type: string; object: PodLite };
            buffered = buffered.slice(nl + 1);
            if (e.type === 'ERROR') throw new Error(JSON.stringify(e.object));
            if (e.type !== 'MODIFIED') continue;
            events++;
            const o = e.object;
            view.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
          }
        });
      },
    );
    watch.on('error', () => undefined); // destroyed at the end on purpose
    watch.end();
    const driven = await driving;
    expect(driven.updates).toBeGreaterThan(6000);
    // Only pods change now: every resourceVersion after the list's is one MODIFIED event.
    const expected = Number(sim.store.currentResourceVersion()) - Number(rv);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && events < expected) {
      await new Promise((r) => setTimeout(r, 100));
    }
    watch.destroy();
    expect(events).toBe(expected);
    // The view (list, then events from the list's resourceVersion) equals the store.
    for (const [ns, name] of loaded.keys.slice(0, 10_000)) {
      const stored = sim.store.getRaw(PODS, ns, name);
      expect(view.get(`${ns}/${name}`)?.metadata.resourceVersion).toBe(
        stored?.metadata.resourceVersion,
      );
    }
  }, 120_000);
});
