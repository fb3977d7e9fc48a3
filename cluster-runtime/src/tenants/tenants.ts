/**
 * Tenants: one or more namespaces, each with a quota in specs, a Role without nodes,
 * cluster-scoped objects or other namespaces (../day2/tenant-rbac.ts), bound to the tenant's
 * identities in every one of its namespaces (./access.ts), so one kubeconfig reaches all of
 * them. A tenant is named after its home namespace, which holds its ServiceAccount and the
 * record of its members' kubeconfigs. What the grant allows is tabled in ./README.md (the
 * integration test compares it with `kubectl auth can-i --list`).
 *
 * Kubeconfigs: ./tenant-kubeconfig.ts. Revocation: ./revoke.ts.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
import type { V1Namespace, V1ResourceQuota, V1Secret } from '@kubernetes/client-node';
import { quantityMilliValue, quantityValue } from '@nodeless/common';
import { RESOURCES, type KubeClient } from '../client.ts';
import { TENANT_ROLE } from '../day2/tenant-rbac.ts';
import {
  CREDENTIAL_LABEL,
  TENANT_BINDING,
  tenantRoleObject,
  tenantServiceAccountObject,
  type CredentialRecord,
} from './access.ts';
import { readCredentialRecords, requireTenant, updateCredentialRecords } from './members.ts';
import { assertTenantNamespace, tenantNamespaceProblem, TenantInputError } from './names.ts';
import {
  TENANT_LABEL,
  TENANT_QUOTA,
  TENANT_SERVICE_ACCOUNT,
  tenantNamespaceObject,
  tenantQuotaObject,
  validateLimits,
  type TenantLimits,
  type TenantQuota,
} from './objects.ts';

/** The field manager of the tenant's Namespace labels. */
export const TENANT_FIELD_MANAGER = 'nodeless-tenants';
export const RESOURCE_QUOTA = { apiVersion: 'v1', kind: 'ResourceQuota' } as const;
export const SECRET = { apiVersion: 'v1', kind: 'Secret' } as const;

export interface AddTenantOptions extends TenantLimits {
  /** The tenant's name and home namespace. */
  namespace: string;
  /** Further namespaces of the tenant, each with the same quota (a quota is per namespace). */
  extraNamespaces?: readonly string[] | undefined;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * Creates or updates a tenant (server-side apply, field manager `nodeless`, idempotent): per
 * namespace the Namespace, its ResourceQuota when there is a limit, the Role and RoleBinding;
 * the ServiceAccount in the home namespace. Adding namespaces to an existing tenant keeps its
 * kubeconfigs working (the new namespaces bind the same identities). A namespace of another
 * tenant is refused naming the field.
 */
export async function addTenant(client: KubeClient, options: AddTenantOptions): Promise<void> {
  const { namespace: tenant, signal } = options;
  assertTenantNamespace(tenant);
  const extra = [...new Set(options.extraNamespaces ?? [])].filter((n) => n !== tenant);
  for (const ns of extra) {
    const problem = tenantNamespaceProblem(ns);
    if (problem) throw new TenantInputError('extraNamespaces', problem);
  }
  validateLimits(options);
  for (const [field, ns] of [
    ['namespace', tenant] as const,
    ...extra.map((n) => ['extraNamespaces', n] as const),
  ]) {
    const existing = await client.get<V1Namespace>(RESOURCES.namespaces, ns, undefined, signal);
    const owner = existing?.metadata?.labels?.[TENANT_LABEL];
    if (owner !== undefined && owner !== tenant) {
      throw new TenantInputError(
        field,
        `"${ns}" belongs to tenant "${owner}"; remove it there first`,
      );
    }
  }
  const namespaces = [tenant, ...extra];
  for (const ns of namespaces) {
    // Its own field manager: the baseline applies every Namespace's Pod Security labels as
    // `nodeless`, which would remove a tenant label that `nodeless` had applied.
    await client.apply(tenantNamespaceObject(ns, tenant), {
      fieldManager: TENANT_FIELD_MANAGER,
      signal,
    });
    const quota = tenantQuotaObject(ns, options);
    if (quota) await client.apply(quota, { signal });
    await client.apply(tenantRoleObject(ns), { signal });
  }
  await client.apply(tenantServiceAccountObject(tenant), { signal });
  // The bindings of every namespace, with the certificates already handed out.
  const all = await requireTenant(client, tenant, signal);
  await updateCredentialRecords(client, {
    tenant,
    namespaces: all,
    update: (live) => live,
    now: (options.now ?? (() => new Date()))(),
    signal,
  });
}

export interface TenantView {
  /** The tenant's name: its home namespace. */
  namespace: string;
  /** All its namespaces, home first. */
  namespaces: string[];
  /** The quota of each namespace (the home namespace's; every namespace gets the same). */
  quota?: TenantQuota;
  pods?: number;
  /** What the tenant's pods take now, summed over its namespaces that have a quota. */
  used?: { cpuMilli: number; memoryBytes: number; pods: number };
  /** The kubeconfigs handed out that still work (nothing secret). */
  credentials: CredentialRecord[];
}

/** Every tenant of the cluster with its namespaces, quota, use and members' kubeconfigs. */
export async function listTenants(
  client: KubeClient,
  signal?: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<TenantView[]> {
  const { items } = await client.list<V1Namespace>(RESOURCES.namespaces, {
    labelSelector: TENANT_LABEL,
    signal,
  });
  const byTenant = new Map<string, string[]>();
  for (const ns of items) {
    const name = ns.metadata?.name ?? '';
    const tenant = ns.metadata?.labels?.[TENANT_LABEL] ?? '';
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), name]);
  }
  const out: TenantView[] = [];
  for (const [tenant, names] of byTenant) {
    // A label without its home namespace is not a tenant Nodeless made.
    if (!names.includes(tenant)) continue;
    const namespaces = [tenant, ...names.filter((n) => n !== tenant).sort()];
    const quotas = await Promise.all(
      namespaces.map((ns) => client.get<V1ResourceQuota>(RESOURCE_QUOTA, TENANT_QUOTA, ns, signal)),
    );
    out.push({
      namespace: tenant,
      namespaces,
      ...limitsView(quotas[0]),
      ...usedView(quotas),
      credentials: await readCredentialRecords(client, tenant, now(), signal),
    });
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace));
}

function limitsView(rq: V1ResourceQuota | undefined): Pick<TenantView, 'quota' | 'pods'> {
  const hard = rq?.spec?.hard ?? {};
  const cpu = hard['limits.cpu'];
  const memory = hard['limits.memory'];
  const pods = hard['pods'];
  return {
    ...(cpu && memory
      ? { quota: { cpuMilli: quantityMilliValue(cpu), memoryBytes: quantityValue(memory) } }
      : {}),
    ...(pods ? { pods: quantityValue(pods) } : {}),
  };
}

function usedView(quotas: (V1ResourceQuota | undefined)[]): Pick<TenantView, 'used'> {
  const counted = quotas.filter((q) => q?.spec?.hard);
  if (counted.length === 0) return {};
  const used = { cpuMilli: 0, memoryBytes: 0, pods: 0 };
  for (const q of counted) {
    const u = q?.status?.used ?? {};
    used.cpuMilli += quantityMilliValue(u['limits.cpu'] ?? '0');
    used.memoryBytes += quantityValue(u['limits.memory'] ?? '0');
    used.pods += quantityValue(u['pods'] ?? '0');
  }
  return { used };
}

export interface RemoveTenantOptions {
  namespace: string;
  /**
   * Namespaces of the tenant to delete with everything in them, each named by the user (the
   * typed confirmation). Without it the namespaces and their workloads stay, without the
   * tenant's access, quota and label.
   */
  deleteNamespaces?: readonly string[] | undefined;
  signal?: AbortSignal;
}

/**
 * Removes a tenant: in each of its namespaces the RoleBinding first (every kubeconfig of the
 * tenant loses its access at once), then the Role, the quota and the tenant label; the token
 * Secrets and the ServiceAccount of its home namespace (its tokens stop authenticating). The
 * namespaces named in `deleteNamespaces` are deleted instead. Answers the namespaces left and
 * deleted.
 */
export async function removeTenant(
  client: KubeClient,
  options: RemoveTenantOptions,
): Promise<{ kept: string[]; deleted: string[] }> {
  const { namespace: tenant, signal } = options;
  const namespaces = await requireTenant(client, tenant, signal);
  const doomed = [...new Set(options.deleteNamespaces ?? [])];
  for (const ns of doomed) {
    if (!namespaces.includes(ns)) {
      throw new TenantInputError(
        'deleteNamespaces',
        `"${ns}" is not a namespace of tenant "${tenant}" (${namespaces.join(', ')})`,
      );
    }
  }
  for (const ns of namespaces) {
    await client.delete(RESOURCES.roleBindings, TENANT_BINDING, ns, { signal });
  }
  const { items: secrets } = await client.list<V1Secret>(SECRET, {
    namespace: tenant,
    labelSelector: CREDENTIAL_LABEL,
    signal,
  });
  for (const s of secrets) {
    await client.delete(SECRET, s.metadata?.name ?? '', tenant, { signal });
  }
  await client.delete(RESOURCES.serviceAccounts, TENANT_SERVICE_ACCOUNT, tenant, { signal });
  for (const ns of namespaces) {
    if (doomed.includes(ns)) {
      await client.delete(RESOURCES.namespaces, ns, undefined, { signal });
      continue;
    }
    await client.delete(RESOURCES.roles, TENANT_ROLE, ns, { signal });
    await client.delete(RESOURCE_QUOTA, TENANT_QUOTA, ns, { signal });
    await client.mergePatch(
      RESOURCES.namespaces,
      ns,
      { metadata: { labels: { [TENANT_LABEL]: null } } },
      undefined,
      signal,
    );
  }
  return { kept: namespaces.filter((n) => !doomed.includes(n)), deleted: doomed };
}
