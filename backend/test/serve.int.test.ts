/**
 * `serve.ts` as `npm run serve` runs it (through the tsx CLI): exactly one ready line on
 * stdout, the curl checks of issue 2, a clean exit 0 on SIGTERM with a sound database, and a
 * one-line error with exit 2 for a bad environment variable.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/backend.ts';
import { fakeRendererDir, mutate, repoRoot, request, spawnServe, tempDir } from './support.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run serve', () => {
  it('prints one ready line, serves with the token only, exits 0 on SIGTERM', async () => {
    const dataDir = tempDir('serve');
    const rendererDir = fakeRendererDir();
    dirs.push(dataDir, rendererDir);
    const serve = await spawnServe(
      { NODELESS_PORT: '0', NODELESS_DATA_DIR: dataDir, NODELESS_RENDERER_DIR: rendererDir },
      { viaTsxCli: true },
    );
    try {
      expect((await request(`${serve.url}/api/trpc/health`)).status).toBe(401);
      const auth = { authorization: `Bearer ${serve.token}` };
      expect((await request(`${serve.url}/api/trpc/health`, { headers: auth })).status).toBe(200);
      expect((await request(`${serve.url}/`, { headers: auth })).body).toContain('Nodeless test');
      const bad = await mutate(serve, 'clusters.create', { name: '' });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).error.message).toMatch(/^name: /);
      expect((await mutate(serve, 'clusters.create', { name: 'web' })).status).toBe(200);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    expect(serve.stdoutLines).toHaveLength(1);
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT name FROM clusters').all()).toEqual([{ name: 'web' }]);
    db.close();
    expect(fs.statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('also exits 0 on SIGINT', async () => {
    const dataDir = tempDir('serve-int');
    dirs.push(dataDir);
    const serve = await spawnServe({ NODELESS_DATA_DIR: dataDir });
    serve.child.kill('SIGINT');
    expect(await serve.exited).toEqual({ code: 0, signal: null });
  });

  it('rejects a bad NODELESS_PORT with one line naming it and exit 2', () => {
    const dataDir = tempDir('bad');
    dirs.push(dataDir);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'backend', 'src', 'serve.ts')],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          NODELESS_PORT: 'abc',
          NODELESS_DATA_DIR: dataDir,
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('NODELESS_PORT');
    expect(lines[0]).toContain('"abc"');
  });
});
