/**
 * The store: one SQLite database plus one data-access module per concern.
 */
import type { KnownHostsStore } from '@nodeless/host-bootstrap';
import type Database from 'better-sqlite3';
import type { SecretBox } from '../secrets/secret-box.ts';
import { clusterInstallsTable, type ClusterInstallsTable } from './cluster-installs.ts';
import { clustersTable, type ClustersTable } from './clusters.ts';
import { openDatabase } from './database.ts';
import { hostChecksTable, type HostChecksTable } from './host-checks.ts';
import { hostsTable, type HostsTable } from './hosts.ts';
import { knownHostKeysTable } from './known-host-keys.ts';
import { runLogsTable, type RunLogsTable } from './run-logs.ts';
import { runStepsTable, type RunStepsTable } from './run-steps.ts';
import { runsTable, type RunsTable } from './runs.ts';
import { secretsTable, type SecretsTable } from './secrets.ts';

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
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  file: string;
  box: SecretBox;
  onSecret: (plain: string) => void;
  clock: () => Date;
  /** better-sqlite3 native build to load (see {@link OpenDatabaseOptions.nativeBinding}). */
  nativeBinding?: string | undefined;
}

export function openStore(options: OpenStoreOptions): Store {
  const db = openDatabase(options.file, {
    clock: options.clock,
    nativeBinding: options.nativeBinding,
  });
  return {
    db,
    clusters: clustersTable(db),
    hosts: hostsTable(db),
    secrets: secretsTable(db, options),
    knownHostKeys: knownHostKeysTable(db),
    hostChecks: hostChecksTable(db),
    runs: runsTable(db),
    runSteps: runStepsTable(db),
    runLogs: runLogsTable(db),
    clusterInstalls: clusterInstallsTable(db),
    transaction: (fn) => db.transaction(fn)(),
    close() {
      if (!db.open) return;
      // Fold the WAL back into the main file so a closed store is a single self-contained file.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
