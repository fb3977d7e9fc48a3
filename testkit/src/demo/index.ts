/**
 * The demo cluster: kube-sim with three simulated machines and the workloads of
 * `workloads.ts`, created through its API as `kubectl apply` would (so admission and defaulting
 * run). Started as a separate process by the start script (`testkit demo`), never imported by
 * product code; the app imports its kubeconfig as the demo cluster, labelled "Demo · simulated".
 *
 * Every start also writes the week before it into the cluster as the meter's ledger
 * (history.ts), so the Usage section has a week of history to show.
 *
 * Every start reseeds: a fresh store, the same seed, the same workloads — so every start shows
 * the same cluster (pod name suffixes and ages are the simulation's, not fixed). State is not
 * kept across restarts on purpose: kube-sim's certificates are new at each start, and a kept
 * store would replay a half-finished simulation (pods bound to machines whose kubelet never
 * saw them).
 *
 * @see ../../README.md (kube-sim) and ../../../README.md (demo)
 */
import { ensureObjects } from '../control-plane/cluster-objects.ts';
import { startKubeSim, type KubeSim } from '../kube-sim/index.ts';
import { demoHistory, historyObjects } from './history.ts';
import { DEMO_MACHINE, DEMO_MACHINES, demoObjects } from './workloads.ts';

export { DEMO_NAMESPACES, DEMO_RUNTIME_CLASS, demoObjects } from './workloads.ts';
export { demoHistory, historyObjects, HISTORY_DAYS } from './history.ts';

export interface DemoOptions {
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  /** PRNG seed for names and latencies (default 20250101): the same seed, the same demo. */
  seed?: number;
  /** Write the week before `nowMs` as the meter's ledger (default true). */
  history?: boolean;
  /** The demo's "now" for its history (default the wall clock). */
  nowMs?: number;
}

/** Starts kube-sim and seeds the demo workloads; resolves once every object is created. */
export async function startDemo(options: DemoOptions = {}): Promise<KubeSim> {
  const seed = options.seed ?? 20_250_101;
  const sim = await startKubeSim({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    nodes: DEMO_MACHINES,
    seed,
    simOptions: { nodeTemplate: { ...DEMO_MACHINE, labels: { ...DEMO_MACHINE.labels } } },
  });
  try {
    await ensureObjects(sim.kubeconfig, demoObjects());
    if (options.history !== false) {
      const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
      await ensureObjects(sim.kubeconfig, historyObjects(demoHistory(now, seed)));
    }
  } catch (err) {
    await sim.stop();
    throw err;
  }
  return sim;
}
