/**
 * Point 5 of issue 2: a writer killed with SIGKILL in the middle of a burst of transactions
 * loses nothing it acknowledged, leaves no half-written transaction behind, and the database
 * passes `PRAGMA integrity_check`. Three kills in a row on the same file, so recovery of a
 * crashed WAL is itself exercised by the next writer.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'fixtures', 'burst-writer.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-crash-'));
const file = path.join(dir, 'nodeless.db');
const ROWS_PER_TX = 20;
/** Far more than can commit before the kill: the burst is always interrupted. */
const MAX_TX = 200_000;
/** Acknowledgements to wait for before killing. */
const KILL_AFTER = 150;

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Round {
  acked: number[];
  signal: NodeJS.Signals | null;
  sawDone: boolean;
}

/** Runs one writer, SIGKILLs it after `KILL_AFTER` acks, returns what it acknowledged. */
function runAndKill(first: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', writer, file, String(MAX_TX), String(first), String(ROWS_PER_TX)],
      { cwd: path.resolve(here, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const acked: number[] = [];
    let sawDone = false;
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer too slow: ${acked.length} acks in 60 s; ${stderr}`));
    }, 60_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^ack (\d+)$/.exec(line);
      if (match) acked.push(Number(match[1]));
      if (line === 'done') sawDone = true;
      if (!killed && acked.length >= KILL_AFTER) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((done) =>
      child.once('exit', (code, signal) => done([code, signal])),
    );
    // Acks still in the pipe when the kill landed were written after their commit: they
    // count too, so read the pipe to its end before judging.
    const drained = new Promise<void>((done) => lines.once('close', done));
    void Promise.all([exited, drained]).then(([[code, signal]]) => {
      clearTimeout(timer);
      if (signal === null && code !== 0) reject(new Error(`writer failed (${code}): ${stderr}`));
      else resolve({ acked: [...acked], signal, sawDone });
    });
  });
}

describe('store durability under SIGKILL', () => {
  it('keeps every acknowledged transaction, whole, across three kills', async () => {
    const allAcked: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const result = await runAndKill(round * MAX_TX);
      expect(result.signal).toBe('SIGKILL');
      expect(result.sawDone).toBe(false);
      expect(result.acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      allAcked.push(...result.acked);
    }

    // Reopen with the product code (recovers the WAL, checks migrations), then inspect.
    openDatabase(file).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);

      const names = new Set(db.prepare('SELECT name FROM clusters').pluck().all() as string[]);
      const missing = allAcked.filter((i) => !names.has(`burst-${i}`));
      expect(missing).toEqual([]);

      // Atomicity: every cluster that exists (acknowledged or committed just before the kill)
      // has all of its rows; a torn transaction would leave fewer.
      const perCluster = new Map<string, number>();
      for (const key of db.prepare('SELECT key FROM settings').pluck().all() as string[]) {
        const cluster = key.slice(0, key.lastIndexOf('-'));
        perCluster.set(cluster, (perCluster.get(cluster) ?? 0) + 1);
      }
      expect(perCluster.size).toBe(names.size);
      for (const name of names) expect(perCluster.get(name)).toBe(ROWS_PER_TX);
      // Only the transaction in flight at each kill may be committed without its ack.
      expect(names.size - allAcked.length).toBeLessThanOrEqual(3);
    } finally {
      db.close();
    }
  });
});
