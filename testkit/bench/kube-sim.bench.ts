/**
 * `npm run bench:kube-sim`: the figures the UI's scale tests stand on.
 * - objects created per second through the API (HTTPS, 20 concurrent clients)
 * - p50/p99 latency of get / list / create under 20 concurrent clients
 * - watch events per second delivered to 10 watchers
 * - RSS with 50,000 pods on 500 nodes (bulk-loaded through the store: the HTTP path is measured
 *   above, and loading 50,000 objects over HTTPS would only measure TLS)
 * - listing those 50,000 pods in pages of 500
 * Bounded in count and time; the simulation is off so only the API server is measured.
 */
import { Agent, request } from 'node:https';
import { startKubeSim, type KubeSim } from '../src/kube-sim/index.ts';

const CLIENTS = 20;
const OPS = 2000;
const WATCHERS = 10;
const WATCH_EVENTS = 5000;
const PODS = 50_000;
const NODES = 500;
const PAGE = 500;

interface Res {
  status: number;
  body: string;
}

function client(sim: KubeSim): (method: string, path: string, body?: unknown) => Promise<Res> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS, ca: sim.caPem });
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${sim.url}${path}`,
        {
          method,
          agent,
          headers: {
            Authorization: `Bearer ${sim.adminToken}`,
            'Content-Type': 'application/json',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `total` operations with `CLIENTS` in flight; returns latencies (ms) and wall time. */
async function load(
  total: number,
  op: (i: number) => Promise<Res>,
): Promise<{ lat: number[]; wallMs: number; failures: number }> {
  const lat: number[] = [];
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        const r = await op(i);
        lat.push(performance.now() - s);
        if (r.status >= 300) failures++;
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return { lat, wallMs: performance.now() - t0, failures };
}

const fmt = (n: number): string => n.toFixed(n < 10 ? 2 : 0);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const sim = await startKubeSim({ sim: false, watchWindow: 10_000 });
  const call = client(sim);
  const out: string[] = [];
  try {
    const cm = (i: number): object => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `bench-${i}`, labels: { bench: 'yes' } },
      data: { i: String(i) },
    });
    const create = await load(OPS, (i) =>
      call('POST', '/api/v1/namespaces/default/configmaps', cm(i)),
    );
    out.push(
      `create via API: ${fmt((OPS / create.wallMs) * 1000)} objects/s (${CLIENTS} clients, ${OPS} objects, ${create.failures} failures)`,
    );
    out.push(
      `  create latency p50 ${fmt(pct(create.lat, 50))} ms, p99 ${fmt(pct(create.lat, 99))} ms`,
    );
    const get = await load(OPS, (i) =>
      call('GET', `/api/v1/namespaces/default/configmaps/bench-${i % OPS}`),
    );
    out.push(
      `  get    latency p50 ${fmt(pct(get.lat, 50))} ms, p99 ${fmt(pct(get.lat, 99))} ms (${get.failures} failures)`,
    );
    const list = await load(OPS / 10, () =>
      call('GET', '/api/v1/namespaces/default/configmaps?limit=100&labelSelector=bench%3Dyes'),
    );
    out.push(
      `  list   latency p50 ${fmt(pct(list.lat, 50))} ms, p99 ${fmt(pct(list.lat, 99))} ms (limit=100 of ${OPS}, ${list.failures} failures)`,
    );

    // Watch fan-out: 10 raw HTTPS watches, events generated through the store.
    const agent = new Agent({ keepAlive: false, ca: sim.caPem });
    const store = sim.store;
    const rv = store.currentResourceVersion();
    let delivered = 0;
    const target = WATCHERS * WATCH_EVENTS;
    let resolveAll: () => void = () => undefined;
    const allDone = new Promise<void>((r) => (resolveAll = r));
    const reqs = Array.from({ length: WATCHERS }, () => {
      const req = request(
        `${sim.url}/api/v1/namespaces/default/secrets?watch=1&resourceVersion=${rv}`,
        { agent, headers: { Authorization: `Bearer ${sim.adminToken}` } },
        (res) => {
          res.on('data', (d: Buffer) => {
            for (const b of d) if (b === 10) delivered++;
            if (delivered >= target) resolveAll();
          });
        },
      );
      req.end();
      return req;
    });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
    for (let i = 0; i < WATCH_EVENTS; i++) {
      store.createRaw(SECRETS, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `w-${i}`, namespace: 'default' },
        data: { k: 'dmFsdWU=' },
      });
      if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    }
    let cap: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([allDone, new Promise((r) => (cap = setTimeout(r, 60_000)))]);
    clearTimeout(cap);
    const watchMs = performance.now() - t0;
    out.push(
      `watch: ${fmt((delivered / watchMs) * 1000)} events/s delivered to ${WATCHERS} watchers (${delivered}/${target} events in ${fmt(watchMs)} ms)`,
    );
    for (const r of reqs) r.destroy();

    // 50,000 pods on 500 nodes, bulk-loaded through the store.
    const NODES_KEY = { group: '', version: 'v1', resource: 'nodes' };
    const PODS_KEY = { group: '', version: 'v1', resource: 'pods' };
    global.gc?.();
    const before = process.memoryUsage();
    const tl = performance.now();
    for (let n = 0; n < NODES; n++) {
      store.createRaw(NODES_KEY, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: `bench-node-${n}`,
          labels: { 'kubernetes.io/hostname': `bench-node-${n}` },
        },
        spec: {},
        status: {
          capacity: { cpu: '64', memory: '256Gi', pods: '110' },
          allocatable: { cpu: '64', memory: '256Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      });
    }
    for (let i = 0; i < PODS; i++) {
      store.createRaw(PODS_KEY, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `bench-pod-${i}`,
          namespace: `team-${i % 20}`,
          labels: { app: `app-${i % 200}` },
        },
        spec: {
          nodeName: `bench-node-${i % NODES}`,
          containers: [
            {
              name: 'app',
              image: 'nginx:1.27',
              resources: {
                requests: { cpu: '250m', memory: '512Mi' },
                limits: { cpu: '250m', memory: '512Mi' },
              },
            },
          ],
        },
        status: {
          phase: 'Running',
          podIP: `10.42.${Math.floor(i / 250) % 250}.${i % 250}`,
          containerStatuses: [
            {
              name: 'app',
              ready: true,
              restartCount: 0,
              state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
            },
          ],
        },
      });
    }
    const loadMs = performance.now() - tl;
    global.gc?.();
    const after = process.memoryUsage();
    out.push(
      `scale: ${PODS} pods on ${NODES} nodes loaded through the store in ${fmt(loadMs)} ms; RSS ${mib(after.rss)} (heap ${mib(after.heapUsed)}, +${mib(after.heapUsed - before.heapUsed)} for the pods)`,
    );

    const tp = performance.now();
    let cont = '';
    let items = 0;
    const pageLat: number[] = [];
    for (let pages = 0; pages < 1000; pages++) {
      const s = performance.now();
      const r = await call(
        'GET',
        `/api/v1/pods?limit=${PAGE}${cont === '' ? '' : `&continue=${encodeURIComponent(cont)}`}`,
      );
      pageLat.push(performance.now() - s);
      const body = JSON.parse(r.body) as { items: unknown[]; metadata: { continue?: string } };
      items += body.items.length;
      cont = body.metadata.continue ?? '';
      if (cont === '') break;
    }
    pageLat.sort((a, b) => a - b);
    out.push(
      `list ${items} pods with limit=${PAGE}: ${pageLat.length} pages in ${fmt(performance.now() - tp)} ms (page p50 ${fmt(pct(pageLat, 50))} ms, p99 ${fmt(pct(pageLat, 99))} ms)`,
    );
    const sel = performance.now();
    const r = await call('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3Dbench-node-7`);
    out.push(
      `field selector spec.nodeName over ${PODS} pods: ${(JSON.parse(r.body) as { items: unknown[] }).items.length} pods in ${fmt(performance.now() - sel)} ms`,
    );
  } finally {
    await sim.stop();
  }
  console.log(['kube-sim benchmark', ...out].join('\n'));
}

await main();
