/**
 * `bootstrap.exportKubeconfig` against the real filesystem and the real kubectl: it writes a new
 * file 0600, merges into an existing kubeconfig without clobbering its other contexts (kubectl
 * shows both), asks before writing into an empty file, and refuses folders, FIFOs and files that
 * are not kubeconfigs with a 400 naming `path` that never quotes them. Tenant kubeconfigs for
 * reserved namespaces are a 400 naming `scope.namespace`. Needs kubectl on PATH (scripts/dev.sh
 * installs it); without it the test fails rather than skips.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, type RunningBackend } from '../src/backend.ts';
import { sqliteKubeconfigStore } from '../src/bootstrap/kubeconfig-store.ts';
import { openFileSecretBox } from '../src/secrets/secret-box.ts';
import { openStore } from '../src/store/store.ts';
import { client, mutate, startTestBackend, tempDir } from './support.ts';

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

let dataDir: string;
let out: string;
let backend: RunningBackend;
let clusterId: string;

beforeAll(async () => {
  dataDir = tempDir('export');
  out = tempDir('export-out');
  const first = await startTestBackend({ dataDir });
  clusterId = (await client(first).clusters.create.mutate({ name: 'lab' })).id;
  await first.close();
  // What an install leaves: the admin kubeconfig, encrypted in the store.
  const store = openStore({
    file: path.join(dataDir, DATABASE_FILE),
    box: openFileSecretBox({ dataDir }),
    onSecret: () => undefined,
    clock: () => new Date(),
  });
  sqliteKubeconfigStore(store, clusterId, undefined).accept(config('lab', 'lab-admin-token'));
  store.close();
  backend = await startTestBackend({ dataDir });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

const exportTo = (target: string, extra: object = {}) =>
  mutate(backend, 'bootstrap.exportKubeconfig', { clusterId, path: target, ...extra });

const contexts = (file: string) =>
  execFileSync('kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', file], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .sort();

describe('kubeconfig export', () => {
  it('writes a new file with mode 0600 that kubectl reads', async () => {
    const file = path.join(out, 'new', 'lab.yaml');
    const res = await exportTo(file);
    expect(res.status).toBe(200);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(contexts(file)).toEqual(['lab']);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['lab.yaml']);
  });

  it('merges into an existing kubeconfig, keeping its other contexts', async () => {
    const file = path.join(out, 'config');
    fs.writeFileSync(file, config('prod', 'prod-token'), { mode: 0o644 });
    const res = await exportTo(file);
    expect(res.status).toBe(200);
    expect(contexts(file)).toEqual(['lab', 'prod']);
    const current = execFileSync('kubectl', ['config', 'current-context', '--kubeconfig', file], {
      encoding: 'utf8',
    });
    expect(current.trim()).toBe('lab');
    expect(fs.readFileSync(file, 'utf8')).toContain('prod-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('asks before writing into an existing empty file (412), then writes it', async () => {
    const file = path.join(out, 'empty.yaml');
    fs.writeFileSync(file, '');
    const asked = await exportTo(file);
    expect(asked.status).toBe(412);
    expect(JSON.parse(asked.body).error.message).toMatch(/empty file.*Confirm/);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    const confirmed = await exportTo(file, { confirmPlainFile: true });
    expect(confirmed.status).toBe(200);
    expect(fs.readFileSync(file, 'utf8')).toContain('lab-admin-token');
  });

  it('refuses a folder, a FIFO and a file that is not a kubeconfig, never quoting it', async () => {
    const fifo = path.join(out, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const shadow = path.join(out, 'shadow');
    const secret = 'root: $6$Sh4d0wS4lt$NotForYourEyes:19000:0:99999:7:::\n';
    fs.writeFileSync(shadow, secret, { mode: 0o600 });
    for (const [target, reason] of [
      [out, /^path: is a folder/],
      [fifo, /^path: is a named pipe \(FIFO\)/],
      [shadow, /^path: is an existing file that is not a kubeconfig/],
    ] as const) {
      const started = Date.now();
      const res = await exportTo(target, { confirmPlainFile: true });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body).error;
      expect(error.message).toMatch(reason);
      expect(Object.keys(error.data.fieldErrors)).toEqual(['path']);
      expect(res.body).not.toContain('Sh4d0w');
      expect(res.body).not.toContain('NotForYourEyes');
    }
    expect(fs.readFileSync(shadow, 'utf8')).toBe(secret);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.each(['kube-system', 'kube-public', 'nodeless-system'])(
    'refuses a tenant kubeconfig for the reserved namespace %s (400 naming the field)',
    async (namespace) => {
      const res = await exportTo(path.join(out, `${namespace}.yaml`), { scope: { namespace } });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.data.fieldErrors).toEqual({
        'scope.namespace': expect.stringMatching(/is reserved for the system/),
      });
      expect(fs.existsSync(path.join(out, `${namespace}.yaml`))).toBe(false);
    },
  );
});
