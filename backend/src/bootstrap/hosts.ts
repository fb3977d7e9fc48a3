/**
 * Host handles for a bootstrap run: one SSH connection per host through the engine's pool,
 * trusted by the same rules as onboarding (the SQLite known-host store plus
 * ~/.ssh/known_hosts: an unknown or changed key stops that host), then root through
 * `establishPrivilege`. Secrets come decrypted in memory from the caller, already registered
 * with the log redactor.
 *
 * @see ../../../host-bootstrap/src/connect/pool.ts
 * @see ../../../host-bootstrap/src/privilege/run.ts — `establishPrivilege`
 */
import {
  ConnectionPool,
  establishPrivilege,
  openConnection,
  type ConnectDeps,
  type HostSpec,
  type TrustSources,
} from '@nodeless/host-bootstrap';
import type { BootstrapEngineOptions, HostHandle } from './engine.ts';

/** A host as a run sees it: inventory id (also the engine's host name), label, spec. */
export interface BootstrapHost {
  /** Inventory host id (the app) or the cluster file's host name (the CLI). */
  id: string;
  /** What people read: the address (and port when not 22). */
  label: string;
  address: string;
  role: 'server' | 'agent';
  /** Connect target and decrypted secrets (in memory only). */
  spec: HostSpec;
}

export interface HandleDeps {
  connect: ConnectDeps;
  trust: TrustSources;
  limits: BootstrapEngineOptions['connect'];
}

/** A host that could not be reached or trusted: the run fails on it with this. */
export interface HostOpenFailure {
  hostId: string;
  message: string;
  remedy?: string;
}

export interface OpenedHandles {
  handles: Map<string, HostHandle>;
  failures: HostOpenFailure[];
  close(): Promise<void>;
}

/** Opens handles to `hosts` in parallel; a host that fails is reported, not thrown. */
export async function openHandles(
  hosts: readonly BootstrapHost[],
  deps: HandleDeps,
): Promise<OpenedHandles> {
  const pool = new ConnectionPool();
  const handles = new Map<string, HostHandle>();
  const failures: HostOpenFailure[] = [];
  await Promise.all(
    hosts.map(async (h) => {
      try {
        const connection = await pool.get(h.id, () =>
          openConnection(
            h.spec.target,
            {
              trust: deps.trust,
              ...(h.spec.secrets ? { secrets: h.spec.secrets } : {}),
              ...(deps.limits?.timeouts ? { timeouts: deps.limits.timeouts } : {}),
              ...(deps.limits?.keepalive ? { keepalive: deps.limits.keepalive } : {}),
              ...(deps.limits?.retry ? { retry: deps.limits.retry } : {}),
            },
            deps.connect,
          ),
        );
        const runner = await establishPrivilege(
          connection,
          h.spec.sudoPassword === undefined ? {} : { sudoPassword: h.spec.sudoPassword },
        );
        handles.set(h.id, { name: h.id, address: h.address, runner, connection });
      } catch (error) {
        const remedy = (error as { remedy?: unknown }).remedy;
        failures.push({
          hostId: h.id,
          message: error instanceof Error ? error.message : String(error),
          ...(typeof remedy === 'string' ? { remedy } : {}),
        });
      }
    }),
  );
  return { handles, failures, close: () => pool.closeAll() };
}
