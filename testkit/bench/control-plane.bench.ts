/**
 * `npm run bench:control-plane [-- --cold]`: the real control plane beside kube-sim, in one run.
 * - build: warm (cache hit) measured now; cold as recorded when the cache was built, or
 *   measured now with `--cold` (a fresh Go build cache and binary cache: minutes)
 * - start-up to ready (kubectl-usable API, nodes registered)
 * - RSS of each component (and of the kube-sim process)
 * - pod creates per second through the API (20 clients, 500 pods), and the time until all of
 *   them run (KWOK stages vs kube-sim's simulated kubelet)
 * Bounded in count and time. Goals are printed beside the figures; MISSED where missed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { buildRecord, ensureControlPlane } from '../src/control-plane/build.ts';
import { startControlPlane } from '../src/control-plane/index.ts';

const PODS = 500;
const CLIENTS = 20;
const cold = process.argv.includes('--cold');

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

function line(what: string, value: string, goal?: { text: string; met: boolean }): void {
  const g = goal ? `  goal ${goal.text}${goal.met ? '' : '  MISSED'}` : '';
  process.stdout.write(`${what.padEnd(52)} ${value.padStart(14)}${g}\n`);
}

type Request = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: string }>;

function requester(kubeconfig: string): Request {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const server = kc.getCurrentCluster()?.server ?? '';
  const agent = new https.Agent({ keepAlive: true, maxSockets: CLIENTS });
  return async (method, p, body) => {
    const opts: https.RequestOptions = {
      method,
      agent,
      headers: { 'Content-Type': 'application/json' },
    };
    await kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = https.request(`${server}${p}`, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  };
}

/** Creates PODS pods with CLIENTS in flight; then waits until all run (bounded: 5 min). */
async function podLoad(
  req: Request,
  ns: string,
): Promise<{ createsPerS: number; allRunningS: number }> {
  await req('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns },
  });
  // The namespace's ServiceAccount must exist before pods are admitted.
  for (let i = 0; i < 100; i++) {
    if ((await req('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200)
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < PODS) {
        const i = next++;
        const r = await req('POST', `/api/v1/namespaces/${ns}/pods`, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `p-${i}` },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'busybox',
                resources: { requests: { cpu: '1m', memory: '1Mi' } },
              },
            ],
          },
        });
        if (r.status >= 300) failures++;
      }
    }),
  );
  const createS = (performance.now() - t0) / 1000;
  if (failures) process.stdout.write(`  (${failures} creates failed)\n`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    // remainingItemCount is not returned for selector lists: count the whole page.
    const list = await req(
      'GET',
      `/api/v1/namespaces/${ns}/pods?fieldSelector=status.phase%3DRunning`,
    );
    const items = (JSON.parse(list.body) as { items: unknown[] }).items.length;
    if (items >= PODS || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { createsPerS: PODS / createS, allRunningS: (performance.now() - t0) / 1000 };
}

async function kubeSim(): Promise<{
  kubeconfig: string;
  pid: number;
  stop: () => void;
  startS: number;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sim-'));
  const kc = path.join(dir, 'kc');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve(import.meta.dirname, '../src/cli/main.ts'),
      'kube-sim',
      '--kubeconfig',
      kc,
      '--nodes',
      '10',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
  );
  return {
    kubeconfig: fs.readFileSync(kc, 'utf8'),
    pid: child.pid ?? -1,
    startS: (performance.now() - t0) / 1000,
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  process.stdout.write(`control plane vs kube-sim on ${os.cpus().length} cores\n\n`);
  if (cold) {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cp-cold-'));
    const gocache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gocache-'));
    const t0 = performance.now();
    await ensureControlPlane({ cache, env: { ...process.env, GOCACHE: gocache } });
    const s = (performance.now() - t0) / 1000;
    line('cold build (fresh Go cache, modules downloaded)', `${s.toFixed(0)} s`, {
      text: '≤ 1200 s',
      met: s <= 1200,
    });
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(gocache, { recursive: true, force: true });
  }
  const t0 = performance.now();
  const bins = await ensureControlPlane();
  const warm = (performance.now() - t0) / 1000;
  const record = await buildRecord(bins);
  if (!cold && record)
    line(`cold build (recorded ${record.builtAt.slice(0, 10)})`, `${record.seconds} s`, {
      text: '≤ 1200 s',
      met: record.seconds <= 1200,
    });
  line('warm build (cache hit)', `${warm.toFixed(2)} s`, { text: '≤ 5 s', met: warm <= 5 });

  const s0 = performance.now();
  const cp = await startControlPlane({ nodes: 10 });
  const cpStart = (performance.now() - s0) / 1000;
  const sim = await kubeSim();
  line('start-up to ready: control plane (10 KWOK nodes)', `${cpStart.toFixed(1)} s`, {
    text: '≤ 30 s',
    met: cpStart <= 30,
  });
  line('start-up to ready: kube-sim (10 nodes)', `${sim.startS.toFixed(1)} s`);
  try {
    const cpLoad = await podLoad(requester(cp.kubeconfig), 'bench');
    const simLoad = await podLoad(requester(sim.kubeconfig), 'bench');
    let total = 0;
    for (const [name, pid] of Object.entries(cp.pids())) {
      const mib = rssMiB(pid);
      total += mib;
      line(`RSS ${name} (after ${PODS} pods)`, `${mib} MiB`);
    }
    line('RSS control plane, all components', `${total} MiB`, {
      text: '≤ 2048 MiB',
      met: total <= 2048,
    });
    line(`RSS kube-sim process (after ${PODS} pods)`, `${rssMiB(sim.pid)} MiB`);
    line('pod creates/s: control plane', `${cpLoad.createsPerS.toFixed(0)} /s`);
    line('pod creates/s: kube-sim', `${simLoad.createsPerS.toFixed(0)} /s`);
    line(`all ${PODS} pods Running: control plane (KWOK)`, `${cpLoad.allRunningS.toFixed(1)} s`);
    line(`all ${PODS} pods Running: kube-sim`, `${simLoad.allRunningS.toFixed(1)} s`);
  } finally {
    sim.stop();
    await cp.stop();
  }
}

await main();
