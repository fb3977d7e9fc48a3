/**
 * `npm run bench:meter`: the meter's CPU and RSS under 500 pod lifecycle events per second
 * (issue 15 "Benchmark"; the desktop's figures are backend/bench/metering.bench.ts, and
 * `npm run bench:metering` runs both).
 *
 * The meter is the real program as a process (testkit's startMeter: meter/src/main.ts with the
 * Deployment's flags and its ServiceAccount's token) against a real API server, leading. A load
 * generator (./pod-churn.ts) drives pods through create → Running → Succeeded → delete at a
 * bounded rate for a bounded time; each pod carries the finalizer the install's admission policy
 * adds, so the meter also releases every pod. The meter's CPU is utime + stime from
 * /proc/<pid>/stat over the window, its RSS sampled from /proc/<pid>/status (./proc-stats.ts).
 *
 * Goals: CPU ≤ 250 millicores — the Deployment's request, what the scheduler reserves for it;
 * peak RSS ≤ 256 MiB — half its 512 MiB limit, leaving the other half for what a steady churn
 * does not show: re-reading the whole ledger on taking over, the hourly flush of every running
 * pod, compaction.
 *
 * API server: kube-sim (in this process, its simulation off, so only the generator moves pods)
 * by default, because on 2 cores it sustains 500 writes/s (p50 ~4 ms, ~0.65 core with the
 * generator) while the testkit's real kube-apiserver + etcd + KWOK reached ~230/s (p50 ~230 ms):
 * at that rate the figure would be the API server's, not the meter's.
 * METER_BENCH_SERVER=control-plane runs it there all the same.
 * The meter runs as the image runs it: meter/src/main.ts bundled by the image's esbuild step
 * (meter/scripts/image/bundle.ts) under plain node; METER_BENCH_TSX=1 runs the sources through
 * tsx instead, as the integration tests do (tsx's loader and the unbundled module graph add RSS
 * that does not ship).
 * Exits 1 when a goal is missed (after printing), as the backend's half of bench:metering does.
 * METER_BENCH_CPU_PROF=<file.cpuprofile> profiles the meter over the load window (V8's profiler
 * through node:inspector in the meter's own process, started and stopped by SIGUSR2 from here: the
 * spawn's environment is the pod's, so NODE_OPTIONS=--cpu-prof cannot reach it); the CPU figure
 * then includes the profiler's cost. Open the file in Chrome DevTools or speedscope.
 * METER_BENCH_RATE (events/s, default 500) and METER_BENCH_SECONDS (default 45) scale it.
 * METER_BENCH_SEED_RECORDS=840000 first writes a retained ledger of that many records (1,000
 * steady pods' hourly records, 35 days: ./ledger-seed.ts) and the watermark at this hour, so the
 * meter takes over a full ledger; its RSS after the takeover's read is reported too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { V1ConfigMap } from '@kubernetes/client-node';
import {
  chunkFromConfigMap,
  createKubeClient,
  LEDGER_LABEL,
  LEDGER_NAMESPACE,
  RESOURCES,
  type KubeClient,
  stateConfigMap,
} from '@nodeless/cluster-runtime';
import { startControlPlane } from '../../testkit/src/control-plane/index.ts';
import { startKubeSim } from '../../testkit/src/kube-sim/index.ts';
import { ensureMeterRbac, startMeter } from '../../testkit/src/meter/index.ts';
import { bundleMeter } from '../scripts/image/bundle.ts';
import { sealedChunk, sealedChunkConfigMap } from './ledger-seed.ts';
import { churnPods, httpsWriter } from './pod-churn.ts';
import { memoryKiB, watchProcess, type ProcWindow } from './proc-stats.ts';

const RATE = Number(process.env['METER_BENCH_RATE'] ?? 500);
const SECONDS = Number(process.env['METER_BENCH_SECONDS'] ?? 45);
const SERVER = process.env['METER_BENCH_SERVER'] === 'control-plane' ? 'control-plane' : 'kube-sim';
const GOAL_MILLICORES = 250;
const GOAL_RSS_MIB = 256;
const NAMESPACE = 'meter-bench';
const NODE = 'bench-node';
const TSX = process.env['METER_BENCH_TSX'] === '1';
const SEED_RECORDS = Number(process.env['METER_BENCH_SEED_RECORDS'] ?? 0);
const SEED_PODS = 1000;
const CPU_PROF = process.env['METER_BENCH_CPU_PROF'];

/**
 * The meter bundle behind a prelude that toggles V8's CPU profiler on SIGUSR2 (first: start,
 * second: stop and write `out`). Same process, same pid: what the bench measures is what it profiles.
 * @see https://nodejs.org/api/inspector.html#cpu-profiler
 */
function profilingPrelude(bundle: string, out: string): string {
  return [
    `import { Session } from 'node:inspector';`,
    `import { writeFileSync } from 'node:fs';`,
    `const session = new Session(); session.connect(); let on = false;`,
    `process.on('SIGUSR2', () => {`,
    `  if (!on) { on = true; session.post('Profiler.enable', () => session.post('Profiler.start')); return; }`,
    `  session.post('Profiler.stop', (err, r) => { if (!err) writeFileSync(${JSON.stringify(out)}, JSON.stringify(r.profile)); });`,
    `});`,
    `await import(${JSON.stringify(bundle)});`,
  ].join('\n');
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function startServer(): Promise<{ kubeconfig: string; stop: () => Promise<void> }> {
  if (SERVER === 'control-plane') {
    const cp = await startControlPlane({ nodes: 1, metrics: false });
    return { kubeconfig: cp.kubeconfig, stop: () => cp.stop() };
  }
  const sim = await startKubeSim({ sim: false, watchWindow: 20_000 });
  return { kubeconfig: sim.kubeconfig, stop: async () => sim.stop() };
}

/** Pods of the bench namespace still there (held by the finalizer until the meter records). */
async function podsLeft(kube: KubeClient): Promise<number> {
  return (await kube.list(RESOURCES.pods, { namespace: NAMESPACE })).items.length;
}

/** The bench namespace's records in the ledger: pods recorded, and (uid, segment) written twice. */
async function ledgerOf(
  kube: KubeClient,
): Promise<{ pods: number; twice: number; chunks: number }> {
  const list = await kube.list<V1ConfigMap>(RESOURCES.configMaps, {
    namespace: LEDGER_NAMESPACE,
    labelSelector: `${LEDGER_LABEL}=records`,
  });
  const uids = new Set<string>();
  const keys = new Set<string>();
  let twice = 0;
  for (const cm of list.items)
    for (const r of chunkFromConfigMap(cm).records) {
      if (r.namespace !== NAMESPACE) continue;
      uids.add(r.uid);
      const key = `${r.uid}/${r.segment}`;
      if (keys.has(key)) twice++;
      keys.add(key);
    }
  return { pods: uids.size, twice, chunks: list.items.length };
}

/** The retained ledger a meter takes over: sealed hourly chunks up to this hour, its watermark. */
async function seedLedger(kube: KubeClient, records: number): Promise<string> {
  const t = performance.now();
  await ensureMeterRbac(kube);
  const chunks = Math.ceil(records / SEED_PODS);
  const hour = Math.floor(Date.now() / 3_600_000);
  for (let seq = 0; seq < chunks; seq++)
    await kube.create(
      RESOURCES.configMaps,
      sealedChunkConfigMap(sealedChunk(seq, hour - chunks + seq, SEED_PODS), LEDGER_NAMESPACE),
    );
  await kube.create(RESOURCES.configMaps, stateConfigMap(hour * 3600));
  const seconds = (performance.now() - t) / 1000;
  return `${chunks * SEED_PODS} records in ${chunks} sealed chunks (seeded in ${fmt(seconds, 1)} s)`;
}

async function main(): Promise<void> {
  const out: string[] = [];
  const server = await startServer();
  const kube = createKubeClient(server.kubeconfig);
  const seeded = SEED_RECORDS > 0 ? await seedLedger(kube, SEED_RECORDS) : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-meter-bench-'));
  const script = path.join(dir, 'meter.mjs');
  if (!TSX) fs.writeFileSync(script, await bundleMeter());
  const profiled = path.join(dir, 'meter-profiled.mjs');
  if (CPU_PROF && !TSX)
    fs.writeFileSync(profiled, profilingPrelude(script, path.resolve(CPU_PROF)));
  const spawned = CPU_PROF ? profiled : script;
  const meter = await startMeter(server.kubeconfig, {
    identity: 'meter-bench',
    ...(TSX ? {} : { script: spawned }),
  });
  try {
    const t0 = performance.now();
    await meter.waitForEvent('leading', 300_000);
    const takeoverS = (performance.now() - t0) / 1000;
    // startMeter's process is `unshare` exec'ing sh exec'ing node: one pid, the meter itself.
    const cmdline = fs.readFileSync(`/proc/${meter.pid}/cmdline`, 'utf8');
    if (!cmdline.includes(TSX ? 'meter/src/main.ts' : spawned))
      throw new Error(`pid ${meter.pid} is not the meter`);
    // 'leading' is logged once the ledger is read: the peak so far is the takeover's.
    const takeover = memoryKiB(meter.pid);
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });

    const idle = watchProcess(meter.pid);
    idle.start();
    await sleep(5_000);
    const rest = idle.stop();

    const busy = watchProcess(meter.pid);
    const cpuBefore = process.cpuUsage();
    let load: ProcWindow | undefined;
    let generatorCpu: NodeJS.CpuUsage | undefined;
    busy.start();
    if (CPU_PROF) process.kill(meter.pid, 'SIGUSR2');
    const churn = await churnPods({
      write: await httpsWriter(server.kubeconfig, 64),
      namespace: NAMESPACE,
      node: NODE,
      eventsPerSecond: RATE,
      seconds: SECONDS,
      inFlight: 64,
      lifeMs: 2_000,
      // The window is the steady part: pods created at the target rate, all steps mixed.
      onCreationEnd: () => {
        load = busy.stop();
        generatorCpu = process.cpuUsage(cpuBefore);
        if (CPU_PROF) process.kill(meter.pid, 'SIGUSR2');
      },
    });
    if (!load || !generatorCpu) throw new Error('the load never ended');

    // Caught up: every pod recorded and released (deleted for good), within a bound.
    const t = performance.now();
    let left = await podsLeft(kube);
    while (left > 0 && performance.now() - t < 60_000) {
      await sleep(500);
      left = await podsLeft(kube);
    }
    const catchUp = (performance.now() - t) / 1000;
    const ledger = await ledgerOf(kube);
    const mem = memoryKiB(meter.pid);
    const achieved = churn.windowEvents / load.seconds;

    out.push(
      `API server: ${SERVER}; meter pid ${meter.pid}: ${TSX ? 'meter/src/main.ts through tsx' : 'the image bundle'} on node ${process.version}`,
      `load: target ${RATE} events/s for ${SECONDS} s; achieved ${fmt(achieved)} events/s (${churn.windowEvents} writes answered in the ${fmt(load.seconds, 1)} s window; ${churn.pods} pods × create/Running/Succeeded/delete, ${churn.events} writes in all; ${churn.failed} failed${churn.errors.length ? `: ${churn.errors.join(' | ')}` : ''})` +
        (achieved < RATE * 0.95
          ? ` — BELOW TARGET: the generator/API server could not sustain ${RATE}/s`
          : ''),
      `write latency: p50 ${fmt(pct(churn.latencies, 50))} ms, p99 ${fmt(pct(churn.latencies, 99))} ms (at most 64 in flight)`,
      `bench process (generator${SERVER === 'kube-sim' ? ' + kube-sim' : ''}): ${fmt((generatorCpu.user + generatorCpu.system) / 1000 / load.seconds)} millicores`,
      `ledger at takeover: ${seeded ?? 'empty'}; leading after ${fmt(takeoverS, 1)} s, RSS then ${fmt(takeover.rss / 1024, 1)} MiB, peak (VmHWM) ${fmt(takeover.hwm / 1024, 1)} MiB`,
      `meter idle (5 s, leading, no pods): ${rest.millicores} millicores, RSS ${fmt(rest.avgRssMiB, 1)} MiB`,
      `meter CPU under load: ${load.millicores} millicores over ${fmt(load.seconds, 1)} s — goal ≤ ${GOAL_MILLICORES} (its request): ${load.millicores <= GOAL_MILLICORES ? 'met' : 'NOT met'}`,
      `meter RSS under load: avg ${fmt(load.avgRssMiB, 1)} MiB, peak ${fmt(load.peakRssMiB, 1)} MiB (VmHWM since start ${fmt(mem.hwm / 1024, 1)} MiB) — goal peak ≤ ${GOAL_RSS_MIB} MiB (half its 512 MiB limit): ${mem.hwm / 1024 <= GOAL_RSS_MIB ? 'met' : 'NOT met'}`,
      `caught up: ${left === 0 ? `every pod recorded and released ${fmt(catchUp, 1)} s after the load ended` : `${left} pods still held after ${fmt(catchUp, 1)} s`}; ledger: ${ledger.pods} of ${churn.pods} pods recorded in ${ledger.chunks} chunk(s), ${ledger.twice} written twice`,
    );
  } finally {
    await meter.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(['meter benchmark', ...out].join('\n'));
  // Like backend/bench/metering.bench.ts: a missed goal is a failing exit, the figures printed.
  if (out.some((line) => line.includes('NOT met'))) process.exitCode = 1;
}

await main();
