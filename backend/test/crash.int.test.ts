/**
 * Point 5 of issue 2: a writer killed with SIGKILL in the middle of a burst of transactions
 * loses nothing it acknowledged, and the database passes `PRAGMA integrity_check`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.ts';
import { backendRoot, repoRoot, tempDir } from './support.ts';

const dir = tempDir('crash');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('keeps every acknowledged commit after SIGKILL mid-burst', async () => {
  const file = path.join(dir, 'crash.db');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(backendRoot, 'test', 'fixtures', 'crash-writer.ts'), file],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const acked: string[] = [];
  // Kill after a random number of acks, while the burst is still running.
  const killAfter = 150 + Math.floor(Math.random() * 150);
  const lines = createInterface({ input: child.stdout });
  const drained = new Promise<void>((resolve) => lines.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer too slow: ${stderr}`)), 60_000);
    lines.on('line', (line) => {
      if (!line.startsWith('ack ')) return;
      acked.push(line.slice(4));
      if (acked.length === killAfter) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
  });
  expect(await exited).toBe('SIGKILL');
  // Acks already in the pipe when the kill landed are acknowledged too.
  await drained;

  // The writer died with commits only in the WAL (never checkpointed): recovery must replay it.
  expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
  const db = openDatabase(file);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const names = new Set(
    db
      .prepare<[], { name: string }>('SELECT name FROM clusters')
      .all()
      .map((r) => r.name),
  );
  const lost = acked.filter((name) => !names.has(name));
  expect(lost).toEqual([]);
  // At most the one transaction in flight at kill time may be present without an ack.
  expect(names.size - acked.length).toBeLessThanOrEqual(1);
  db.close();
});
