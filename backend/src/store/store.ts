/**
 * The store: one SQLite database plus one data-access module per concern, and the rules that
 * keep one data directory safe for the app and the CLI at once (run ownership, see
 * `run-leases.ts`). Deleting a cluster or a host is refused while the cluster has a run in
 * flight (whichever process runs it), and deleting a cluster deletes its install record's
 * (or its import's) kubeconfig secret with it: these live here, under the delete's own transaction, so no
 * caller can forget them and no other process can slip a run in between.
 */
import type { KnownHostsStore } from '@nodeless/host-bootstrap';
import type Database from 'better-sqlite3';
import type { SecretBox } from '../secrets/secret-box.ts';
import { clusterImportsTable, type ClusterImportsTable } from './cluster-imports.ts';
import { clusterInstallsTable, type ClusterInstallsTable } from './cluster-installs.ts';
import { clustersTable, type ClustersTable } from './clusters.ts';
import { openDatabase, transactionOf, type Transaction } from './database.ts';
import { hostChecksTable, type HostChecksTable } from './host-checks.ts';
import { hostsTable, type HostsTable } from './hosts.ts';
import { processOwner, processProbe } from './process-probe.ts';
import { runLeases, type RunLeases } from './run-leases.ts';
import { STALE_MS, type ProcessProbe, type RunOwner } from './run-owner.ts';
import { knownHostKeysTable } from './known-host-keys.ts';
import { runLogsTable, type RunLogsTable } from './run-logs.ts';
import { runStepsTable, type RunStepsTable } from './run-steps.ts';
import { runsTable, type RunsTable } from './runs.ts';
import { secretsTable, type SecretsTable } from './secrets.ts';
import { usageCapacityTable, type UsageCapacityTable } from './usage-capacity.ts';
import { usageDailyTotalsTable, type UsageDailyTotalsTable } from './usage-daily-totals.ts';
import { usagePricesTable, type UsagePricesTable } from './usage-prices.ts';
import { usageRecordsTable, type UsageRecordsTable } from './usage-records.ts';
import { usageRollupTable, type UsageRollupTable } from './usage-rollup.ts';
import { usageSyncTable, type UsageSyncTable } from './usage-sync.ts';

/** Metering (issue 15): the synced ledger, its cursor, prices, compacted totals, capacity. */
export interface UsageTables {
  readonly records: UsageRecordsTable;
  readonly rollup: UsageRollupTable;
  readonly sync: UsageSyncTable;
  readonly prices: UsagePricesTable;
  readonly totals: UsageDailyTotalsTable;
  readonly capacity: UsageCapacityTable;
}

/** The usage tables of a database (the store's, or a bench's own). */
export function usageTables(db: Database.Database): UsageTables {
  return {
    records: usageRecordsTable(db),
    rollup: usageRollupTable(db),
    sync: usageSyncTable(db),
    prices: usagePricesTable(db),
    totals: usageDailyTotalsTable(db),
    capacity: usageCapacityTable(db),
  };
}

export interface Store {
  readonly db: Database.Database;
  readonly clusters: ClustersTable;
  readonly hosts: HostsTable;
  readonly secrets: SecretsTable;
  /** Host keys the user accepted (shared by the app and the `nodeless` CLI). */
  readonly knownHostKeys: KnownHostsStore;
  readonly hostChecks: HostChecksTable;
  /** The bootstrap journal (runs, their steps' last states, their redacted logs). */
  readonly runs: RunsTable;
  readonly runSteps: RunStepsTable;
  readonly runLogs: RunLogsTable;
  readonly clusterInstalls: ClusterInstallsTable;
  /** Clusters imported from a kubeconfig, and the demo (kubeconfig in `secrets`). */
  readonly clusterImports: ClusterImportsTable;
  /** Who runs which run, across the processes sharing this database. */
  readonly leases: RunLeases;
  readonly usage: UsageTables;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction: Transaction;
  close(): void;
}

export interface OpenStoreOptions {
  file: string;
  box: SecretBox;
  onSecret: (plain: string) => void;
  clock: () => Date;
  /** better-sqlite3 native build to load (see {@link OpenDatabaseOptions.nativeBinding}). */
  nativeBinding?: string | undefined;
  /** This process as the owner of the runs it starts; default: the app, this process. */
  owner?: RunOwner;
  /** Default: the OS (pid liveness and start times). */
  probe?: ProcessProbe;
  /** Lease of an owner the OS cannot vouch for (ms); default {@link STALE_MS}. */
  staleMs?: number;
}

const DELETE_REFUSED = 'The cluster and its hosts cannot be deleted while it runs.';

export function openStore(options: OpenStoreOptions): Store {
  const db = openDatabase(options.file, {
    clock: options.clock,
    nativeBinding: options.nativeBinding,
  });
  const runs = runsTable(db);
  const runSteps = runStepsTable(db);
  const secrets = secretsTable(db, options);
  const clusterInstalls = clusterInstallsTable(db);
  const clusterImports = clusterImportsTable(db);
  const leases = runLeases({
    db,
    runs,
    runSteps,
    clock: options.clock,
    policy: {
      self: options.owner ?? processOwner('app'),
      probe: options.probe ?? processProbe(),
      staleMs: options.staleMs ?? STALE_MS,
    },
  });
  const transaction = transactionOf(db);
  const clusters = clustersTable(db);
  const hosts = hostsTable(db);
  return {
    db,
    clusters: {
      ...clusters,
      delete: (id) =>
        transaction(() => {
          leases.assertIdle(id, DELETE_REFUSED);
          const install = clusterInstalls.get(id);
          clusterInstalls.delete(id);
          if (install?.kubeconfig_secret_id) secrets.delete(install.kubeconfig_secret_id);
          const imported = clusterImports.get(id);
          clusterImports.delete(id);
          if (imported) secrets.delete(imported.kubeconfig_secret_id);
          clusters.delete(id);
        }),
    },
    hosts: {
      ...hosts,
      delete: (id) =>
        transaction(() => {
          const host = hosts.get(id);
          if (host) leases.assertIdle(host.cluster_id, DELETE_REFUSED);
          hosts.delete(id);
        }),
    },
    secrets,
    knownHostKeys: knownHostKeysTable(db),
    hostChecks: hostChecksTable(db),
    runs,
    runSteps,
    runLogs: runLogsTable(db),
    clusterInstalls,
    clusterImports,
    leases,
    usage: usageTables(db),
    transaction,
    close() {
      if (!db.open) return;
      // Fold the WAL back into the main file so a closed store is a single self-contained file.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
