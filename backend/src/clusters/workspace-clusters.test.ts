/**
 * Kubeconfig import: every bad input names its field; what is stored is one context, encrypted;
 * relative paths resolve against the file's directory; exec plugins are looked up on PATH; the
 * demo is imported once and replaced in place; a changed file is re-read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../inventory/errors.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { openStore, type Store } from '../store/store.ts';
import { importKubeconfigInput, previewKubeconfigInput } from './schema.ts';
import { WorkspaceClusters } from './workspace-clusters.ts';

const box: SecretBox = {
  kind: 'aes-256-gcm-file',
  encrypt: (plain) => Buffer.from(plain, 'utf8').reverse(),
  decrypt: (cipher) => Buffer.from(cipher).reverse().toString('utf8'),
};

const kubeconfig = (o: { server?: string; user?: string; extra?: string } = {}) => `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: ${o.server ?? 'https://10.0.0.5:6443'}
    certificate-authority: certs/ca.crt
- name: other
  cluster: {server: 'https://10.9.9.9:6443'}
users:
- name: dev-user
  user: ${o.user ?? '{token: s3cr3t-token-value}'}
- name: other-user
  user: {token: other-token}
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user, namespace: shop}
- name: prod
  context: {cluster: other, user: other-user}
${o.extra ?? ''}`;

let dir: string;
let store: Store;
let secrets: string[];
let changed: string[];
let clusters: WorkspaceClusters;
let envPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-clusters-'));
  secrets = [];
  changed = [];
  envPath = path.join(dir, 'bin');
  fs.mkdirSync(envPath);
  store = openStore({
    file: path.join(dir, 'nodeless.db'),
    box,
    onSecret: (s) => secrets.push(s),
    clock: () => new Date('2026-03-01T10:00:00Z'),
  });
  clusters = new WorkspaceClusters({
    store,
    clock: () => new Date('2026-03-01T10:00:00Z'),
    registerSecret: (s) => secrets.push(s),
    envPath: () => envPath,
    home: dir,
    onChange: (id) => changed.push(id),
  });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The field errors of a call that must fail with an InputError. */
function fieldErrors(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return { ...error.fieldErrors };
    throw error;
  }
  throw new Error('expected an InputError');
}

function schemaFields(schema: typeof importKubeconfigInput, input: unknown): string[] {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('input schemas name the field', () => {
  it.each([
    [{}, ['text']],
    [{ text: 'x', path: '/x' }, ['path']],
    [{ text: '' }, ['text']],
    [{ text: 'x', extra: 1 }, ['']],
  ])('preview %j', (input, fields) => {
    const r = previewKubeconfigInput.safeParse(input);
    expect(r.success).toBe(false);
    const paths = r.success ? [] : r.error.issues.map((i) => i.path.join('.') || String(i.code));
    for (const f of fields) expect(paths.some((p) => p === f || f === '')).toBe(true);
  });

  it.each([
    [{ text: 'x', context: 'dev' }, 'name'],
    [{ text: 'x', name: 'a' }, 'context'],
    [{ text: 'x', name: '  ', context: 'dev' }, 'name'],
    [{ text: 'x', name: 'a\u0007b', context: 'dev' }, 'name'],
    [{ text: 'x', name: 'a', context: 'dev', demo: 'yes' }, 'demo'],
  ])('import %j names %s', (input, field) => {
    expect(schemaFields(importKubeconfigInput, input)).toContain(field);
  });
});

describe('preview', () => {
  it('lists every context with its server, user, auth and problems', () => {
    const choices = clusters.preview({ text: kubeconfig() });
    expect(choices).toEqual([
      {
        name: 'dev',
        cluster: 'dev-cluster',
        server: 'https://10.0.0.5:6443',
        user: 'dev-user',
        auth: 'token',
        current: true,
      },
      {
        name: 'prod',
        cluster: 'other',
        server: 'https://10.9.9.9:6443',
        user: 'other-user',
        auth: 'token',
        current: false,
      },
    ]);
    // The pasted text and its tokens are registered before anything can log them.
    expect(secrets).toContain(kubeconfig());
    expect(secrets).toContain('s3cr3t-token-value');
  });

  it.each([
    ['malformed YAML', 'a: [1, 2', 'text', /not valid YAML/],
    ['not a mapping', '- a\n- b', 'text', /not a kubeconfig/],
    ['no contexts', 'apiVersion: v1\nkind: Config\nclusters: []', 'text', /no contexts/],
    [
      'context without a cluster',
      'contexts: [{name: a, context: {user: u}}]\nusers: [{name: u, user: {}}]',
      'text',
      /names no cluster/,
    ],
    [
      'context naming a missing user',
      'contexts: [{name: a, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://h:1"}}]',
      'text',
      /user "u", which is not in the kubeconfig/,
    ],
    [
      'server URL invalid',
      'contexts: [{name: a, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "10.0.0.5:6443"}}]\nusers: [{name: u, user: {}}]',
      'text',
      /must start with https|not a URL/,
    ],
  ])('%s → 400 naming text', (_name, text, field, message) => {
    const errors = fieldErrors(() => clusters.preview({ text }));
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
  });

  it.each([
    ['relative', 'kube/config', /absolute path/],
    ['missing', '/nonexistent/kubeconfig', /no such file/],
  ])('a %s path → 400 naming path', (_name, given, message) => {
    const errors = fieldErrors(() => clusters.preview({ path: given }));
    expect(errors['path']).toMatch(message);
  });

  it('a directory → 400 naming path; a file under ~/ is read', () => {
    expect(fieldErrors(() => clusters.preview({ path: dir }))['path']).toMatch(/not a file/);
    fs.writeFileSync(path.join(dir, 'config'), kubeconfig());
    expect(clusters.preview({ path: '~/config' })).toHaveLength(2);
  });

  it('marks a broken context among good ones instead of refusing the file', () => {
    const text = kubeconfig({
      extra: 'preferences: {}\n',
    }).replace(
      'context: {cluster: other, user: other-user}',
      'context: {cluster: gone, user: other-user}',
    );
    const choices = clusters.preview({ text });
    expect(choices[1]?.problem).toMatch(/cluster "gone"/);
  });
});

describe('import', () => {
  it('stores one context, encrypted, and lists the cluster', () => {
    const cluster = clusters.import({ name: 'Shop dev', text: kubeconfig(), context: 'dev' });
    expect(cluster).toMatchObject({
      name: 'Shop dev',
      source: 'imported',
      servers: ['https://10.0.0.5:6443'],
      context: 'dev',
    });
    expect(clusters.list()).toEqual([cluster]);
    const raw = store.db.prepare('SELECT ciphertext FROM secrets').all() as {
      ciphertext: Buffer;
    }[];
    expect(raw.map((r) => r.ciphertext.toString('utf8')).join()).not.toContain(
      's3cr3t-token-value',
    );
    const stored = parse(clusters.credentials(cluster.id).kubeconfig) as {
      contexts: unknown[];
      users: { name: string }[];
      'current-context': string;
    };
    expect(stored.contexts).toHaveLength(1);
    expect(stored.users.map((u) => u.name)).toEqual(['dev-user']);
    expect(stored['current-context']).toBe('dev');
  });

  it('names the field of each problem', () => {
    expect(
      fieldErrors(() => clusters.import({ name: 'a', text: kubeconfig(), context: 'nope' })),
    ).toEqual({ context: '"nope" is not a context of this kubeconfig' });
    clusters.import({ name: 'a', text: kubeconfig(), context: 'dev' });
    expect(
      Object.keys(
        fieldErrors(() => clusters.import({ name: 'a', text: kubeconfig(), context: 'dev' })),
      ),
    ).toEqual(['name']);
  });

  it('resolves relative certificate paths against the file directory, as kubectl', () => {
    fs.mkdirSync(path.join(dir, 'kube'));
    const file = path.join(dir, 'kube', 'config');
    fs.writeFileSync(file, kubeconfig());
    const cluster = clusters.import({ name: 'f', path: file, context: 'dev' });
    const stored = parse(clusters.credentials(cluster.id).kubeconfig) as {
      clusters: { cluster: Record<string, string> }[];
    };
    expect(stored.clusters[0]?.cluster['certificate-authority']).toBe(
      path.join(dir, 'kube', 'certs', 'ca.crt'),
    );
  });

  it('names an exec plugin that is not on PATH, and imports once it is', () => {
    const text = kubeconfig({
      user: '{exec: {apiVersion: client.authentication.k8s.io/v1, command: aws-iam-auth, args: [token]}}',
    });
    expect(clusters.preview({ text })[0]).toMatchObject({
      auth: 'exec',
      execCommand: 'aws-iam-auth',
    });
    expect(fieldErrors(() => clusters.import({ name: 'e', text, context: 'dev' }))).toEqual({
      context: `exec plugin "aws-iam-auth" not found on PATH (${envPath})`,
    });
    fs.writeFileSync(path.join(envPath, 'aws-iam-auth'), '#!/bin/sh\n', { mode: 0o755 });
    expect(clusters.import({ name: 'e', text, context: 'dev' }).source).toBe('imported');
  });

  it('re-reads a changed file and reports the change', () => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, kubeconfig());
    const cluster = clusters.import({ name: 'f', path: file, context: 'dev' });
    const before = clusters.credentialsVersion(cluster.id);
    expect(clusters.credentialsVersion(cluster.id)).toBe(before);
    fs.writeFileSync(file, kubeconfig({ user: '{token: rotated-token}' }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(clusters.credentialsVersion(cluster.id)).not.toBe(before);
    expect(clusters.credentials(cluster.id).kubeconfig).toContain('rotated-token');
    expect(changed).toEqual([cluster.id]);
    expect(store.db.prepare('SELECT count(*) AS n FROM secrets').get()).toEqual({ n: 1 });
  });

  it('removes imported clusters with their secret, never installed ones', () => {
    const cluster = clusters.import({ name: 'a', text: kubeconfig(), context: 'dev' });
    clusters.remove(cluster.id);
    expect(clusters.list()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) AS n FROM secrets').get()).toEqual({ n: 0 });
    const at = '2026-03-01T10:00:00Z';
    store.clusters.insert({ id: 'inst', name: 'lab', created_at: at, updated_at: at });
    expect(Object.keys(fieldErrors(() => clusters.remove('inst')))).toEqual(['clusterId']);
  });
});

describe('installed clusters', () => {
  it('list every server member by the server-URL rule, install server first', () => {
    const at = '2026-03-01T10:00:00Z';
    store.clusters.insert({ id: 'c1', name: 'lab', created_at: at, updated_at: at });
    for (const [id, address] of [
      ['h1', '10.0.0.5'],
      ['h2', 'fd00::6'],
      ['h3', '10.0.0.7'],
    ] as const) {
      store.hosts.insert({
        id,
        cluster_id: 'c1',
        address,
        port: 22,
        user: 'root',
        role: id === 'h3' ? 'agent' : 'server',
        auth_kind: 'agent',
        key_path: null,
        auth_secret_id: null,
        sudo_kind: 'none',
        sudo_secret_id: null,
        created_at: at,
        updated_at: at,
      });
    }
    expect(clusters.list()).toEqual([]); // nothing to connect to before the kubeconfig exists
    store.clusterInstalls.put({
      cluster_id: 'c1',
      server_url: 'https://10.0.0.5:6443',
      sandbox: 'kata-clh',
      k3s_version: 'v1.36.3+k3s1',
      nodes: 3,
      members: JSON.stringify({ servers: ['h1', 'h2'], agents: ['h3'] }),
      kubeconfig_secret_id: store.secrets.put(kubeconfig()),
      kubeconfig_sha256: 'abc',
      installed_at: at,
    });
    expect(clusters.list()).toEqual([
      {
        id: 'c1',
        name: 'lab',
        source: 'installed',
        servers: ['https://10.0.0.5:6443', 'https://[fd00::6]:6443'],
      },
    ]);
    expect(clusters.credentials('c1').version).toBe('abc');
  });
});

describe('demo', () => {
  it('is imported once from the file, then replaced in place when it changes', () => {
    const file = path.join(dir, 'demo.kubeconfig');
    fs.writeFileSync(file, kubeconfig());
    const demo = clusters.ensureDemo(file);
    expect(demo).toMatchObject({ name: 'Demo', source: 'demo', context: 'dev' });
    expect(clusters.ensureDemo(file).id).toBe(demo.id);
    expect(changed).toEqual([]);
    fs.writeFileSync(file, kubeconfig({ server: 'https://127.0.0.1:7443' }));
    const again = clusters.ensureDemo(file);
    expect(again.id).toBe(demo.id);
    expect(again.servers).toEqual(['https://127.0.0.1:7443']);
    expect(changed).toEqual([demo.id]);
    expect(clusters.list()).toHaveLength(1);
  });

  it('is removed by removeDemos (a start without a demo); imported clusters stay', () => {
    const file = path.join(dir, 'demo.kubeconfig');
    fs.writeFileSync(file, kubeconfig());
    const demo = clusters.ensureDemo(file);
    const theirs = clusters.import({ name: 'theirs', text: kubeconfig(), context: 'dev' });
    expect(clusters.removeDemos()).toEqual([{ id: demo.id, name: 'Demo' }]);
    expect(clusters.list().map((c) => c.id)).toEqual([theirs.id]);
    expect(store.clusterImports.findBySource('demo')).toEqual([]);
    expect(changed).toEqual([demo.id]);
    expect(() => clusters.credentials(demo.id)).toThrow(/No cluster with id/);
    expect(clusters.removeDemos()).toEqual([]);
  });
});
