/**
 * Issue 16, item 7: the app and the CLI may open an old database at the same moment. Two
 * processes, released together, open a database two migrations behind (plus a slow probe
 * migration that records who ran it): both succeed, every migration is applied exactly once,
 * and the data survives.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/store/migrate.ts';
import { migrations } from '../src/store/migrations/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const racer = path.join(here, 'fixtures', 'migrate-racer.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-migrate-race-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Racer {
  ready: Promise<void>;
  exited: Promise<{ code: number | null; out: string; err: string }>;
}

function startRacer(file: string, go: string): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', racer, file, go], {
    cwd: path.resolve(here, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve) =>
    lines.on('line', (line) => {
      out += `${line}\n`;
      if (line === 'ready') resolve();
    }),
  );
  const closed = new Promise<void>((resolve) => lines.once('close', resolve));
  const code = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Both: the exit code, and every line the racer wrote (the pipe may close either side).
  const exited = Promise.all([code, closed]).then(([c]) => ({ code: c, out, err }));
  return { ready, exited };
}

describe('migrations under BEGIN IMMEDIATE', () => {
  it('two processes opening an old database migrate it once, both succeed', async () => {
    const file = path.join(dir, 'nodeless.db');
    const go = path.join(dir, 'go');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, migrations.slice(0, migrations.length - 2));
    old.exec("INSERT INTO clusters VALUES ('c1', 'kept', 'x', 'x')");
    old.close();

    const racers = [startRacer(file, go), startRacer(file, go)];
    await Promise.all(racers.map((r) => r.ready));
    fs.writeFileSync(go, '');
    const results = await Promise.all(racers.map((r) => r.exited));
    for (const r of results)
      expect({ code: r.code, out: r.out, err: r.err }).toMatchObject({ code: 0 });

    const db = new Database(file, { readonly: true });
    try {
      const versions = db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .pluck()
        .all();
      expect(versions).toEqual([...migrations.map((m) => m.version), migrations.length + 1]);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length + 1);
      // The slow migration ran in exactly one of the two processes.
      expect(db.prepare('SELECT count(*) FROM race_probe').pluck().get()).toBe(1);
      expect(db.prepare('SELECT name FROM clusters').pluck().all()).toEqual(['kept']);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
