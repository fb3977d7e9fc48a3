/**
 * Tenants: a namespace with a quota in specs, a Role without nodes, cluster-scoped objects or
 * other namespaces (../day2/tenant-rbac.ts), and kubeconfigs holding ServiceAccount tokens from
 * the TokenRequest API with an expiry the user picks. What the grant allows is tabled in
 * ./README.md (the integration test compares it with `kubectl auth can-i --list`).
 *
 * Revoking deletes and recreates the tenant's ServiceAccount: bound tokens carry the
 * ServiceAccount's uid and the API server refuses them once no ServiceAccount with that uid
 * exists, so every token handed out before stops working, within the API server's 10 s cache
 * of successful token authentications. Legacy token Secrets of the old ServiceAccount are
 * deleted by the token controller with it. Kubeconfigs exported afterwards work again.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume
 * @see https://kubernetes.io/docs/concepts/security/service-accounts/#authenticating-credentials
 */
import type { V1Namespace, V1ResourceQuota, V1ServiceAccount } from '@kubernetes/client-node';
import { quantityMilliValue, quantityValue } from '@nodeless/common';
import { RESOURCES, type KubeClient } from '../client.ts';
import { tenantAccessObjects } from '../day2/tenant-rbac.ts';
import { assertTenantNamespace, TenantInputError } from './names.ts';
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
import { serviceAccountKubeconfig, type TenantKubeconfig } from './token-kubeconfig.ts';

const RESOURCE_QUOTA = { apiVersion: 'v1', kind: 'ResourceQuota' } as const;

/** TokenRequest's own minimum (10 minutes). */
export const TOKEN_MIN_SECONDS = 600;
/** A year: longer-lived credentials belong in the x509 path, not in a bearer token. */
export const TOKEN_MAX_SECONDS = 365 * 24 * 3600;

export interface AddTenantOptions extends TenantLimits {
  namespace: string;
  signal?: AbortSignal;
}

/**
 * Creates or updates a tenant (server-side apply, field manager `nodeless`, idempotent): the
 * Namespace, its ResourceQuota when there is a limit, the ServiceAccount, Role and RoleBinding.
 */
export async function addTenant(client: KubeClient, options: AddTenantOptions): Promise<void> {
  const { namespace, signal } = options;
  assertTenantNamespace(namespace);
  validateLimits(options);
  await client.apply(tenantNamespaceObject(namespace), { signal });
  const quota = tenantQuotaObject(namespace, options);
  if (quota) await client.apply(quota, { signal });
  for (const o of tenantAccessObjects(namespace, TENANT_SERVICE_ACCOUNT)) {
    await client.apply(o, { signal });
  }
}

async function requireTenant(client: KubeClient, namespace: string, signal?: AbortSignal) {
  assertTenantNamespace(namespace);
  const ns = await client.get<V1Namespace>(RESOURCES.namespaces, namespace, undefined, signal);
  if (ns?.metadata?.labels?.[TENANT_LABEL] !== namespace) {
    throw new TenantInputError(
      'namespace',
      `"${namespace}" is not a tenant of this cluster; add it first (nodeless tenant add)`,
    );
  }
}

export interface TenantKubeconfigOptions {
  namespace: string;
  /** Token lifetime, within [TOKEN_MIN_SECONDS, TOKEN_MAX_SECONDS]; the server may shorten it. */
  expiresSeconds: number;
  /** Names the cluster, context and user entries; default the client's current cluster's name. */
  clusterName?: string;
  signal?: AbortSignal;
}

/**
 * A kubeconfig for the tenant's ServiceAccount: a fresh token from the TokenRequest API, the
 * client's API server and CA, context `<cluster>-<namespace>` with the namespace set.
 */
export async function tenantKubeconfig(
  client: KubeClient,
  options: TenantKubeconfigOptions,
): Promise<TenantKubeconfig> {
  const { namespace, expiresSeconds, signal } = options;
  if (
    !Number.isSafeInteger(expiresSeconds) ||
    expiresSeconds < TOKEN_MIN_SECONDS ||
    expiresSeconds > TOKEN_MAX_SECONDS
  ) {
    throw new TenantInputError(
      'expiresSeconds',
      `must be a whole number of seconds from ${TOKEN_MIN_SECONDS} (10 minutes) to ${TOKEN_MAX_SECONDS} (a year)`,
    );
  }
  await requireTenant(client, namespace, signal);
  const sa = TENANT_SERVICE_ACCOUNT;
  // A revoke interrupted between delete and create leaves no ServiceAccount: put it back.
  if (!(await client.get(RESOURCES.serviceAccounts, sa, namespace, signal))) {
    for (const o of tenantAccessObjects(namespace, sa)) await client.apply(o, { signal });
  }
  return serviceAccountKubeconfig(client, {
    namespace,
    serviceAccount: sa,
    expiresSeconds,
    clusterName: options.clusterName,
    signal,
  });
}

/**
 * Revokes every token of the tenant: deletes the ServiceAccount (precondition on its uid, so a
 * concurrent recreate is not deleted twice) and applies it again with a new uid.
 */
export async function revokeTenant(
  client: KubeClient,
  namespace: string,
  signal?: AbortSignal,
): Promise<{ revokedUid: string | undefined; uid: string | undefined }> {
  await requireTenant(client, namespace, signal);
  const sa = TENANT_SERVICE_ACCOUNT;
  const old = await client.get<V1ServiceAccount>(RESOURCES.serviceAccounts, sa, namespace, signal);
  const revokedUid = old?.metadata?.uid;
  if (revokedUid) {
    await client.delete(RESOURCES.serviceAccounts, sa, namespace, { uid: revokedUid, signal });
  }
  const [account] = tenantAccessObjects(namespace, sa);
  const created = await client.apply(account, { signal });
  return { revokedUid, uid: created.metadata?.uid };
}

export interface TenantView {
  namespace: string;
  quota?: TenantQuota;
  pods?: number;
  /** What the tenant's pods take now (the quota's status), when there is a quota. */
  used?: { cpuMilli: number; memoryBytes: number; pods: number };
}

/** Every tenant namespace of the cluster with its quota and use, by name. */
export async function listTenants(client: KubeClient, signal?: AbortSignal): Promise<TenantView[]> {
  const { items } = await client.list<V1Namespace>(RESOURCES.namespaces, {
    labelSelector: TENANT_LABEL,
    signal,
  });
  const out: TenantView[] = [];
  for (const ns of items) {
    const namespace = ns.metadata?.name ?? '';
    if (ns.metadata?.labels?.[TENANT_LABEL] !== namespace) continue;
    const rq = await client.get<V1ResourceQuota>(RESOURCE_QUOTA, TENANT_QUOTA, namespace, signal);
    out.push({ namespace, ...quotaView(rq) });
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace));
}

function quotaView(rq: V1ResourceQuota | undefined): Omit<TenantView, 'namespace'> {
  const hard = rq?.spec?.hard;
  if (!hard) return {};
  const used = rq.status?.used ?? {};
  const cpu = hard['limits.cpu'];
  const memory = hard['limits.memory'];
  const pods = hard['pods'];
  return {
    ...(cpu && memory
      ? { quota: { cpuMilli: quantityMilliValue(cpu), memoryBytes: quantityValue(memory) } }
      : {}),
    ...(pods ? { pods: quantityValue(pods) } : {}),
    used: {
      cpuMilli: quantityMilliValue(used['limits.cpu'] ?? '0'),
      memoryBytes: quantityValue(used['limits.memory'] ?? '0'),
      pods: quantityValue(used['pods'] ?? '0'),
    },
  };
}
