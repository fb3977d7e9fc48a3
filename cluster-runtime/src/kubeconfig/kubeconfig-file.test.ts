import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKubeconfig } from './k3s-kubeconfig.ts';
import { writeKubeconfigFile } from './kubeconfig-file.ts';

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
  it('replaces without merging unless asked, and merges keeping other contexts', async () => {
    const path = join(dir, 'config');
    await writeFile(path, config('a'), { mode: 0o644 });
    await writeKubeconfigFile(path, config('b'), { merge: true });
    const merged = parseKubeconfig(await readFile(path, 'utf8'));
    expect(merged.contexts.map((c) => c.name)).toEqual(['a', 'b']);
    expect(merged['current-context']).toBe('b');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await writeKubeconfigFile(path, config('c'));
    expect(parseKubeconfig(await readFile(path, 'utf8')).contexts.map((c) => c.name)).toEqual([
      'c',
    ]);
  });
  it('refuses to merge into a file that is not a kubeconfig and leaves it as it was', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'clusters: 42\n');
    await expect(writeKubeconfigFile(path, config('a'), { merge: true })).rejects.toThrow(
      /is not a kubeconfig/,
    );
    expect(await readFile(path, 'utf8')).toBe('clusters: 42\n');
  });
});
