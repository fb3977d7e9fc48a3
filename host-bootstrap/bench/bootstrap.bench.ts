/**
 * Bootstrap benchmark (issue 6, point 7): test hosts + the stand-in airgap bundle, wall times
 * for 1 server + 1 agent, 1 server + 4 agents, an idempotent re-run of the latter, and the
 * ratios 4-agent/1-agent (goal ≤ 1.3: agents install in parallel) and re-run/first (goal ≤
 * 0.15). Bounded (a global deadline), and it cleans up: hosts are reset, and the fleet is
 * torn down unless it was already up (see testkit `useFleet`).
 *
 * Run: `npm run bench:bootstrap` (root; needs the test-host requirements of testkit/README.md).
 */
import { join } from 'node:path';
import { MemoryJournal, resetPlan, runPlan } from '../src/bootstrap/index.ts';
import {
  buildCluster,
  closeHandles,
  runOnce,
  setupBootWorld,
  type BootWorld,
  type Cluster,
} from '../test/bootstrap-helpers.ts';

const DEADLINE_MS = 15 * 60_000;

async function reset(world: BootWorld): Promise<void> {
  const c = await buildCluster(world, {
    name: 'bench',
    servers: [world.hosts[0]?.name ?? ''],
    agents: [],
    kubeconfigPath: join(world.dir, 'reset.yaml'),
  });
  try {
    const out = await runPlan(resetPlan('bench', [...c.hosts.values()]), {
      runId: 'reset',
      journal: new MemoryJournal(),
      concurrency: world.hosts.length,
    });
    if (out.state !== 'succeeded') throw new Error(`reset failed: ${JSON.stringify(out.failed)}`);
  } finally {
    closeHandles(c.hosts);
  }
}

async function timed(label: string, cluster: Cluster, runId: string): Promise<number> {
  const t0 = performance.now();
  const { outcome } = await runOnce(cluster, runId);
  const ms = performance.now() - t0;
  if (outcome.state !== 'succeeded') {
    throw new Error(`${label}: run ${outcome.state}: ${JSON.stringify(outcome.failed)}`);
  }
  console.log(
    `${label.padEnd(28)} ${(ms / 1000).toFixed(1).padStart(6)} s  (${outcome.changed.length} steps changed)`,
  );
  return ms;
}

async function main(): Promise<void> {
  const guard = setTimeout(() => {
    console.error(`bench: over the ${DEADLINE_MS / 60_000} min deadline, giving up`);
    process.exit(2);
  }, DEADLINE_MS);
  guard.unref();
  const tUp = performance.now();
  const world = await setupBootWorld('bbench', 5);
  console.log(`fleet of 5 test hosts ready in ${((performance.now() - tUp) / 1000).toFixed(1)} s`);
  const names = world.hosts.map((h) => h.name);
  const open: Cluster[] = [];
  const cluster = async (agents: string[]) => {
    const c = await buildCluster(world, {
      name: 'bench',
      servers: [names[0] ?? ''],
      agents,
      kubeconfigPath: join(world.dir, 'kubeconfig.yaml'),
    });
    open.push(c);
    return c;
  };
  try {
    await reset(world);
    const one = await timed('1 server + 1 agent', await cluster(names.slice(1, 2)), 'one');
    await reset(world);
    const four = await timed('1 server + 4 agents', await cluster(names.slice(1, 5)), 'four');
    const rerun = await timed(
      're-run (1 server + 4 agents)',
      await cluster(names.slice(1, 5)),
      'rerun',
    );
    const r1 = four / one;
    const r2 = rerun / four;
    console.log(
      `ratio 4-agent / 1-agent       ${r1.toFixed(2)}  (goal ≤ 1.30) ${r1 <= 1.3 ? 'ok' : 'MISSED'}`,
    );
    console.log(
      `ratio re-run / first          ${r2.toFixed(2)}  (goal ≤ 0.15) ${r2 <= 0.15 ? 'ok' : 'MISSED'}`,
    );
    await reset(world);
  } finally {
    for (const c of open) closeHandles(c.hosts);
    await world.release();
    clearTimeout(guard);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
