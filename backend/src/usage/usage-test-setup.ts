/**
 * Shared setup of the usage units: a real SQLite database (migrated, in a temp dir) with one
 * cluster, a UsageService over it, and the cluster's ledger objects behind a fake client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../store/database.ts';
import { usageTables, type UsageTables } from '../store/store.ts';
import { fakeLedgerClient, MemoryLedgerObjects } from './ledger-fixture.ts';
import { UsageService } from './service.ts';
import type { LedgerSyncOptions } from './sync.ts';

export interface UsageFixture {
  dir: string;
  db: Database.Database;
  tables: UsageTables;
  objects: MemoryLedgerObjects;
  service: UsageService;
  clusterId: string;
  /** Settable clock (ms). */
  now: { ms: number };
  close(): void;
}

export function usageFixture(
  nowIso = '2026-12-02T12:00:00Z',
  options: { sync?: LedgerSyncOptions } = {},
): UsageFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-usage-'));
  const db = openDatabase(path.join(dir, 'nodeless.db'));
  const clusterId = 'c1';
  db.prepare('INSERT INTO clusters (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
    clusterId,
    'lab',
    nowIso,
    nowIso,
  );
  const tables = usageTables(db);
  const objects = new MemoryLedgerObjects();
  const now = { ms: Date.parse(nowIso) };
  const transaction = <T>(fn: () => T): T => db.transaction(fn)();
  const service = new UsageService({
    tables,
    transaction,
    clock: () => new Date(now.ms),
    ...(options.sync ? { sync: options.sync } : {}),
    withClient: (_id, fn) => fn(fakeLedgerClient(objects)),
    clusterName: (id) => {
      if (id !== clusterId) throw new Error(`unknown cluster ${id}`);
      return 'lab';
    },
  });
  return {
    dir,
    db,
    tables,
    objects,
    service,
    clusterId,
    now,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
