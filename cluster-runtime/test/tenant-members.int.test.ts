/**
 * Tenants' members and credentials on the real control plane (kube-apiserver v1.36 whose
 * controller-manager signs CSRs with the cluster CA), asserting what the real kubectl prints
 * with the exported kubeconfigs: a tenant spanning two namespaces is reached in both by one
 * certificate kubeconfig and one token kubeconfig, and in nothing else; the CSR is gone after
 * the export; the record lists member, kind and expiry; revoking a member makes its
 * certificate Forbidden (it still authenticates) and its token Unauthorized, leaving the other
 * member's working; a certificate issued later to the same member works while the revoked one
 * stays Forbidden; removing the tenant leaves no RBAC, ServiceAccount or quota behind and
 * deletes only the namespace named for it. kube-sim, which serves no CSR API, is refused
 * naming the field `credential`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GIB } from '@nodeless/common';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { createKubeClient, type KubeClient } from '../src/client.ts';
import { namespaceKubeconfig } from '../src/day2/kubeconfig-export.ts';
import { podSecurityLabelled } from '../src/policies/manifest.ts';
import { writeKubeconfigFile } from '../src/kubeconfig/kubeconfig-file.ts';
import {
  addTenant,
  listTenants,
  removeTenant,
  revokeMember,
  revokeTenant,
  tenantKubeconfig,
  TenantInputError,
  type TenantKubeconfigOptions,
} from '../src/tenants/index.ts';
import { startSim } from './helpers.ts';

const T = 'team-m';
const STAGING = 'team-m-staging';
const OTHER = 'team-x';
let cp: ControlPlane;
let client: KubeClient;
let dir: string;

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
const as = (file: string, args: string[]) => cp.kubectl(args, { kubeconfig: file });
async function exportTo(name: string, o: Omit<TenantKubeconfigOptions, 'expiresSeconds'>) {
  const exported = await tenantKubeconfig(client, {
    expiresSeconds: 3600,
    clusterName: 'lab',
    ...o,
  });
  const file = (await writeKubeconfigFile(join(dir, name), exported.kubeconfig)).path;
  return { file, exported };
}
/** Polls until the credential in `file` is refused for `get pods` with `text` in stderr. */
const refusedWith = (file: string, text: string) =>
  until(`"${text}" for ${file}`, async () => {
    const r = await as(file, ['get', 'pods']);
    return r.code !== 0 && r.stderr.includes(text) ? r : undefined;
  });

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  client = createKubeClient(cp.kubeconfig);
  dir = await mkdtemp(join(tmpdir(), 'tenant-members-int-'));
  await addTenant(client, {
    namespace: T,
    extraNamespaces: [STAGING],
    quota: { cpuMilli: 4000, memoryBytes: 8 * GIB },
  });
  await addTenant(client, { namespace: OTHER });
}, 900_000);
afterAll(async () => {
  await cp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('members of a tenant with two namespaces', () => {
  let alice: string;
  let bob: string;

  it('a certificate kubeconfig works with the real kubectl in both namespaces and nowhere else', async () => {
    const { file, exported } = await exportTo('alice', {
      namespace: T,
      member: 'alice',
      credential: 'certificate',
    });
    alice = file;
    expect(exported.contexts).toEqual([`lab-${T}-alice`, `lab-${STAGING}-alice`]);
    expect(exported.kubeconfig).toContain('client-certificate-data');
    expect(exported.kubeconfig).not.toContain('token:');
    const whoami = await as(file, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo}']);
    expect(whoami.stdout).toContain(`"username":"nodeless:tenant:${T}:alice"`);
    expect((await as(file, ['create', 'configmap', 'a'])).stdout).toContain('configmap/a created');
    const staging = await as(file, [
      '--context',
      `lab-${STAGING}-alice`,
      'create',
      'configmap',
      'b',
    ]);
    expect(staging.code, staging.stderr).toBe(0);
    expect(staging.stdout).toContain('configmap/b created');
    const other = await as(file, ['get', 'pods', '-n', OTHER]);
    expect(other.stderr).toContain(
      `Error from server (Forbidden): pods is forbidden: User "nodeless:tenant:${T}:alice" cannot list resource "pods" in API group "" in the namespace "${OTHER}"`,
    );
    const nodes = await as(file, ['get', 'nodes']);
    expect(nodes.stderr).toContain('Error from server (Forbidden): nodes is forbidden');
    // The same grant as the token's table of the README, in each namespace; a certificate user
    // is no ServiceAccount, so it lacks the issuer-discovery URLs.
    const readme = await readFile(new URL('../src/tenants/README.md', import.meta.url), 'utf8');
    const table = /<!-- can-i:begin -->\s*```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const openid = (l: string) => l.includes('openid');
    for (const ns of [T, STAGING]) {
      const canI = await as(file, ['auth', 'can-i', '--list', '-n', ns]);
      expect(canI.code, canI.stderr).toBe(0);
      expect(rows(canI.stdout)).toEqual(rows(table).filter((l) => !openid(l)));
    }
    // The certificate came from the CSR API; the request does not linger.
    const csrs = await cp.kubectl(['get', 'csr', '-o', 'name']);
    expect(csrs.stdout).not.toContain('nodeless-tenant');
  });

  it('a token kubeconfig reaches both namespaces too', async () => {
    const { file, exported } = await exportTo('bob', { namespace: T, member: 'bob' });
    bob = file;
    expect(exported.credential).toBe('token');
    const r = await as(file, ['get', 'configmap', 'b', '-n', STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect((await as(file, ['get', 'pods', '-n', OTHER])).stderr).toContain(
      `User "system:serviceaccount:${T}:nodeless-tenant" cannot list resource "pods"`,
    );
  });

  it("the app's namespace export of a tenant namespace keeps the tenant's bindings and record", async () => {
    const r = await namespaceKubeconfig({
      adminKubeconfig: cp.kubeconfig,
      clusterName: 'lab',
      namespace: STAGING,
      expirationSeconds: 3600,
    });
    expect(r.context).toBe(`lab-${STAGING}`);
    expect(r.kubeconfig).toContain(`current-context: lab-${STAGING}`);
    // Alice's certificate is still bound, the namespace still the tenant's.
    expect((await as(alice, ['get', 'pods', '-n', STAGING])).code).toBe(0);
    const label = await cp.kubectl(['get', 'ns', STAGING, '-o', 'jsonpath={.metadata.labels}']);
    expect(label.stdout).toContain(`"nodeless.dev/tenant":"${T}"`);
    const sas = await cp.kubectl(['get', 'serviceaccounts', '-n', STAGING, '-o', 'name']);
    expect(sas.stdout.trim()).toBe('serviceaccount/default');
    const tenant = (await listTenants(client)).find((t) => t.namespace === T);
    expect(tenant?.credentials.map((c) => c.member).sort()).toEqual(['alice', 'bob', 'default']);
  });

  it("keeps the tenant label when the baseline applies the namespaces' Pod Security labels", async () => {
    for (const o of podSecurityLabelled([T, STAGING])) await client.apply(o);
    for (const ns of [T, STAGING]) {
      const r = await cp.kubectl(['get', 'ns', ns, '-o', 'jsonpath={.metadata.labels}']);
      expect(r.stdout).toContain(`"nodeless.dev/tenant":"${T}"`);
      expect(r.stdout).toContain('"pod-security.kubernetes.io/enforce":"baseline"');
    }
  });

  it('lists the namespaces and what was handed out, nothing secret', async () => {
    const tenant = (await listTenants(client)).find((t) => t.namespace === T);
    expect(tenant?.namespaces).toEqual([T, STAGING]);
    expect(tenant?.quota).toEqual({ cpuMilli: 4000, memoryBytes: 8 * GIB });
    const byMember = Object.fromEntries(
      (tenant?.credentials ?? []).map((c) => [c.member, c.credential]),
    );
    expect(byMember).toEqual({ alice: 'certificate', bob: 'token', default: 'token' });
    for (const c of tenant?.credentials ?? []) {
      const left = Date.parse(c.expiresAt) - Date.now();
      expect(left).toBeGreaterThan(50 * 60_000);
      expect(left).toBeLessThanOrEqual(61 * 60_000);
    }
  });

  it("revoking a member stops its certificate (403) and keeps the other's token", async () => {
    await expect(revokeMember(client, { namespace: T, member: 'alice' })).resolves.toEqual({
      revoked: 1,
    });
    const refused = await refusedWith(alice, 'Error from server (Forbidden)');
    expect(refused.stderr).toContain(
      `User "nodeless:tenant:${T}:alice" cannot list resource "pods"`,
    );
    const still = await as(bob, ['get', 'pods']);
    expect(still.code, still.stderr).toBe(0);
    // A new certificate for the same member works; the revoked one stays refused.
    const again = await exportTo('alice-2', {
      namespace: T,
      member: 'alice',
      credential: 'certificate',
    });
    expect((await as(again.file, ['get', 'pods'])).code).toBe(0);
    expect((await as(alice, ['get', 'pods'])).stderr).toContain('Forbidden');
    alice = again.file;
    await expect(revokeMember(client, { namespace: T, member: 'carol' })).rejects.toThrow(
      /^member: "carol" has no kubeconfig/,
    );
  });

  it('revoking a token member makes its token Unauthorized', async () => {
    await revokeMember(client, { namespace: T, member: 'bob' });
    await refusedWith(bob, 'error: You must be logged in to the server (Unauthorized)');
    expect((await as(alice, ['get', 'pods'])).code).toBe(0);
  });

  it('revoking the tenant stops its certificates too', async () => {
    await revokeTenant(client, T);
    await refusedWith(alice, 'Error from server (Forbidden)');
    expect((await listTenants(client)).find((t) => t.namespace === T)?.credentials).toEqual([]);
  });

  it('refuses a namespace of another tenant naming the field', async () => {
    const e = await addTenant(client, { namespace: T, extraNamespaces: [OTHER] }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(TenantInputError);
    expect((e as TenantInputError).field).toBe('extraNamespaces');
    expect((e as TenantInputError).message).toContain(`"${OTHER}" belongs to tenant "${OTHER}"`);
  });

  it('removing the tenant leaves no RBAC, ServiceAccount or quota; deletes only what was named', async () => {
    await expect(removeTenant(client, { namespace: T, deleteNamespaces: [OTHER] })).rejects.toThrow(
      /^deleteNamespaces: "team-x" is not a namespace of tenant "team-m"/,
    );
    const { file: carol } = await exportTo('carol', {
      namespace: T,
      member: 'carol',
      credential: 'certificate',
    });
    expect((await as(carol, ['get', 'pods'])).code).toBe(0);
    await expect(
      removeTenant(client, { namespace: T, deleteNamespaces: [STAGING] }),
    ).resolves.toEqual({
      kept: [T],
      deleted: [STAGING],
    });
    const left = await cp.kubectl([
      'get',
      'rolebindings,roles,serviceaccounts,resourcequotas,secrets',
      '-n',
      T,
      '-o',
      'name',
    ]);
    // Only what the cluster itself puts into every namespace.
    expect(left.stdout.trim().split('\n').sort()).toEqual(['serviceaccount/default']);
    const ns = await cp.kubectl(['get', 'namespace', T, '-o', 'jsonpath={.metadata.labels}']);
    expect(ns.stdout).not.toContain('nodeless.dev/tenant');
    const staging = await cp.kubectl([
      'get',
      'namespace',
      STAGING,
      '-o',
      'jsonpath={.status.phase}',
    ]);
    expect(staging.stdout === 'Terminating' || staging.stderr.includes('NotFound')).toBe(true);
    expect((await listTenants(client)).map((t) => t.namespace)).toEqual([OTHER]);
    await refusedWith(carol, 'Error from server (Forbidden)');
    expect((await as(carol, ['get', 'pods', '-n', OTHER])).stderr).toContain('Forbidden');
  });
});

describe('a cluster without the CSR API (kube-sim)', () => {
  it('refuses a certificate kubeconfig naming the field, making nothing', async () => {
    const env = await startSim();
    try {
      const sim = createKubeClient(env.sim.kubeconfig);
      await addTenant(sim, { namespace: 'team-s' });
      const e = await tenantKubeconfig(sim, {
        namespace: 'team-s',
        member: 'alice',
        credential: 'certificate',
        expiresSeconds: 3600,
      }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TenantInputError);
      expect((e as TenantInputError).field).toBe('credential');
      expect((e as TenantInputError).message).toContain(
        'does not serve the CertificateSigningRequest API',
      );
      expect((await listTenants(sim))[0]?.credentials).toEqual([]);
      // Tokens work there.
      const token = await tenantKubeconfig(sim, { namespace: 'team-s', expiresSeconds: 3600 });
      expect(token.credential).toBe('token');
    } finally {
      await env.stop();
    }
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
