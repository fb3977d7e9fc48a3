/**
 * Metering's background work while the backend runs: every minute, for each cluster with an
 * open connection (someone has it open in a window, or it lingers), a pool capacity sample
 * for the current UTC hour (idle = capacity − billed specs needs it; the ledger does not carry
 * it — the meter samples it too while it leads, and the sync imports those hours for the time
 * the app was closed: ./capacity-import.ts) and a ledger sync. Clusters nobody opened are not
 * contacted: their ledger waits in the cluster (nothing is lost) until they are opened or
 * `usage.sync` / the CLI asks.
 */
import { capacityHourOf, poolCapacity, type CacheTimers } from '@nodeless/cluster-runtime';
import type { Connection } from '../clusters/connection.ts';
import type { WorkspaceService } from '../clusters/workspace-service.ts';
import type { Logger } from '../log/logger.ts';
import type { UsageCapacityTable } from '../store/usage-capacity.ts';
import type { UsageService } from './service.ts';

export const BACKGROUND_INTERVAL_MS = 60_000;

export interface UsageBackgroundOptions {
  workspace: Pick<WorkspaceService, 'list' | 'openConnection'>;
  usage: Pick<UsageService, 'sync'>;
  capacity: UsageCapacityTable;
  timers: Pick<CacheTimers, 'now' | 'setTimeout' | 'clearTimeout'>;
  logger: Logger;
  intervalMs?: number;
}

/** Samples the pool of a connection whose nodes are listed; false when they are not yet. */
export function sampleCapacity(
  connection: Pick<Connection, 'clusterId' | 'nodes'>,
  capacity: UsageCapacityTable,
  nowMs: number,
): boolean {
  if (!connection.nodes.synced) return false;
  // The meter samples with the same function while it leads (capacity-import.ts merges both).
  const { cpuMilli, memoryBytes } = poolCapacity(connection.nodes.rows().values());
  capacity.sample(connection.clusterId, capacityHourOf(nowMs), cpuMilli, memoryBytes);
  return true;
}

export class UsageBackground {
  readonly #o: UsageBackgroundOptions;
  #timer: unknown;
  #stopped = false;

  constructor(options: UsageBackgroundOptions) {
    this.#o = options;
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One round (exposed for tests): samples and syncs every open cluster. */
  async tick(): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const cluster of this.#o.workspace.list()) {
      const connection = this.#o.workspace.openConnection(cluster.id);
      if (!connection) continue;
      try {
        sampleCapacity(connection, this.#o.capacity, this.#o.timers.now());
      } catch (error) {
        this.#log('usage.capacity_failed', cluster.id, error);
      }
      work.push(
        this.#o.usage.sync(cluster.id).catch((error: unknown) => {
          this.#log('usage.sync_failed', cluster.id, error);
        }),
      );
    }
    await Promise.all(work);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = undefined;
      void this.tick().finally(() => this.#schedule());
    }, this.#o.intervalMs ?? BACKGROUND_INTERVAL_MS);
  }

  #log(event: string, clusterId: string, error: unknown): void {
    this.#o.logger.log('warn', event, {
      clusterId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}
