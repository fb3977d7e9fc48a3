/**
 * Opens the SQLite store: WAL journal, foreign keys enforced, `synchronous=FULL`, then applies
 * pending migrations.
 *
 * Why FULL and not NORMAL: in WAL mode NORMAL already survives a killed process, but a commit
 * acknowledged to the user could still vanish on power loss. Inventory writes are rare, so the
 * extra fsync per commit costs nothing noticeable and "acknowledged = on disk" holds. Bulk
 * writes (the ledger's sync: a million records in a hundred transactions) may commit a batch
 * without that fsync through {@link transactionOf}'s `durable: false`, as long as a durable
 * commit follows before anything is acknowledged: that commit syncs the whole WAL file, the
 * batches before it included. WAL stays consistent under NORMAL; only durability waits.
 *
 * `cache_size`: 32 MiB instead of SQLite's 2 MiB default, so a bulk insert into the usage
 * tables (three B-trees of a few hundred MiB) keeps their right edges in memory instead of
 * re-reading pages from the WAL (bench:metering).
 *
 * @see https://www.sqlite.org/wal.html
 * @see https://www.sqlite.org/pragma.html#pragma_synchronous — "WAL mode is always consistent
 *   with synchronous=NORMAL"; FULL syncs the WAL after each commit
 * @see https://www.sqlite.org/pragma.html#pragma_cache_size
 * @see https://www.sqlite.org/pragma.html#pragma_wal_autocheckpoint
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, type Migration } from './migrate.ts';
import { migrations as allMigrations } from './migrations/index.ts';

/** How long a statement waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** Page cache per connection, in KiB (negative: KiB, not pages, to SQLite). */
const CACHE_KIB = 32 * 1024;
/** SQLite's default: a commit that leaves the WAL over 1,000 pages checkpoints it. */
const CHECKPOINT_PAGES = 1000;
/**
 * For non-durable batches: a batch of 10,000 records is ~1,000 pages of WAL, so the default
 * checkpointed (two fsyncs: WAL, then database) after every batch; 16,384 pages (64 MiB) lets
 * a dozen batches share one, and the durable commit that follows checkpoints the rest.
 */
const BULK_CHECKPOINT_PAGES = 16_384;

export interface TransactionOptions {
  /**
   * false: commit without syncing the WAL (synchronous=NORMAL for this transaction only) and
   * without checkpointing a WAL under 64 MiB. For batches of a bulk write whose last
   * transaction is durable (the default), which then syncs and checkpoints them too. Nested
   * calls are savepoints and keep the outer transaction's setting.
   */
  durable?: boolean;
}

/** Runs `fn` in one transaction of `db` (nested calls become savepoints). */
export type Transaction = <T>(fn: () => T, options?: TransactionOptions) => T;

/** The transaction runner of a database opened by {@link openDatabase}. */
export function transactionOf(db: Database.Database): Transaction {
  return <T>(fn: () => T, options: TransactionOptions = {}): T => {
    if (options.durable !== false || db.inTransaction) return db.transaction(fn)();
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${String(BULK_CHECKPOINT_PAGES)}`);
    try {
      return db.transaction(fn)();
    } finally {
      db.pragma('synchronous = FULL');
      db.pragma(`wal_autocheckpoint = ${String(CHECKPOINT_PAGES)}`);
    }
  };
}

export interface OpenDatabaseOptions {
  /** Defaults to every migration of this build. */
  migrations?: readonly Migration[];
  clock?: () => Date;
  /**
   * Path of a better-sqlite3 `.node` file to load instead of the one in node_modules (the
   * desktop shell's Electron-ABI build). Undefined = Node's build.
   */
  nativeBinding?: string | undefined;
}

/** Opens (creating when missing) and migrates the database file at `file`. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const onDisk = file !== ':memory:' && file !== '';
  // The database holds ciphertext and host keys: create it 0600 (and tighten an older file)
  // before SQLite opens it. SQLite gives -wal/-shm the mode of the main file.
  if (onDisk) restrictFile(file, true);
  const db =
    options.nativeBinding === undefined
      ? new Database(file)
      : new Database(file, { nativeBinding: options.nativeBinding });
  try {
    // First: the app and the CLI share this file, and switching a new file to WAL or
    // migrating an old one takes a lock another process may hold for a moment.
    db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`cache_size = -${String(CACHE_KIB)}`);
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? allMigrations, options.clock);
    if (onDisk) for (const suffix of ['-wal', '-shm']) restrictFile(`${file}${suffix}`, false);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Makes `file` owner-only (0600); creates it empty when `create` and it is missing. */
function restrictFile(file: string, create: boolean): void {
  if (create) fs.closeSync(fs.openSync(file, 'a', 0o600));
  try {
    fs.chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
