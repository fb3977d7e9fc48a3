import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKubeconfig } from './k3s-kubeconfig.ts';
import { MAX_KUBECONFIG_BYTES } from './export-target.ts';
import { isKubeconfigText, writeKubeconfigFile } from './kubeconfig-file.ts';

const config = (name: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: ${name}, cluster: {server: "https://${name}:6443"}}]`,
    `users: [{name: ${name}-admin, user: {token: t-${name}}}]`,
    `contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}-admin}}]`,
    `current-context: ${name}`,
  ].join('\n');

describe('writeKubeconfigFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeconfig-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing directories and writes mode 0600 without leaving temp files', async () => {
    const path = join(dir, '.kube', 'config');
    await writeKubeconfigFile(path, config('a'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, '.kube'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, '.kube'))).toEqual(['config']);
    expect(await readFile(path, 'utf8')).toBe(config('a'));
  });
  it('merges into an existing kubeconfig, keeping its other contexts, and makes it 0600', async () => {
    const path = join(dir, 'config');
    await writeFile(path, config('a'), { mode: 0o644 });
    const result = await writeKubeconfigFile(path, config('b'));
    expect(result).toEqual({ path, merged: true });
    const merged = parseKubeconfig(await readFile(path, 'utf8'));
    expect(merged.contexts.map((c) => c.name)).toEqual(['a', 'b']);
    expect(merged['current-context']).toBe('b');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // Exporting the same cluster again replaces its entries and still keeps the other one.
    await writeKubeconfigFile(path, config('b'));
    expect(parseKubeconfig(await readFile(path, 'utf8')).contexts.map((c) => c.name)).toEqual([
      'a',
      'b',
    ]);
    expect(await readdir(dir)).toEqual(['config']);
  });

  it('merges into what kubectl writes for an empty config (null lists)', async () => {
    const path = join(dir, 'config');
    await writeFile(
      path,
      'apiVersion: v1\nkind: Config\nclusters: null\ncontexts: null\nusers: null\n',
    );
    await writeKubeconfigFile(path, config('a'));
    expect(parseKubeconfig(await readFile(path, 'utf8')).contexts.map((c) => c.name)).toEqual([
      'a',
    ]);
  });

  it('writes through a symbolic link into the real file, keeping the link', async () => {
    const real = join(dir, 'real-config');
    await writeFile(real, config('a'));
    const link = join(dir, 'config');
    await symlink(real, link);
    await expect(writeKubeconfigFile(link, config('b'))).resolves.toEqual({
      path: real,
      merged: true,
    });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(parseKubeconfig(await readFile(real, 'utf8')).contexts).toHaveLength(2);
  });

  it('writes into an existing empty file only when confirmed', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '');
    await expect(writeKubeconfigFile(path, config('a'))).rejects.toMatchObject({
      name: 'KubeconfigTargetError',
      problem: 'needs-confirmation',
    });
    expect(await readFile(path, 'utf8')).toBe('');
    await writeKubeconfigFile(path, config('a'), { confirmPlainFile: true });
    expect(await readFile(path, 'utf8')).toBe(config('a'));
  });
});

describe('writeKubeconfigFile refuses what it must not touch', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeconfig-refuse-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const SHADOW = 'root: $6$s4lt$hashhashhash:19000:0:99999:7:::\ndaemon: "*:19000:0:99999:7:::"\n';

  it.each([
    ['clusters: 42\n', 'a kubeconfig-looking file with wrong types'],
    [SHADOW, 'an /etc/shadow-like YAML mapping'],
    ['name: my-app\nclusters: []\n', 'YAML of another program with foreign keys'],
    ['- a\n- b\n', 'a YAML list'],
    ['key: [unclosed\n', 'invalid YAML'],
    ['\u0000\u0001binary', 'binary content'],
  ])('a non-kubeconfig file is left as it was and never quoted: %j (%s)', async (content) => {
    const path = join(dir, 'target');
    await writeFile(path, content, { mode: 0o640 });
    const error = await writeKubeconfigFile(path, config('a'), { confirmPlainFile: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'KubeconfigTargetError', problem: 'not-kubeconfig' });
    const message = (error as Error).message;
    for (const part of content.split(/[\s:]+/).filter((p) => p.length > 2)) {
      expect(message).not.toContain(part);
    }
    expect(await readFile(path, 'utf8')).toBe(content);
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['target']);
  });

  it('refuses a folder', async () => {
    await expect(writeKubeconfigFile(dir, config('a'))).rejects.toMatchObject({
      problem: 'not-regular',
      message: expect.stringMatching(/^is a folder/),
    });
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await expect(
      writeKubeconfigFile(fifo, config('a'), { confirmPlainFile: true }),
    ).rejects.toMatchObject({ problem: 'not-regular', message: expect.stringMatching(/FIFO/) });
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('refuses a link to a missing file and a file bigger than any kubeconfig', async () => {
    const link = join(dir, 'dangling');
    await symlink(join(dir, 'nowhere'), link);
    await expect(writeKubeconfigFile(link, config('a'))).rejects.toMatchObject({
      problem: 'not-regular',
    });
    const big = join(dir, 'big');
    await writeFile(big, `clusters: []\n#${'x'.repeat(MAX_KUBECONFIG_BYTES)}`);
    await expect(writeKubeconfigFile(big, config('a'))).rejects.toMatchObject({
      problem: 'not-kubeconfig',
      message: expect.stringMatching(/too large/),
    });
  });

  it('says why a write failed without naming its temporary file', async () => {
    const blocker = join(dir, 'file');
    await writeFile(blocker, 'x');
    const error = await writeKubeconfigFile(join(blocker, 'sub', 'config'), config('a')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'KubeconfigTargetError' });
    expect((error as Error).message).not.toContain('.tmp');
  });
});

describe('isKubeconfigText', () => {
  it('accepts kubeconfigs with or without kind, and no foreign keys', () => {
    expect(isKubeconfigText(config('a'))).toBe(true);
    expect(isKubeconfigText('contexts: []\n')).toBe(true);
    expect(isKubeconfigText('apiVersion: v1\nkind: Config\n')).toBe(true);
    expect(isKubeconfigText('apiVersion: v1\n')).toBe(false);
    expect(isKubeconfigText('kind: Deployment\nclusters: []\n')).toBe(false);
  });
});
