/**
 * `tenants.*` on the real control plane, the cluster imported as the app imports a kubeconfig:
 * add with a quota (in the cluster as integers rendered to quantities), list with use, a
 * kubeconfig written 0600 and merged into an existing file — never in the answer — and used by
 * the real kubectl, bad input refused with a 400 naming the field, revoke making the exported
 * token Unauthorized.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ControlPlane } from '../../testkit/src/control-plane/index.ts';
import type { RunningBackend } from '../src/backend.ts';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { client, mutate } from './support.ts';

const GIB = 1024 ** 3;
let lab: LabBackend;
let cp: ControlPlane;
let dir: string;
let backend: RunningBackend;
let clusterId: string;

beforeAll(async () => {
  lab = await startLabBackend('tenants-api');
  ({ cp, dir, backend, clusterId } = lab);
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

/** The 400's field errors of a refused call. */
async function fieldErrors(procedure: string, input: unknown): Promise<Record<string, string>> {
  const res = await mutate(backend, procedure, input);
  expect(res.status, res.body).toBe(400);
  return (JSON.parse(res.body) as { error: { data: { fieldErrors: Record<string, string> } } })
    .error.data.fieldErrors;
}

describe('tenants API', () => {
  it('adds a tenant with a quota and lists it with its use', async () => {
    const api = client(backend);
    const row = await api.tenants.add.mutate({
      clusterId,
      namespace: 'team-a',
      quota: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
      pods: 50,
    });
    expect(row).toEqual({
      namespace: 'team-a',
      namespaces: ['team-a'],
      credentials: [],
      quota: { cpuMilli: 16_000, memoryBytes: 32 * GIB },
      pods: 50,
      used: { cpuMilli: 0, memoryBytes: 0, pods: 0 },
    });
    const hard = await cp.kubectl([
      'get',
      'resourcequota',
      'nodeless-tenant',
      '-n',
      'team-a',
      '-o',
      'jsonpath={.spec.hard}',
    ]);
    expect(JSON.parse(hard.stdout)).toMatchObject({ 'limits.cpu': '16', 'limits.memory': '32Gi' });
    await api.tenants.add.mutate({ clusterId, namespace: 'team-b' });
    const list = await api.tenants.list.query({ clusterId });
    expect(list.map((t) => t.namespace)).toEqual(['team-a', 'team-b']);
    expect(list[1]).toEqual({ namespace: 'team-b', namespaces: ['team-b'], credentials: [] });
  });

  it('refuses bad and reserved names and bad sizes with a 400 naming the field', async () => {
    expect(await fieldErrors('tenants.add', { clusterId, namespace: 'kube-x' })).toEqual({
      namespace: expect.stringContaining('is reserved') as unknown,
    });
    expect(
      await fieldErrors('tenants.add', { clusterId, namespace: 'nodeless-system' }),
    ).toHaveProperty('namespace');
    expect(await fieldErrors('tenants.add', { clusterId, namespace: 'Team A' })).toHaveProperty(
      'namespace',
    );
    expect(
      await fieldErrors('tenants.add', {
        clusterId,
        namespace: 'team-c',
        quota: { cpuMilli: 0, memoryBytes: GIB },
      }),
    ).toEqual({ 'quota.cpuMilli': 'must be more than 0' });
    expect(
      await fieldErrors('tenants.kubeconfig', {
        clusterId,
        namespace: 'team-a',
        expiresSeconds: 60,
        path: path.join(dir, 'x'),
      }),
    ).toHaveProperty('expiresSeconds');
    // Not a tenant: cluster-runtime's refusal, still a 400 on the field.
    const notTenant = await fieldErrors('tenants.kubeconfig', {
      clusterId,
      namespace: 'default',
      expiresSeconds: 3600,
      path: path.join(dir, 'x'),
    });
    expect(notTenant['namespace']).toContain('is not a tenant of this cluster');
    const ok = { clusterId, namespace: 'team-a', expiresSeconds: 3600, path: path.join(dir, 'x') };
    expect(await fieldErrors('tenants.kubeconfig', { ...ok, member: 'Alice' })).toHaveProperty(
      'member',
    );
    expect(
      await fieldErrors('tenants.kubeconfig', { ...ok, credential: 'password' }),
    ).toHaveProperty('credential');
    expect(
      await fieldErrors('tenants.remove', {
        clusterId,
        namespace: 'team-a',
        deleteNamespaces: ['team-b'],
      }),
    ).toEqual({
      deleteNamespaces: expect.stringContaining('is not a namespace of tenant') as unknown,
    });
    expect(
      await fieldErrors('tenants.revoke', { clusterId, namespace: 'team-a', member: 'nobody' }),
    ).toEqual({ member: expect.stringContaining('has no kubeconfig') as unknown });
    await expect(client(backend).tenants.list.query({ clusterId: 'nope' })).rejects.toMatchObject({
      data: { httpStatus: 404 },
    });
  });

  it('writes the kubeconfig 0600 merged, never in the answer; kubectl uses it; revoke ends it', async () => {
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
    const before = Date.now();
    const res = await mutate(backend, 'tenants.kubeconfig', {
      clusterId,
      namespace: 'team-a',
      expiresSeconds: 3600,
      path: file,
    });
    expect(res.status, res.body).toBe(200);
    const answer = (JSON.parse(res.body) as { result: { data: Record<string, unknown> } }).result
      .data;
    const { expiresAt, ...rest } = answer;
    expect(rest).toEqual({
      path: file,
      merged: true,
      context: 'lab-team-a',
      contexts: ['lab-team-a'],
      member: 'default',
      credential: 'token',
    });
    expect(typeof expiresAt).toBe('string');
    const expires = Date.parse(String(expiresAt));
    expect(expires - before).toBeGreaterThan(3500_000);
    expect(expires - before).toBeLessThan(3700_000);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const token =
      (parse(fs.readFileSync(file, 'utf8')) as { users: { user: { token: string } }[] }).users
        .map((u) => u.user.token)
        .find((t) => t !== 'keep-me') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(res.body).not.toContain(token);

    const asTenant = (args: string[]) => cp.kubectl(args, { kubeconfig: file });
    const contexts = await asTenant(['config', 'get-contexts', '-o', 'name']);
    expect(contexts.stdout.split('\n').filter(Boolean).sort()).toEqual(['lab-team-a', 'other']);
    const created = await asTenant(['create', 'deployment', 'web', '--image=nginx']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('deployment.apps/web created');
    const nodes = await asTenant(['get', 'nodes']);
    expect(nodes.stderr).toContain('Error from server (Forbidden): nodes is forbidden');

    await client(backend).tenants.revoke.mutate({ clusterId, namespace: 'team-a' });
    // The API server caches successful token authentications for about 10 s.
    const deadline = Date.now() + 30_000;
    let last = '';
    while (Date.now() < deadline) {
      last = (await asTenant(['get', 'pods'])).stderr;
      if (last.includes('Unauthorized')) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(last).toContain('error: You must be logged in to the server (Unauthorized)');
  }, 120_000);

  it('exports a certificate kubeconfig for a member of a two-namespace tenant, lists it, revokes it and removes the tenant', async () => {
    const api = client(backend);
    const row = await api.tenants.add.mutate({
      clusterId,
      namespace: 'team-c',
      extraNamespaces: ['team-c-staging'],
    });
    expect(row.namespaces).toEqual(['team-c', 'team-c-staging']);
    const file = path.join(dir, 'alice.kubeconfig');
    const res = await mutate(backend, 'tenants.kubeconfig', {
      clusterId,
      namespace: 'team-c',
      member: 'alice',
      credential: 'certificate',
      expiresSeconds: 3600,
      path: file,
    });
    expect(res.status, res.body).toBe(200);
    const written = (JSON.parse(res.body) as { result: { data: Record<string, unknown> } }).result
      .data;
    expect(written).toMatchObject({
      contexts: ['lab-team-c-alice', 'lab-team-c-staging-alice'],
      member: 'alice',
      credential: 'certificate',
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key =
      (parse(fs.readFileSync(file, 'utf8')) as { users: { user: Record<string, string> }[] })
        .users[0]?.user['client-key-data'] ?? '';
    expect(key.length).toBeGreaterThan(100);
    expect(res.body).not.toContain(key);
    const asAlice = (args: string[]) => cp.kubectl(args, { kubeconfig: file });
    const staging = await asAlice(['get', 'pods', '-n', 'team-c-staging']);
    expect(staging.code, staging.stderr).toBe(0);

    const listed = (await api.tenants.list.query({ clusterId })).find(
      (t) => t.namespace === 'team-c',
    );
    expect(listed?.credentials.map(({ member, credential }) => ({ member, credential }))).toEqual([
      { member: 'alice', credential: 'certificate' },
    ]);
    expect(JSON.stringify(listed)).not.toContain('credential:');

    await api.tenants.revoke.mutate({ clusterId, namespace: 'team-c', member: 'alice' });
    const deadline = Date.now() + 30_000;
    let last = '';
    while (Date.now() < deadline) {
      last = (await asAlice(['get', 'pods'])).stderr;
      if (last.includes('Forbidden')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(last).toContain('User "nodeless:tenant:team-c:alice" cannot list resource "pods"');

    const removed = await api.tenants.remove.mutate({
      clusterId,
      namespace: 'team-c',
      deleteNamespaces: ['team-c-staging'],
    });
    expect(removed).toEqual({ namespace: 'team-c', kept: ['team-c'], deleted: ['team-c-staging'] });
    const rbac = await cp.kubectl(['get', 'rolebindings,roles', '-n', 'team-c', '-o', 'name']);
    expect(rbac.stdout.trim()).toBe('');
    expect((await api.tenants.list.query({ clusterId })).map((t) => t.namespace)).not.toContain(
      'team-c',
    );
  }, 120_000);
});
