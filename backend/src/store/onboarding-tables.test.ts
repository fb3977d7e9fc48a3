import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { KEEP_CHECKS_PER_CLUSTER, hostChecksTable } from './host-checks.ts';
import { knownHostKeysTable, splitHostName } from './known-host-keys.ts';

let dir: string;
let file: string;
let db: Database.Database;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-onb-store-'));
  file = path.join(dir, 'nodeless.db');
  db = openDatabase(file);
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const key = (hostName: string, keyType: string, fp: string, addedAt = 1_700_000_000_000) => ({
  hostName,
  keyType,
  keyBase64: Buffer.from(`${hostName}-${keyType}-${fp}`).toString('base64'),
  fingerprint: fp,
  addedAt,
});

describe('known_host_keys as a KnownHostsStore', () => {
  it('splits known_hosts names', () => {
    expect(splitHostName('10.0.0.5')).toEqual({ host: '10.0.0.5', port: 22 });
    expect(splitHostName('[node-b]:2222')).toEqual({ host: 'node-b', port: 2222 });
    expect(splitHostName('[::1]:22')).toEqual({ host: '::1', port: 22 });
  });

  it('stores, lists by host and port, replaces per key type, removes', async () => {
    const store = knownHostKeysTable(db);
    await store.add(key('node-a', 'ssh-ed25519', 'SHA256:a1'));
    await store.add(key('[node-a]:2222', 'ssh-ed25519', 'SHA256:a2'));
    await store.add(key('node-a', 'ecdsa-sha2-nistp256', 'SHA256:a3'));
    expect((await store.list('node-a')).map((k) => k.fingerprint).sort()).toEqual([
      'SHA256:a1',
      'SHA256:a3',
    ]);
    const other = await store.list('[node-a]:2222');
    expect(other).toEqual([key('[node-a]:2222', 'ssh-ed25519', 'SHA256:a2')]);
    // Same host and type: the newer key replaces the older one.
    await store.add(key('node-a', 'ssh-ed25519', 'SHA256:a4', 1_800_000_000_000));
    expect((await store.list('node-a')).map((k) => k.fingerprint).sort()).toEqual([
      'SHA256:a3',
      'SHA256:a4',
    ]);
    await store.remove('node-a', 'ecdsa-sha2-nistp256');
    expect((await store.list('node-a')).map((k) => k.fingerprint)).toEqual(['SHA256:a4']);
    await store.remove('node-a');
    expect(await store.list('node-a')).toEqual([]);
    expect(await store.list('[node-a]:2222')).toHaveLength(1);
  });

  it('persists across reopen (the app and the CLI share the file)', async () => {
    await knownHostKeysTable(db).add(key('node-z', 'ssh-ed25519', 'SHA256:z'));
    db.close();
    db = openDatabase(file);
    expect(await knownHostKeysTable(db).list('node-z')).toEqual([
      key('node-z', 'ssh-ed25519', 'SHA256:z'),
    ]);
  });
});

describe('host_checks', () => {
  const insertCluster = (id: string) =>
    db
      .prepare("INSERT INTO clusters (id, name, created_at, updated_at) VALUES (?, ?, 'x', 'x')")
      .run(id, id);
  const row = (id: string, cluster: string, at: number) => ({
    id,
    cluster_id: cluster,
    started_at: new Date(at).toISOString(),
    finished_at: new Date(at + 1).toISOString(),
    report: JSON.stringify({ checkId: id }),
  });

  it('returns the latest report and keeps only the newest few per cluster', () => {
    const checks = hostChecksTable(db);
    insertCluster('c1');
    insertCluster('c2');
    for (let i = 0; i < KEEP_CHECKS_PER_CLUSTER + 3; i++)
      checks.insert(row(`r${i}`, 'c1', 1000 * i));
    checks.insert(row('other', 'c2', 5));
    expect(checks.latest('c1')?.id).toBe(`r${KEEP_CHECKS_PER_CLUSTER + 2}`);
    expect(checks.listByCluster('c1')).toHaveLength(KEEP_CHECKS_PER_CLUSTER);
    expect(checks.listByCluster('c1').map((r) => r.id)).not.toContain('r0');
    expect(checks.latest('c2')?.id).toBe('other');
    expect(checks.latest('nope')).toBeUndefined();
  });

  it('goes with its cluster and refuses reports of unknown clusters', () => {
    const checks = hostChecksTable(db);
    insertCluster('c1');
    checks.insert(row('r1', 'c1', 1));
    db.prepare('DELETE FROM clusters WHERE id = ?').run('c1');
    expect(checks.latest('c1')).toBeUndefined();
    expect(() => checks.insert(row('r2', 'ghost', 1))).toThrow(/FOREIGN KEY/);
  });
});
