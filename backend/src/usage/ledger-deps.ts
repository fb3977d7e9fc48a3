/** What the ledger's sync and the totals' import share: the ConfigMap kind and their deps. */
import type { UsageTables } from '../store/store.ts';

export const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' } as const;

export interface LedgerSyncDeps {
  tables: UsageTables;
  /** Runs `fn` in one SQLite transaction. */
  transaction: <T>(fn: () => T) => T;
  clock: () => Date;
}
