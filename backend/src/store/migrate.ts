/**
 * Forward-only schema migrations. Each migration runs in its own transaction together with
 * the bookkeeping (`schema_migrations` row + `PRAGMA user_version`), so a crash leaves the
 * database at exactly one version. A database written by newer code is refused rather than
 * guessed at.
 *
 * The app and the `nodeless` CLI share one database, so two processes may open an old file
 * at the same moment. Each migration therefore runs under `BEGIN IMMEDIATE` (the write lock
 * is taken before anything is read) and re-reads the version inside it: the second process
 * waits for the first (busy timeout), then finds the migration applied and skips it.
 *
 * @see https://www.sqlite.org/lang_transaction.html — DEFERRED vs IMMEDIATE
 *
 * @see https://www.sqlite.org/pragma.html#pragma_user_version
 * @see https://github.com/signalapp/Signal-Desktop/tree/main/ts/sql/migrations (same idea)
 */
import type Database from 'better-sqlite3';

/** One numbered step of the schema. Versions start at 1 and have no gaps. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** The database was written by a newer Nodeless; opening it could corrupt it. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The database is at schema version ${found}, but this Nodeless only knows up to ` +
        `${supported}. Update Nodeless, or point it at another data directory.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** Reads `PRAGMA user_version`. */
export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings `db` to the latest version in `migrations`. Returns the versions applied (empty when
 * already current). `clock` stamps `schema_migrations.applied_at`.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  clock: () => Date = () => new Date(),
): number[] {
  checkSequence(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    const ran = db
      .transaction(() => {
        // Another process may have migrated while this one waited for the lock.
        if (schemaVersion(db) >= migration.version) return false;
        db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at TEXT NOT NULL
        ) STRICT`);
        migration.up(db);
        db.prepare(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        ).run(migration.version, migration.name, clock().toISOString());
        // Integer literal only: PRAGMA does not take bound parameters.
        db.pragma(`user_version = ${String(migration.version)}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    if (!Number.isInteger(m.version) || m.version !== index + 1) {
      throw new Error(`Migration "${m.name}" has version ${m.version}; expected ${index + 1}.`);
    }
  });
}
