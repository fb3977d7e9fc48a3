/**
 * Opens the SQLite store: WAL journal, foreign keys enforced, `synchronous=FULL`, then applies
 * pending migrations.
 *
 * Why FULL and not NORMAL: in WAL mode NORMAL already survives a killed process, but a commit
 * acknowledged to the user could still vanish on power loss. Inventory writes are rare, so the
 * extra fsync per commit costs nothing noticeable and "acknowledged = on disk" holds.
 *
 * @see https://www.sqlite.org/wal.html
 * @see https://www.sqlite.org/pragma.html#pragma_synchronous
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, type Migration } from './migrate.ts';
import { migrations as allMigrations } from './migrations/index.ts';

/** How long a statement waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

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
