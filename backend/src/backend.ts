/**
 * `startBackend`: wires store, secrets, logging, the inventory service and the HTTP server.
 * Both shells call it — Electron (with a safeStorage box) and web mode (`serve.ts`).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import type { ApiContext } from './api/context.ts';
import { DATABASE_FILE, prepareDataDir } from './data-dir.ts';
import { startHttpServer } from './http/server.ts';
import type { BootstrapEngineOptions } from './bootstrap/engine.ts';
import { BootstrapEvents } from './bootstrap/events.ts';
import { inventoryHosts } from './bootstrap/inventory-hosts.ts';
import { BootstrapOperations } from './bootstrap/operations.ts';
import { BootstrapService } from './bootstrap/service.ts';
import { InventoryEvents } from './inventory/events.ts';
import { InventoryService } from './inventory/service.ts';
import { createFileLogger, redactingLogger, type Logger } from './log/logger.ts';
import { Redactor } from '@nodeless/common';
import { startWorkspace, systemTimers, type WorkspaceOptions } from './clusters/startup.ts';
import type { WorkspaceService } from './clusters/workspace-service.ts';
import { nodeOnboardingEngine, type NodeEngineOptions } from './onboarding/engine.ts';
import { OnboardingEvents } from './onboarding/events.ts';
import { OnboardingService } from './onboarding/service.ts';
import { openFileSecretBox, type SecretBox } from './secrets/secret-box.ts';
import { openStore } from './store/store.ts';
import { TenantsService } from './tenants/service.ts';
import { UsageBackground } from './usage/background.ts';
import { UsageService } from './usage/service.ts';
import { MeterService } from './meter/service.ts';

export interface BackendOptions {
  /** Holds the database, the web-mode key file and `logs/`. Created (0700) when missing, tightened to 0700 when ours. */
  dataDir: string;
  /** 0 or undefined = a free port. */
  port?: number;
  /** Built renderer (`renderer/dist`) served at `/`. */
  rendererDir?: string;
  /** Desktop passes a safeStorage adapter; default = AES-256-GCM with a key file. */
  secretBox?: SecretBox;
  /** Per-launch API token; default = 32 random bytes, base64url. */
  token?: string;
  /** Default = JSON lines in `<dataDir>/logs/backend.log`. Always wrapped by the redactor. */
  logger?: Logger;
  clock?: () => Date;
  /**
   * Path to a better-sqlite3 `.node` build, passed straight to `new Database(file, {
   * nativeBinding })`. The desktop shell passes its Electron-ABI build kept outside
   * node_modules, so Node's build (tests, web mode) and Electron's never overwrite each other.
   * Default: the build in node_modules (Node's ABI).
   * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#new-databasepath-options
   */
  nativeBinding?: string;
  /**
   * Where onboarding finds ~/.ssh (config, known_hosts, default keys), the agent socket, and
   * the check's limits. Default: the user's home and environment.
   */
  onboarding?: NodeEngineOptions;
  /** Limits of bootstrap runs (concurrency, waits, SSH limits); default: the engine's. */
  bootstrap?: BootstrapEngineOptions;
  /**
   * The cluster workspace: the demo kubeconfig (default: env `NODELESS_DEMO_KUBECONFIG`
   * unless `NODELESS_DEMO=0`), the PATH for exec plugins, connection linger.
   */
  workspace?: WorkspaceOptions;
  /**
   * `meter.*`: the meter image archive the app ships (named in the remedy for loading the image).
   */
  meter?: { imageArchive?: string };
}

export interface RunningBackend {
  /** `http://127.0.0.1:<port>` (no trailing slash, no token). */
  url: string;
  port: number;
  token: string;
  /** Ends subscriptions, stops the HTTP server, closes the store and the log. Idempotent. */
  close(): Promise<void>;
}

export { DATABASE_FILE };

/**
 * The bootstrap feed, also telling the workspace when a run finished: an install makes a
 * cluster connectable (its kubeconfig is stored), a reset makes it not.
 */
class WorkspaceNotifyingBootstrapEvents extends BootstrapEvents {
  readonly #workspace: Pick<WorkspaceService, 'clustersChanged'>;

  constructor(workspace: Pick<WorkspaceService, 'clustersChanged'>) {
    super();
    this.#workspace = workspace;
  }

  override publish(...[clusterId, event]: Parameters<BootstrapEvents['publish']>): void {
    super.publish(clusterId, event);
    if (event.type === 'run.finished') this.#workspace.clustersChanged();
  }
}
export const LOG_FILE = path.join('logs', 'backend.log');

/** Starts the backend; resolves once it accepts requests on 127.0.0.1. */
export async function startBackend(options: BackendOptions): Promise<RunningBackend> {
  const clock = options.clock ?? (() => new Date());
  const dataDir = path.resolve(options.dataDir);
  const dirAction = prepareDataDir(dataDir);
  const token = options.token ?? randomBytes(32).toString('base64url');

  const redactor = new Redactor();
  redactor.register(token);
  const logger = redactingLogger(
    options.logger ?? createFileLogger({ file: path.join(dataDir, LOG_FILE), clock }),
    redactor,
  );
  const box =
    options.secretBox ??
    openFileSecretBox({
      dataDir,
      onRepair: (message) => logger.log('warn', 'secrets.key_file_repaired', { message }),
    });

  let store: ReturnType<typeof openStore> | undefined;
  try {
    store = openStore({
      file: path.join(dataDir, DATABASE_FILE),
      box,
      onSecret: (plain) => redactor.register(plain),
      clock,
      nativeBinding: options.nativeBinding,
    });
    const shutdown = new AbortController();
    const onboarding = new OnboardingService({
      store,
      events: new OnboardingEvents(),
      engine: nodeOnboardingEngine(options.onboarding),
      clock,
      logger,
      registerSecret: (plain) => redactor.register(plain),
    });
    const engine = nodeOnboardingEngine(options.onboarding);
    const workspace = startWorkspace({
      store,
      clock,
      logger,
      registerSecret: (plain) => redactor.register(plain),
      options: options.workspace ?? {},
    });
    const bootstrap = new BootstrapService({
      store,
      events: new WorkspaceNotifyingBootstrapEvents(workspace),
      engine: {
        connectDeps: () => engine.connectDeps(),
        userKnownHosts: () => engine.userKnownHosts(),
        options: options.bootstrap ?? {},
      },
      clock,
      logger,
      redact: (text) => redactor.redact(text),
      registerSecret: (plain) => redactor.register(plain),
      hosts: inventoryHosts(store, (plain) => redactor.register(plain)),
      report: (clusterId) => onboarding.lastReport(clusterId),
    });
    const usage = new UsageService({
      tables: store.usage,
      transaction: store.transaction,
      clock,
      withClient: (clusterId, fn) =>
        workspace.withConnection(clusterId, (connection) => fn(connection.client())),
      clusterName: (clusterId) => workspace.get(clusterId).name,
    });
    const usageBackground = new UsageBackground({
      workspace,
      usage,
      capacity: store.usage.capacity,
      timers: systemTimers,
      logger,
    });
    usageBackground.start();
    const context: ApiContext = {
      inventory: new InventoryService({
        store,
        events: new InventoryEvents(),
        clock,
        // A deleted cluster (any source) closes its connection and ends its subscriptions; a
        // rename renames it in the workspace's list.
        onChange: (event) =>
          event.type === 'cluster.deleted'
            ? workspace.forget(event.id)
            : workspace.clustersChanged(),
      }),
      onboarding,
      bootstrap: new BootstrapOperations(bootstrap, (plain) => redactor.register(plain)),
      workspace,
      tenants: new TenantsService({
        credentials: (clusterId) => workspace.adminKubeconfig(clusterId),
        clusterName: (clusterId) => workspace.get(clusterId).name,
        registerSecret: (plain) => redactor.register(plain),
        homeDir: os.homedir(),
      }),
      meter: new MeterService({
        source: (clusterId) => workspace.get(clusterId).source,
        withClient: (clusterId, fn) =>
          workspace.withConnection(clusterId, (connection) => fn(connection.client())),
        imageArchive: () => options.meter?.imageArchive,
      }),
      usage,
      logger,
      version: pkg.version,
      secretStore: box.kind,
      clock,
      shutdown: shutdown.signal,
    };
    const http = await startHttpServer({
      token,
      rendererDir:
        options.rendererDir === undefined ? undefined : path.resolve(options.rendererDir),
      context,
      logger,
      port: options.port,
    });
    const url = `http://127.0.0.1:${http.port}`;
    logger.log('info', 'backend.started', { url, dataDir, dirAction, secretStore: box.kind });

    const openStoreRef = store;
    let closing: Promise<void> | undefined;
    return {
      url,
      port: http.port,
      token,
      close: () =>
        (closing ??= (async () => {
          shutdown.abort();
          usageBackground.stop();
          await http.close();
          workspace.close();
          await onboarding.close();
          await bootstrap.close();
          openStoreRef.close();
          logger.log('info', 'backend.stopped', {});
          logger.close?.();
        })()),
    };
  } catch (error) {
    store?.close();
    logger.log('error', 'backend.start_failed', { error: String(error) });
    logger.close?.();
    throw error;
  }
}
