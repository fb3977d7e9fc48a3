/**
 * The workspace's wiring at backend start: the cluster registry, the connections (real clients
 * and watch caches on the system clock) and, when the start script runs a demo cluster, its
 * registration through the same import path as any kubeconfig (source `demo`).
 *
 * The demo: `NODELESS_DEMO_KUBECONFIG=<path>` names the kubeconfig the start script wrote for
 * the kube-sim it started; `NODELESS_DEMO=0` means no demo (the script then sets no path). A
 * start without a demo removes a demo cluster left from an earlier run: its kube-sim is gone,
 * and the demo is reseeded at every start that has one, so nothing of the user's is lost.
 */
import type { CacheTimers } from '@nodeless/cluster-runtime';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import { WorkspaceClusterEvents } from './cluster-events.ts';
import { Connections } from './connections.ts';
import { WorkspaceClusters } from './workspace-clusters.ts';
import { WorkspaceService } from './workspace-service.ts';

/** Node's clock and timers. */
export const systemTimers: CacheTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

export interface WorkspaceOptions {
  /** The demo's kubeconfig file; default from the environment (see above). `null`: none. */
  demoKubeconfig?: string | null;
  /** The user's PATH, for exec credential plugins; default this process's PATH. */
  envPath?: () => string;
  /** How long a connection stays open after its last subscriber left; default 15 s. */
  lingerMs?: number;
}

/** The demo kubeconfig named by the environment, if any. */
export function demoKubeconfigFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['NODELESS_DEMO'] === '0') return undefined;
  const file = env['NODELESS_DEMO_KUBECONFIG'];
  return file ? file : undefined;
}

export function startWorkspace(deps: {
  store: Store;
  clock: () => Date;
  logger: Logger;
  registerSecret: (plain: string) => void;
  options: WorkspaceOptions;
}): WorkspaceService {
  const { store, logger, options } = deps;
  const envPath = options.envPath ?? (() => process.env['PATH'] ?? '');
  const clusters = new WorkspaceClusters({
    store,
    clock: deps.clock,
    registerSecret: deps.registerSecret,
    envPath,
    // First called by the demo's registration or removal below, once `events` and
    // `connections` exist.
    onChange: (id) => {
      connections.changed(id, store.clusters.get(id) === undefined);
      events.changed();
    },
  });
  const events = new WorkspaceClusterEvents(() => clusters.list());
  const connections: Connections = new Connections({
    clusters,
    timers: systemTimers,
    envPath,
    ...(options.lingerMs === undefined ? {} : { lingerMs: options.lingerMs }),
    onError: (clusterId, error) =>
      logger.log('debug', 'workspace.connection_error', {
        clusterId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  });
  const demo =
    options.demoKubeconfig === undefined ? demoKubeconfigFromEnv() : options.demoKubeconfig;
  if (demo) {
    try {
      const cluster = clusters.ensureDemo(demo);
      logger.log('info', 'workspace.demo_registered', { clusterId: cluster.id, file: demo });
    } catch (error) {
      // The app starts without the demo rather than not at all.
      logger.log('warn', 'workspace.demo_failed', {
        file: demo,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  } else {
    for (const removed of clusters.removeDemos()) {
      logger.log('info', 'workspace.demo_removed', {
        clusterId: removed.id,
        name: removed.name,
        reason: 'this start has no demo (NODELESS_DEMO=0 or no NODELESS_DEMO_KUBECONFIG)',
      });
    }
  }
  return new WorkspaceService({
    clusters,
    connections,
    events,
    timers: systemTimers,
    registerSecret: deps.registerSecret,
  });
}
