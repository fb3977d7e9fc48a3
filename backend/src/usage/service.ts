/**
 * `usage.*` behind the API (and the CLI's `usage`): the ledger's sync, the bill's queries and
 * the price settings of one cluster, over the store's usage tables. Reaching the cluster is
 * injected (`withClient`): the backend passes the workspace's shared connection, the CLI a
 * client of the cluster's admin kubeconfig — both then run the same sync and the same queries,
 * so the screen and the CLI show the same numbers.
 *
 * One sync per cluster at a time: a sync asked while one runs gets that one's answer.
 *
 * @see ./sync.ts
 * @see ./capacity-import.ts
 * @see ./bill.ts
 * @see ./idle.ts
 */
import {
  LEDGER_NAMESPACE,
  METER_LEASE_NAME,
  NODE,
  nodeRow,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { rfc3339 } from '@nodeless/common';
import type { Transaction } from '../store/database.ts';
import type { UsageTables } from '../store/store.ts';
import { usagePod, usageSeries, usageTable, podSums } from './bill.ts';
import { importCapacity } from './capacity-import.ts';
import { usageIdle } from './idle.ts';
import type {
  PriceSettings,
  PriceSettingsInput,
  UsageCsv,
  UsageIdle,
  UsagePodBill,
  UsageRangeInput,
  UsageSeries,
  UsageSeriesInput,
  UsageStatus,
  UsageSyncResult,
  UsageTable,
  UsageTableInput,
} from './contract.ts';
import { csvFilename, tableCsv } from './csv.ts';
import { pricesOf, pricesRow, settingsOf } from './prices.ts';
import { rangeOf } from './range.ts';
import { rerate } from './rating.ts';
import { syncLedger, type LedgerSyncOptions } from './sync.ts';

type Lease = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
};
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

export interface UsageServiceOptions {
  tables: UsageTables;
  transaction: Transaction;
  clock: () => Date;
  /** Runs `fn` with a client of the cluster (errors become the caller's API errors). */
  withClient<T>(clusterId: string, fn: (client: KubeClient) => Promise<T>): Promise<T>;
  /** The cluster's name (CSV file names); throws NotFoundError for an unknown id. */
  clusterName(clusterId: string): string;
  /** Whether the meter can be installed from the UI (the meter install's answer). */
  installable?: (clusterId: string) => boolean;
  sync?: LedgerSyncOptions;
}

export class UsageService {
  readonly #o: UsageServiceOptions;
  readonly #syncing = new Map<string, Promise<UsageSyncResult>>();

  constructor(options: UsageServiceOptions) {
    this.#o = options;
  }

  #prices(clusterId: string) {
    return pricesOf(this.#o.tables.prices.get(clusterId));
  }

  /** Syncs the ledger now (or joins the sync running); records a failure for the status. */
  sync(clusterId: string, signal?: AbortSignal): Promise<UsageSyncResult> {
    this.#o.clusterName(clusterId);
    const running = this.#syncing.get(clusterId);
    if (running) return running;
    const o = this.#o;
    const run = (async () => {
      try {
        const outcome = await o.withClient(clusterId, async (client) => {
          const synced = await syncLedger(client, clusterId, this.#prices(clusterId), o, {
            ...o.sync,
            ...(signal ? { signal } : {}),
          });
          // The hours the app was closed get the meter's capacity (idle needs it). A failure
          // here loses no record: the sync stands and the status says what is missing.
          const capacityError = await importCapacity(client, clusterId, o.tables.capacity, signal)
            .then(() => undefined)
            .catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
          return { ...synced, capacityError };
        });
        if (outcome.capacityError !== undefined) {
          o.tables.sync.failed(
            clusterId,
            o.clock().toISOString(),
            `the meter's pool capacity per hour could not be read: ${outcome.capacityError}`,
          );
        }
        if (outcome.badTotals.length > 0) {
          o.tables.sync.failed(
            clusterId,
            o.clock().toISOString(),
            `daily totals ${outcome.badTotals.join(', ')} could not be read and are left out`,
          );
        }
        return { read: outcome.read, added: outcome.added, cursor: outcome.cursor };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        o.tables.sync.failed(clusterId, o.clock().toISOString(), message);
        throw error;
      } finally {
        this.#syncing.delete(clusterId);
      }
    })();
    this.#syncing.set(clusterId, run);
    return run;
  }

  async status(clusterId: string, signal?: AbortSignal): Promise<UsageStatus> {
    this.#o.clusterName(clusterId);
    let meter: UsageStatus['meter'];
    try {
      const lease = await this.#o.withClient(clusterId, (client) =>
        client.get<Lease>(LEASE, METER_LEASE_NAME, LEDGER_NAMESPACE, signal),
      );
      meter = meterState(lease, this.#o.clock().getTime());
    } catch {
      // Unreachable or not allowed to read the Lease: what the meter does is unknown.
      meter = { state: 'stale' };
    }
    const sync = this.#o.tables.sync.get(clusterId);
    const history = this.#o.tables.records.history(clusterId);
    return {
      meter,
      installable: this.#o.installable?.(clusterId) ?? false,
      ...(sync?.synced_at
        ? {
            lastSync: {
              at: sync.synced_at,
              records: sync.synced_records,
              cursor: `${sync.cursor_seq}:${sync.cursor_offset}`,
            },
          }
        : {}),
      ...(sync?.error ? { syncError: sync.error } : {}),
      ...(history ? { history: { from: rfc3339(history.from), to: rfc3339(history.to) } } : {}),
      prices: settingsOf(this.#o.tables.prices.get(clusterId)),
    };
  }

  table(input: UsageTableInput): UsageTable {
    this.#o.clusterName(input.clusterId);
    return usageTable(
      this.#o.tables,
      input.clusterId,
      rangeOf(input),
      input,
      this.#prices(input.clusterId),
    );
  }

  series(input: UsageSeriesInput): UsageSeries {
    this.#o.clusterName(input.clusterId);
    return usageSeries(
      this.#o.tables,
      input.clusterId,
      rangeOf(input),
      input,
      this.#prices(input.clusterId),
    );
  }

  idle(input: UsageRangeInput): UsageIdle {
    this.#o.clusterName(input.clusterId);
    const now = Math.floor(this.#o.clock().getTime() / 1000);
    return usageIdle(
      this.#o.tables,
      input.clusterId,
      rangeOf(input),
      this.#prices(input.clusterId),
      now,
    );
  }

  pod(input: { clusterId: string; uid: string }): UsagePodBill {
    this.#o.clusterName(input.clusterId);
    return usagePod(this.#o.tables, input.clusterId, input.uid, this.#prices(input.clusterId));
  }

  csv(input: UsageTableInput): UsageCsv {
    const name = this.#o.clusterName(input.clusterId);
    const range = rangeOf(input);
    const table = this.table(input);
    const pods =
      input.by === 'pod'
        ? new Map(podSums(this.#o.tables, input.clusterId, range, input).map((p) => [p.uid, p]))
        : undefined;
    return {
      filename: csvFilename(name, input.by, range.from, range.to),
      text: tableCsv(input.by, table, pods),
    };
  }

  pricesGet(clusterId: string): PriceSettings {
    this.#o.clusterName(clusterId);
    return settingsOf(this.#o.tables.prices.get(clusterId));
  }

  /** Validates, saves and re-rates every record of the cluster at the new prices. */
  async pricesSet(input: PriceSettingsInput, signal?: AbortSignal): Promise<PriceSettings> {
    this.#o.clusterName(input.clusterId);
    const machines =
      input.mode === 'derived'
        ? await this.#o.withClient(input.clusterId, async (client) =>
            (await client.list(NODE, signal ? { signal } : {})).items.map((n) =>
              nodeRow(n as Parameters<typeof nodeRow>[0]),
            ),
          )
        : [];
    const row = pricesRow(input, machines, this.#o.clock());
    this.#o.transaction(() => {
      this.#o.tables.prices.put(row);
      rerate(this.#o.tables, this.#o.transaction, input.clusterId, pricesOf(row));
    });
    return settingsOf(row);
  }
}

/** Running while the Lease is renewed within its duration; stale after; absent without one. */
export function meterState(lease: Lease | undefined, nowMs: number): UsageStatus['meter'] {
  if (!lease) return { state: 'absent' };
  const holder = lease.spec?.holderIdentity;
  const renewed = lease.spec?.renewTime;
  const duration = lease.spec?.leaseDurationSeconds ?? 15;
  const at = renewed === undefined ? Number.NaN : Date.parse(renewed);
  if (holder && Number.isFinite(at) && nowMs - at <= duration * 1000) {
    return { state: 'running', holder, renewedAt: new Date(at).toISOString() };
  }
  return {
    state: 'stale',
    ...(holder ? { holder } : {}),
    ...(Number.isFinite(at) ? { renewedAt: new Date(at).toISOString() } : {}),
  };
}
