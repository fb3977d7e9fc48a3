/**
 * Tenants on the real control plane (kube-apiserver v1.36 with the serverless policies of the
 * baseline step), each case asserting what the real kubectl prints with the tenant's exported
 * kubeconfig: it creates a Deployment whose pods get sized and sandboxed; it is Forbidden for
 * nodes, another namespace's pods and kube-system's secrets; its quota refuses a pod naming
 * the quota; `kubectl auth can-i --list` is the table of src/tenants/README.md; revoking makes
 * the exported token Unauthorized while a new export works.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GIB } from '@nodeless/common';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { baselineSteps } from '../src/baseline/steps.ts';
import { createKubeClient, type KubeClient } from '../src/client.ts';
import { writeKubeconfigFile } from '../src/kubeconfig/kubeconfig-file.ts';
import { SIZE_LABEL } from '../src/policies/manifest.ts';
import {
  addTenant,
  listTenants,
  revokeTenant,
  tenantKubeconfig,
  TenantInputError,
} from '../src/tenants/index.ts';
import { runSteps } from './helpers.ts';

const NS = 'team-a';
const OTHER = 'team-b';
let cp: ControlPlane;
let client: KubeClient;
let dir: string;
let tenantFile: string;

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
const asTenant = (args: string[], input?: string, file = tenantFile) =>
  cp.kubectl(args, { kubeconfig: file, ...(input === undefined ? {} : { input }) });

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, node: { cpus: 12, memoryGiB: 48 }, metrics: false });
  await runSteps(
    baselineSteps({
      kubeconfig: () => cp.kubeconfig,
      sandboxes: ['kata-clh'],
      sandbox: 'kata-clh',
      expectedNodes: 1,
    }),
  );
  client = createKubeClient(cp.kubeconfig);
  dir = await mkdtemp(join(tmpdir(), 'tenants-int-'));
  await addTenant(client, {
    namespace: NS,
    quota: { cpuMilli: 4000, memoryBytes: 8 * GIB },
    pods: 10,
  });
  await addTenant(client, { namespace: OTHER });
  // The sizing policy reaches admission through informers: wait until it sizes a dry run.
  await until('the policies to size pods in the tenant namespace', async () => {
    const r = await cp.kubectl(['create', '-n', NS, '--dry-run=server', '-o', 'json', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'probe' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      }),
    });
    const p = JSON.parse(r.stdout || '{}') as V1Pod;
    return p.metadata?.labels?.[SIZE_LABEL] ? true : undefined;
  });
  const exported = await tenantKubeconfig(client, {
    namespace: NS,
    expiresSeconds: 3600,
    clusterName: 'lab',
  });
  tenantFile = (await writeKubeconfigFile(join(dir, 'tenant.kubeconfig'), exported.kubeconfig))
    .path;
}, 900_000);
afterAll(async () => {
  await cp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a tenant kubeconfig with the real kubectl', () => {
  it('is written 0600 with the namespace in its context', async () => {
    expect((await stat(tenantFile)).mode & 0o777).toBe(0o600);
    const r = await asTenant(['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0]}']);
    expect(r.stdout).toContain('"namespace":"team-a"');
    expect(r.stdout).toContain('"name":"lab-team-a"');
  });

  it('creates a Deployment in its namespace whose pods are sized and sandboxed', async () => {
    const r = await asTenant(['create', 'deployment', 'web', '--image=nginx']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deployment.apps/web created');
    const pod = await until('the Deployment to have a pod', async () => {
      const list = await asTenant(['get', 'pods', '-l', 'app=web', '-o', 'json']);
      const items = (JSON.parse(list.stdout || '{}') as { items?: V1Pod[] }).items ?? [];
      return items[0];
    });
    expect(pod.metadata?.namespace).toBe(NS);
    expect(pod.spec?.runtimeClassName).toBe('kata-clh');
    expect(pod.metadata?.labels?.[SIZE_LABEL]).toBeTruthy();
  });

  it('cannot list nodes', async () => {
    const r = await asTenant(['get', 'nodes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden): nodes is forbidden');
    expect(r.stderr).toContain('cannot list resource "nodes" in API group "" at the cluster scope');
  });

  it("cannot list another namespace's pods", async () => {
    const r = await asTenant(['get', 'pods', '-n', OTHER]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:${NS}:nodeless-tenant" cannot list resource "pods" in API group "" in the namespace "${OTHER}"`,
    );
  });

  it("cannot read kube-system's secrets", async () => {
    const r = await asTenant(['get', 'secrets', '-n', 'kube-system']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden): secrets is forbidden');
    expect(r.stderr).toContain('in the namespace "kube-system"');
  });

  it('cannot exceed its quota: the refusal names the quota', async () => {
    const big = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big' },
      spec: {
        containers: [
          { name: 'c', image: 'nginx', resources: { requests: { cpu: '4', memory: '4Gi' } } },
        ],
      },
    };
    const r = await asTenant(['create', '-f', '-'], JSON.stringify(big));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pods "big" is forbidden: exceeded quota: nodeless-tenant');
    expect(r.stderr).toContain('limits.cpu');
  });

  it('kubectl auth can-i --list is the table of src/tenants/README.md', async () => {
    const r = await asTenant(['auth', 'can-i', '--list']);
    expect(r.code, r.stderr).toBe(0);
    const readme = await readFile(new URL('../src/tenants/README.md', import.meta.url), 'utf8');
    const table = /<!-- can-i:begin -->\s*```text\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!table) throw new Error('README.md has no can-i table');
    expect(rows(r.stdout)).toEqual(rows(table));
    const elsewhere = await asTenant(['auth', 'can-i', '--list', '-n', OTHER]);
    const resources = rows(elsewhere.stdout).filter(
      (l) => !l.startsWith('[') && !l.startsWith('Resources'),
    );
    expect(resources.map((l) => l.split(' ')[0]).sort()).toEqual([
      'selfsubjectaccessreviews.authorization.k8s.io',
      'selfsubjectreviews.authentication.k8s.io',
      'selfsubjectrulesreviews.authorization.k8s.io',
    ]);
  });

  it('lists the tenants with their quota and use', async () => {
    const tenants = await listTenants(client);
    expect(tenants.map((t) => t.namespace)).toEqual([NS, OTHER]);
    expect(tenants[0]).toMatchObject({
      quota: { cpuMilli: 4000, memoryBytes: 8 * GIB },
      pods: 10,
    });
    expect(tenants[1]?.quota).toBeUndefined();
  });

  it('refuses a reserved or invalid namespace naming the field', async () => {
    await expect(addTenant(client, { namespace: 'kube-team' })).rejects.toThrow(
      /^namespace: "kube-team" is reserved/,
    );
    await expect(
      tenantKubeconfig(client, { namespace: 'default', expiresSeconds: 3600 }),
    ).rejects.toBeInstanceOf(TenantInputError);
  });

  it('stops working after revocation; a new export works', async () => {
    const before = await asTenant(['get', 'pods']);
    expect(before.code, before.stderr).toBe(0);
    const revoked = await revokeTenant(client, NS);
    expect(revoked.uid).toBeTruthy();
    expect(revoked.uid).not.toBe(revoked.revokedUid);
    const refused = await until(
      'the old token to be refused',
      async () => {
        const r = await asTenant(['get', 'pods']);
        return r.code !== 0 ? r : undefined;
      },
      30_000,
    );
    expect(refused.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    const fresh = await tenantKubeconfig(client, { namespace: NS, expiresSeconds: 600 });
    const file = (await writeKubeconfigFile(join(dir, 'fresh.kubeconfig'), fresh.kubeconfig)).path;
    const again = await asTenant(['get', 'deployments'], undefined, file);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('web');
  });
});

/** kubectl's table as a set of rows, whitespace-insensitive. */
function rows(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).join(' '))
    .filter((l) => l !== '')
    .sort();
}
