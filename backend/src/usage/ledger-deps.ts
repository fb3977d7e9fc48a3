/** What the ledger's sync and the totals' import share: the ConfigMap kind and their deps. */
import type { Transaction } from '../store/database.ts';
import type { UsageTables } from '../store/store.ts';

export const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' } as const;

export interface LedgerSyncDeps {
  tables: UsageTables;
  /**
   * Runs `fn` in one SQLite transaction; `durable: false` skips the commit's fsync (the
   * sync's batches: its last transaction is durable, before the ack).
   */
  transaction: Transaction;
  clock: () => Date;
}
