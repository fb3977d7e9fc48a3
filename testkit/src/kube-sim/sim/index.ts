/**
 * The simulated cluster behind kube-sim: nodes, scheduler, sandbox kubelet, load model and
 * workload controllers, all driven by watches on the shared ObjectStore and timed by a SimClock
 * so tests can accelerate time. The API server serves `pods/log` and `metrics.k8s.io` through the
 * returned `logs` and `metrics`.
 *
 * @see https://kubernetes.io/docs/concepts/architecture/ (the components simulated here)
 */
import type { SimClock } from '../clock.ts';
import type { ObjectStore } from '../store/types.ts';
import { createContext, ensure } from './context.ts';
import { CronJobController } from './controllers/cronjob.ts';
import { DaemonSetController } from './controllers/daemonset.ts';
import { DeploymentController } from './controllers/deployment.ts';
import { EndpointsController } from './controllers/endpoints.ts';
import { HpaController, type HpaOptions } from './controllers/hpa.ts';
import { JobController } from './controllers/job.ts';
import { ReplicaSetController, REPLICATION_CONTROLLERS } from './controllers/replicaset.ts';
import { StatefulSetController } from './controllers/statefulset.ts';
import { Kubelet } from './kubelet.ts';
import { PodLogs, type LogSource } from './logs.ts';
import { SimMetrics, type LoadModel, type MetricsSource } from './metrics.ts';
import { R, SIMULATED_LABEL, raw, type Namespace } from './model.ts';
import { NodeManager, type NodeSpecInput } from './nodes.ts';
import { Scheduler } from './scheduler.ts';

export type { LogReadOptions, LogSource } from './logs.ts';
export type {
  LoadContext,
  LoadModel,
  MetricsSource,
  NodeMetrics,
  PodMetrics,
  Usage,
} from './metrics.ts';
export type { NodeSpecInput } from './nodes.ts';
export {
  CPU_ANNOTATION,
  CRASH_SENTINEL,
  DURATION_ANNOTATION,
  MEMORY_ANNOTATION,
  SIMULATED_LABEL,
} from './model.ts';

export interface SimulationOptions {
  store: ObjectStore;
  clock: SimClock;
  /** Nodes created at start (default 3). */
  nodes?: number;
  /** PRNG seed: the same seed and inputs give the same latencies and usage noise. */
  seed?: number;
  /** Sandbox start latency, log-normal fitted to these percentiles (Kata-like, DESIGN.md §8). */
  sandboxStartMs?: { p50: number; p99: number };
  /** Run time of Job pods (override per pod with the `sim.nodeless.dev/duration-ms` annotation). */
  jobDurationMs?: number;
  hpa?: Partial<HpaOptions>;
  loadModel?: LoadModel;
  /** Defaults for every node (capacity, labels, taints). */
  nodeTemplate?: NodeSpecInput;
  /** Events kept (oldest deleted beyond this). Default 20,000. */
  maxEvents?: number;
  /** Unexpected controller errors (default: console.error). */
  onError?: (where: string, error: unknown) => void;
}

export interface Simulation {
  stop(): Promise<void>;
  logs: LogSource;
  metrics: MetricsSource;
  /** Adds a node; returns its name. */
  addNode(spec?: NodeSpecInput): string;
  removeNode(name: string): void;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Starts the simulated cluster on `store`. */
export function startSimulation(options: SimulationOptions): Simulation {
  const { store, clock } = options;
  const ctx = createContext({
    store,
    clock,
    seed: options.seed ?? 1,
    maxEvents: options.maxEvents,
    onError: options.onError,
  });
  for (const name of SYSTEM_NAMESPACES) {
    const ns: Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    ensure(store, R.namespaces, raw(ns));
  }
  const logs = new PodLogs(store, clock);
  const metrics = new SimMetrics(ctx, options.loadModel);
  const nodes = new NodeManager(ctx, { count: options.nodes ?? 3, template: options.nodeTemplate });
  nodes.start();
  new Scheduler(ctx);
  new Kubelet(ctx, logs, {
    sandboxStartMs: options.sandboxStartMs ?? { p50: 700, p99: 2500 },
    jobDurationMs: options.jobDurationMs ?? 5000,
  });
  new ReplicaSetController(ctx);
  new ReplicaSetController(ctx, REPLICATION_CONTROLLERS);
  new DeploymentController(ctx);
  new StatefulSetController(ctx);
  new DaemonSetController(ctx);
  new JobController(ctx);
  new CronJobController(ctx);
  new EndpointsController(ctx);
  new HpaController(ctx, metrics, {
    syncPeriodMs: 15_000,
    tolerance: 0.1,
    downscaleStabilizationMs: 300_000,
    ...options.hpa,
  });
  let stopped = false;
  return {
    logs,
    metrics,
    addNode: (spec = {}) => nodes.add(spec),
    removeNode: (name) => nodes.remove(name),
    async stop() {
      if (stopped) return;
      stopped = true;
      nodes.stop();
      logs.stop();
      ctx.stop();
    },
  };
}

/** Whether a node object was made by the simulation. */
export function isSimulatedNode(labels: Record<string, string> | undefined): boolean {
  return labels?.[SIMULATED_LABEL] === 'true';
}
