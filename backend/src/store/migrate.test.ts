import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, transactionOf } from './database.ts';
import { DatabaseTooNewError, migrate, schemaVersion, type Migration } from './migrate.ts';
import { migrations } from './migrations/index.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-migrate-'));
  file = path.join(dir, 'nodeless.db');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const latest = migrations.at(-1)?.version ?? 0;
const tables = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((r) => r.name);
const recorded = (db: Database.Database) =>
  db
    .prepare<[], { version: number; name: string; applied_at: string }>(
      'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
    )
    .all();

describe('migrations', () => {
  it('bring a fresh database to the latest version with every table and the pragmas', () => {
    const db = openDatabase(file, { clock: () => new Date('2030-01-02T03:04:05Z') });
    try {
      expect(latest).toBeGreaterThanOrEqual(1);
      expect(schemaVersion(db)).toBe(latest);
      expect(tables(db)).toEqual(
        expect.arrayContaining([
          'clusters',
          'hosts',
          'secrets',
          'settings',
          'known_host_keys',
          'schema_migrations',
        ]),
      );
      expect(recorded(db)).toEqual(
        migrations.map((m) => ({
          version: m.version,
          name: m.name,
          applied_at: '2030-01-02T03:04:05.000Z',
        })),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // 2 = FULL: an acknowledged commit is on disk, not just in the OS cache.
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  it('a transaction with durable: false commits under NORMAL with checkpoints deferred and restores FULL; nested ones keep the outer setting', () => {
    const db = openDatabase(file);
    try {
      const transaction = transactionOf(db);
      const seen: number[] = [];
      const level = () =>
        (db.pragma('synchronous', { simple: true }) as number) * 100_000 +
        (db.pragma('wal_autocheckpoint', { simple: true }) as number);
      transaction(
        () => {
          seen.push(level());
          db.prepare(
            "INSERT INTO clusters (id, name, created_at, updated_at) VALUES ('c1', 'a', 'x', 'x')",
          ).run();
          transaction(() => seen.push(level()));
        },
        { durable: false },
      );
      transaction(() => seen.push(level()));
      // 1 = NORMAL and a 16,384-page checkpoint threshold inside the batch and its savepoint,
      // then 2 = FULL and SQLite's default of 1,000 pages again.
      expect(seen).toEqual([116_384, 116_384, 201_000]);
      expect(level()).toBe(201_000);
      expect(() =>
        transaction(
          () => {
            throw new Error('boom');
          },
          { durable: false },
        ),
      ).toThrow('boom');
      expect(level()).toBe(201_000);
      expect(db.prepare('SELECT COUNT(*) AS n FROM clusters').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('re-opening a current database applies nothing and keeps the data', () => {
    const first = openDatabase(file);
    first
      .prepare(
        "INSERT INTO clusters (id, name, created_at, updated_at) VALUES ('c1', 'a', 'x', 'x')",
      )
      .run();
    const before = recorded(first);
    first.close();

    const db = openDatabase(file, { clock: () => new Date('2099-01-01T00:00:00Z') });
    try {
      expect(migrate(db, migrations)).toEqual([]);
      expect(recorded(db)).toEqual(before);
      expect(db.prepare('SELECT name FROM clusters').pluck().all()).toEqual(['a']);
    } finally {
      db.close();
    }
  });

  it('applies only the pending migrations, each recorded', () => {
    const db = new Database(file);
    try {
      const extra: Migration = {
        version: latest + 1,
        name: 'extra',
        up: (d) => d.exec('CREATE TABLE extra (x INTEGER) STRICT'),
      };
      expect(migrate(db, migrations)).toEqual(migrations.map((m) => m.version));
      expect(migrate(db, [...migrations, extra])).toEqual([latest + 1]);
      expect(schemaVersion(db)).toBe(latest + 1);
      expect(tables(db)).toContain('extra');
    } finally {
      db.close();
    }
  });

  it('a failing migration leaves the database at the previous version', () => {
    const db = new Database(file);
    try {
      migrate(db, migrations);
      const broken: Migration = {
        version: latest + 1,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      };
      expect(() => migrate(db, [...migrations, broken])).toThrow('boom');
      expect(schemaVersion(db)).toBe(latest);
      expect(tables(db)).not.toContain('half_done');
      expect(recorded(db)).toHaveLength(migrations.length);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer Nodeless and leaves it untouched', () => {
    const raw = new Database(file);
    raw.pragma(`user_version = ${String(latest + 5)}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer|only knows up to/);
    const check = new Database(file);
    try {
      expect(schemaVersion(check)).toBe(latest + 5);
      expect(tables(check)).not.toContain('clusters');
    } finally {
      check.close();
    }
  });

  it('004/005 on an old database: one running run per cluster, unreferenced secrets gone', () => {
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, migrations.slice(0, 3));
      db.exec(`
        INSERT INTO clusters VALUES ('c1', 'a', 'x', 'x');
        INSERT INTO secrets VALUES ('s-used', 'k', x'00', 'x'), ('s-orphan', 'k', x'00', 'x');
        INSERT INTO hosts (id, cluster_id, address, port, user, role, auth_kind, auth_secret_id,
                           sudo_kind, created_at, updated_at)
          VALUES ('h1', 'c1', '10.0.0.1', 22, 'u', 'server', 'password', 's-used', 'none', 'x', 'x');
        INSERT INTO runs (id, cluster_id, kind, spec, state, started_at)
          VALUES ('old', 'c1', 'install', '{}', 'running', '2030-01-01T00:00:00Z'),
                 ('new', 'c1', 'install', '{}', 'running', '2030-01-02T00:00:00Z');
      `);
      migrate(db, migrations);
      const runs = db.prepare('SELECT id, state, owner_instance FROM runs ORDER BY id').all() as {
        id: string;
        state: string;
        owner_instance: string | null;
      }[];
      expect(runs).toEqual([
        { id: 'new', state: 'running', owner_instance: null },
        { id: 'old', state: 'interrupted', owner_instance: null },
      ]);
      expect(db.prepare('SELECT id FROM secrets').pluck().all()).toEqual(['s-used']);
    } finally {
      db.close();
    }
  });

  it('008 on a 007 database: every record kept as it was, stored by hour, the pod index there', () => {
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, migrations.slice(0, 7));
      db.exec(`INSERT INTO clusters VALUES ('c1', 'a', 'x', 'x');`);
      const insert = db.prepare(
        `INSERT INTO usage_records (cluster_id, uid, segment, namespace, name, labels, cpu_milli,
           memory_bytes, pod_start, start_s, end_s, final, usage_cpu_milli_s, billed_seconds,
           cost_micros)
         VALUES ('c1', ?, ?, 'team', ?, '{"app":"a"}', 500, 1073741824, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const [uid, segment] of [
        ['b-uid', 491_001],
        ['a-uid', 491_002],
        ['b-uid', 491_000],
      ] as const) {
        const from = segment * 3600;
        insert.run(uid, segment, `pod-${uid}`, from, from, from + 3600, 0, null, 3600, 125);
      }
      const before = db.prepare('SELECT * FROM usage_records ORDER BY uid, segment').all();
      migrate(db, migrations);
      expect(db.prepare('SELECT * FROM usage_records ORDER BY uid, segment').all()).toEqual(before);
      // Keyed (cluster, segment, uid): a range of hours is a range of the key.
      const planOf = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
          .map((p) => p.detail)
          .join();
      expect(
        planOf(
          "SELECT namespace, cost_micros FROM usage_records WHERE cluster_id = 'c1' AND segment >= 491001 AND segment < 491003",
        ),
      ).toMatch(
        /SEARCH usage_records USING INDEX sqlite_autoindex_usage_records_1 \(cluster_id=\? AND segment>\? AND segment<\?\)/,
      );
      expect(
        planOf("SELECT segment FROM usage_records WHERE cluster_id = 'c1' AND uid = 'a-uid'"),
      ).toContain('COVERING INDEX usage_records_pod');
      // Still one row per key.
      expect(() =>
        insert.run('a-uid', 491_002, 'again', 0, 491_002 * 3600, 491_002 * 3600, 0, null, 0, 0),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('rejects a migration list with gaps', () => {
    const db = new Database(':memory:');
    try {
      const gap: Migration = { version: latest + 2, name: 'gap', up: () => undefined };
      expect(() => migrate(db, [...migrations, gap])).toThrow(/expected/);
    } finally {
      db.close();
    }
  });
});
