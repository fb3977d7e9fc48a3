/**
 * `nodeless kubeconfig --out` uses the same export rules as the app: it merges into an
 * existing kubeconfig (other contexts kept, as the real kubectl shows) and refuses, with exit 2
 * and without quoting it, a file that is not a kubeconfig. Runs the CLI in-process on a data
 * dir that holds a stored admin kubeconfig; no hosts are contacted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/backend.ts';
import { sqliteKubeconfigStore } from '../src/bootstrap/kubeconfig-store.ts';
import { openFileSecretBox } from '../src/secrets/secret-box.ts';
import { openStore } from '../src/store/store.ts';
import { runNodeless } from './cli-harness.ts';
import { tempDir } from './support.ts';

const config = (name: string, token: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: ${name}, cluster: {server: "https://${name}.example:6443"}}]`,
    `users: [{name: ${name}-admin, user: {token: ${token}}}]`,
    `contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}-admin}}]`,
    `current-context: ${name}`,
    '',
  ].join('\n');

let dir: string;
const dataDir = () => path.join(dir, 'data');

const nodeless = (...args: string[]) =>
  runNodeless(args, { homeDir: dir, cwd: dir, defaultDataDir: dataDir() });

beforeAll(async () => {
  dir = tempDir('kubeconfig-cli');
  fs.writeFileSync(
    path.join(dir, 'cluster.yaml'),
    [
      'apiVersion: nodeless.dev/v1alpha1',
      'kind: Cluster',
      'metadata: { name: edge }',
      'spec:',
      '  hosts:',
      '    - ssh: { address: 192.0.2.10, user: root, useAgent: true }',
      '      role: server',
      '      sudo: none',
    ].join('\n'),
  );
  // The first call creates the cluster row (named after metadata.name); nothing is stored yet.
  expect((await nodeless('kubeconfig', '-f', 'cluster.yaml')).code).toBe(1);
  const store = openStore({
    file: path.join(dataDir(), DATABASE_FILE),
    box: openFileSecretBox({ dataDir: dataDir() }),
    onSecret: () => undefined,
    clock: () => new Date(),
  });
  const cluster = store.clusters.findByName('edge');
  if (!cluster) throw new Error('the CLI did not create the cluster row');
  sqliteKubeconfigStore(store, cluster.id, undefined).accept(config('edge', 'edge-token'));
  store.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('nodeless kubeconfig --out', () => {
  it('merges into an existing kubeconfig, keeping its other contexts', async () => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, config('prod', 'prod-token'));
    const run = await nodeless('kubeconfig', '-f', 'cluster.yaml', '--out', 'config');
    // With --out the credentials go to the file only: nothing on stdout.
    expect(run).toEqual({
      code: 0,
      stdout: '',
      stderr: `Wrote ${file} (mode 0600, merged; its other contexts kept).\n`,
    });
    const names = execFileSync(
      'kubectl',
      ['config', 'get-contexts', '-o', 'name', '--kubeconfig', file],
      {
        encoding: 'utf8',
      },
    );
    expect(names.trim().split('\n').sort()).toEqual(['edge', 'prod']);
  });

  it('refuses a file that is not a kubeconfig (exit 2), leaving it and never quoting it', async () => {
    const file = path.join(dir, 'notes.yaml');
    fs.writeFileSync(file, 'password: hunter2-do-not-print\n');
    const run = await nodeless('kubeconfig', '-f', 'cluster.yaml', '--out', 'notes.yaml');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `--out ${file} is an existing file that is not a kubeconfig; Nodeless does not overwrite it. Choose another file, or remove this one first.\n`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('password: hunter2-do-not-print\n');
  });
});
