/**
 * `nodeless tenant …` on the real control plane, the cluster named by `--cluster` as it is
 * stored in the data dir (here imported, as the app imports a kubeconfig): add with a quota,
 * list, export a kubeconfig 0600 merged into an existing file and used by the real kubectl,
 * tokens on stdout only with `--out -`, bad input refused naming the option, revoke; a tenant
 * with two namespaces (`--namespace` repeated) and a member's certificate kubeconfig
 * (`--credential certificate`) listed, revoked alone (`--member`), and `tenant remove`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { DATABASE_FILE } from '../src/backend.ts';
import { WorkspaceClusters } from '../src/clusters/workspace-clusters.ts';
import { openFileSecretBox } from '../src/secrets/secret-box.ts';
import { openStore } from '../src/store/store.ts';
import { runNodeless } from './cli-harness.ts';
import { tempDir } from './support.ts';

let cp: ControlPlane;
let dir: string;
const dataDir = () => path.join(dir, 'data');

const nodeless = (...args: string[]) =>
  runNodeless(args, { homeDir: dir, cwd: dir, defaultDataDir: dataDir() });

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  dir = tempDir('tenant-cli');
  fs.mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
  const store = openStore({
    file: path.join(dataDir(), DATABASE_FILE),
    box: openFileSecretBox({ dataDir: dataDir() }),
    onSecret: () => undefined,
    clock: () => new Date(),
  });
  const context = (parse(cp.kubeconfig) as { 'current-context': string })['current-context'];
  new WorkspaceClusters({ store, clock: () => new Date(), registerSecret: () => undefined }).import(
    { text: cp.kubeconfig, name: 'lab', context },
  );
  store.close();
}, 600_000);
afterAll(async () => {
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('nodeless tenant', () => {
  it('adds a tenant with a quota in specs and lists it', async () => {
    const add = await nodeless(
      'tenant',
      'add',
      '--cluster',
      'lab',
      '--namespace',
      'team-a',
      '--quota',
      '16x32',
      '--pods',
      '50',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain('Tenant team-a on lab: quota 16 vCPU / 32 GiB, 50 pods.');
    const quota = await cp.kubectl([
      'get',
      'resourcequota',
      'nodeless-tenant',
      '-n',
      'team-a',
      '-o',
      'jsonpath={.spec.hard}',
    ]);
    expect(JSON.parse(quota.stdout)).toEqual({
      'limits.cpu': '16',
      'limits.memory': '32Gi',
      pods: '50',
      'requests.cpu': '16',
      'requests.memory': '32Gi',
    });
    const list = await nodeless('tenant', 'list', '--cluster', 'lab');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^TENANT\s+NAMESPACES\s+QUOTA\s+PODS\s+USED\n/);
    expect(list.stdout).toMatch(
      /team-a\s+team-a\s+16 vCPU \/ 32 GiB\s+50\s+0 vCPU \/ 0 GiB, 0 pods/,
    );
  });

  it('writes the kubeconfig 0600 merged into an existing one, usable by the real kubectl', async () => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: other, cluster: {server: "https://other.example:6443"}}]',
        'users: [{name: other, user: {token: keep-me}}]',
        'contexts: [{name: other, context: {cluster: other, user: other}}]',
        'current-context: other',
        '',
      ].join('\n'),
    );
    const r = await nodeless(
      'tenant',
      'kubeconfig',
      '--cluster',
      'lab',
      '--namespace',
      'team-a',
      '--expires',
      '1h',
      '--out',
      'config',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('merged; its other contexts kept');
    expect(r.stderr).toContain('context lab-team-a');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const contexts = await cp.kubectl(['config', 'get-contexts', '-o', 'name'], {
      kubeconfig: file,
    });
    expect(contexts.stdout.split('\n').filter(Boolean).sort()).toEqual(['lab-team-a', 'other']);
    const token =
      (parse(fs.readFileSync(file, 'utf8')) as { users: { user: { token: string } }[] }).users
        .map((u) => u.user.token)
        .find((t) => t !== 'keep-me') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(r.stderr).not.toContain(token);
    const create = await cp.kubectl(['create', 'configmap', 'hello'], { kubeconfig: file });
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toContain('configmap/hello created');
    const nodes = await cp.kubectl(['get', 'nodes'], { kubeconfig: file });
    expect(nodes.stderr).toContain('Error from server (Forbidden): nodes is forbidden');
  });

  it('prints the kubeconfig only with an explicit --out -', async () => {
    const none = await nodeless(
      'tenant',
      'kubeconfig',
      '--cluster',
      'lab',
      '--namespace',
      'team-a',
    );
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('--out - for stdout');
    const out = await nodeless(
      'tenant',
      'kubeconfig',
      '--cluster',
      'lab',
      '--namespace',
      'team-a',
      '--out',
      '-',
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('current-context: lab-team-a');
    expect(out.stdout).toContain('token: ');
  });

  it('refuses bad input naming the option, and unknown clusters naming the known ones', async () => {
    const reserved = await nodeless('tenant', 'add', '--cluster', 'lab', '--namespace', 'kube-x');
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain('--namespace "kube-x" is reserved for the system');
    const quota = await nodeless(
      'tenant',
      'add',
      '--cluster',
      'lab',
      '--namespace',
      'team-b',
      '--quota',
      '16',
    );
    expect(quota.code).toBe(2);
    expect(quota.stderr).toContain('--quota: "16" is not <vCPU>x<GiB>');
    const expires = await nodeless(
      'tenant',
      'kubeconfig',
      '--cluster',
      'lab',
      '--namespace',
      'team-a',
      '--expires',
      '1m',
      '--out',
      '-',
    );
    expect(expires.code).toBe(2);
    expect(expires.stdout).toBe('');
    expect(expires.stderr).toContain('--expires must be a whole number of seconds from 600');
    const notTenant = await nodeless(
      'tenant',
      'revoke',
      '--cluster',
      'lab',
      '--namespace',
      'default',
    );
    expect(notTenant.code).toBe(2);
    expect(notTenant.stderr).toContain('--namespace "default" is not a tenant of this cluster');
    const unknown = await nodeless('tenant', 'list', '--cluster', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No cluster named "nope"');
    expect(unknown.stderr).toContain('(clusters: lab)');
  });

  it('revokes: the exported kubeconfig becomes Unauthorized', async () => {
    const file = path.join(dir, 'config');
    const r = await nodeless('tenant', 'revoke', '--cluster', 'lab', '--namespace', 'team-a');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Revoked every kubeconfig of tenant team-a on lab');
    const deadline = Date.now() + 30_000;
    let last = await cp.kubectl(['get', 'configmaps'], { kubeconfig: file });
    while (last.code === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      last = await cp.kubectl(['get', 'configmaps'], { kubeconfig: file });
    }
    expect(last.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });

  it('a tenant of two namespaces, a member with a certificate, its revocation and removal', async () => {
    const add = await nodeless(
      ...['tenant', 'add', '--cluster', 'lab', '--namespace', 'team-c'],
      ...['--namespace', 'team-c-staging', '--pods', '5'],
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain(
      'Tenant team-c on lab (namespaces team-c, team-c-staging): quota 5 pods in each namespace.',
    );
    const bad = await nodeless(
      ...['tenant', 'kubeconfig', '--cluster', 'lab', '--namespace', 'team-c'],
      ...['--credential', 'password', '--out', '-'],
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--credential: "password" is not token or certificate');
    const file = path.join(dir, 'carol');
    const r = await nodeless(
      ...['tenant', 'kubeconfig', '--cluster', 'lab', '--namespace', 'team-c'],
      ...['--member', 'carol', '--credential', 'certificate', '--expires', '2h', '--out', file],
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'certificate of carol, context lab-team-c-carol, lab-team-c-staging-carol, valid until',
    );
    const key =
      (parse(fs.readFileSync(file, 'utf8')) as { users: { user: Record<string, string> }[] })
        .users[0]?.user['client-key-data'] ?? '';
    expect(r.stderr).not.toContain(key);
    const staging = await cp.kubectl(['--context', 'lab-team-c-staging-carol', 'get', 'pods'], {
      kubeconfig: file,
    });
    expect(staging.code, staging.stderr).toBe(0);
    const list = await nodeless('tenant', 'list', '--cluster', 'lab');
    expect(list.stdout).toMatch(/team-c\s+team-c,team-c-staging\s+-\s+5\s/);
    expect(list.stdout).toMatch(/\n\nTENANT\s+MEMBER\s+CREDENTIAL\s+EXPIRES\n/);
    expect(list.stdout).toMatch(/team-c\s+carol\s+certificate\s+\d{4}-/);

    const revoke = await nodeless(
      ...['tenant', 'revoke', '--cluster', 'lab', '--namespace', 'team-c', '--member', 'carol'],
    );
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stderr).toContain('Revoked 1 kubeconfig of carol in tenant team-c on lab');
    const deadline = Date.now() + 30_000;
    let last = await cp.kubectl(['get', 'pods'], { kubeconfig: file });
    while (last.code === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      last = await cp.kubectl(['get', 'pods'], { kubeconfig: file });
    }
    expect(last.stderr).toContain(
      'User "nodeless:tenant:team-c:carol" cannot list resource "pods"',
    );

    const wrong = await nodeless(
      ...['tenant', 'remove', '--cluster', 'lab', '--namespace', 'team-c'],
      ...['--delete-namespace', 'team-a'],
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--delete-namespace "team-a" is not a namespace of tenant');
    const removed = await nodeless(
      ...['tenant', 'remove', '--cluster', 'lab', '--namespace', 'team-c'],
      ...['--delete-namespace', 'team-c-staging'],
    );
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toContain(
      'Removed tenant team-c on lab: its access, quota and kubeconfigs; kept namespace team-c; deleted team-c-staging.',
    );
    const rbac = await cp.kubectl([
      'get',
      'rolebindings,roles,resourcequotas',
      '-n',
      'team-c',
      '-o',
      'name',
    ]);
    expect(rbac.stdout.trim()).toBe('');
  });
});
