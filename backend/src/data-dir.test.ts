import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from './data-dir.ts';
import { openDatabase } from './store/database.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-datadir-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});
const mode = (p: string) => fs.statSync(p).mode & 0o7777;

describe('prepareDataDir', () => {
  it('creates a missing directory (and parents) 0700 whatever the umask', () => {
    const old = process.umask(0);
    try {
      const dir = path.join(root, 'a', 'nodeless');
      expect(prepareDataDir(dir)).toBe('created');
      expect(mode(dir)).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });

  it('tightens an existing directory of ours to 0700 and leaves a 0700 one alone', () => {
    const dir = path.join(root, 'data');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    expect(prepareDataDir(dir)).toBe('tightened');
    expect(mode(dir)).toBe(0o700);
    expect(prepareDataDir(dir)).toBe('kept');
  });

  it('never touches a shared sticky directory or one owned by someone else', () => {
    const sticky = path.join(root, 'tmp');
    fs.mkdirSync(sticky);
    fs.chmodSync(sticky, 0o1777);
    expect(prepareDataDir(sticky)).toBe('kept');
    expect(mode(sticky)).toBe(0o1777);
    const foreign = path.join(root, 'foreign');
    fs.mkdirSync(foreign);
    fs.chmodSync(foreign, 0o755);
    const uid = (process.getuid?.() ?? 0) + 1;
    expect(prepareDataDir(foreign, fs, uid)).toBe('kept');
    expect(mode(foreign)).toBe(0o755);
  });
});

describe('database file modes', () => {
  it('creates nodeless.db and its -wal/-shm 0600, and tightens an existing file', () => {
    const old = process.umask(0);
    try {
      const file = path.join(root, 'nodeless.db');
      const db = openDatabase(file);
      db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f)).toBe(0o600);
      db.close();
      fs.chmodSync(file, 0o644);
      openDatabase(file).close();
      expect(mode(file)).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});
