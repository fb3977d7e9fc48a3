/**
 * kubeconfig export (DESIGN.md §5): the admin kubeconfig (k3s.yaml rewritten for the desktop),
 * or a namespace-scoped one — a ServiceAccount bound to the tenant Role with a bounded-lifetime
 * token from the TokenRequest API. Tokens never reach logs.
 *
 * @see https://docs.k3s.io/cluster-access
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { isTenantNamespace, K3S_API_PORT, serverUrl } from '@nodeless/common';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { createKubeClient, RESOURCES, type KubeClient } from '../client.ts';
import { rewriteK3sKubeconfig } from '../kubeconfig/k3s-kubeconfig.ts';
import { TENANT_LABEL, TENANT_SERVICE_ACCOUNT } from '../tenants/objects.ts';
import { tenantKubeconfig } from '../tenants/tenant-kubeconfig.ts';
import { serviceAccountKubeconfig } from '../tenants/token-kubeconfig.ts';
import { tenantAccessObjects } from './tenant-rbac.ts';

export { writeKubeconfigFile, type KubeconfigFileSystem } from '../kubeconfig/kubeconfig-file.ts';

/**
 * Why `namespace` cannot be a tenant's, or undefined when it can. Tenant namespaces are every
 * namespace but `kube-*` and `nodeless-system` (DESIGN.md §5): those run the cluster itself
 * under runc and outside the tenant admission rules, so a tenant grant there (or creating one
 * of them as a "tenant" namespace) would hand out the system.
 */
export function reservedNamespaceProblem(namespace: string): string | undefined {
  if (!isTenantNamespace(namespace)) {
    return `"${namespace}" is reserved for the system (kube-* and ${SYSTEM_NAMESPACE}); choose a tenant namespace`;
  }
  return undefined;
}

/** Thrown for a reserved namespace; the message completes "namespace: …". */
export class ReservedNamespaceError extends Error {
  override readonly name = 'ReservedNamespaceError';
}

/** The admin kubeconfig: k3s.yaml with the reachable server and names after the cluster. */
export function adminKubeconfig(
  k3sYaml: string,
  clusterName: string,
  serverAddress: string,
  port = K3S_API_PORT,
): string {
  return rewriteK3sKubeconfig(k3sYaml, clusterName, serverUrl(serverAddress, port));
}

export interface NamespaceExportOptions {
  /** Admin kubeconfig used to create the grant and request the token. */
  adminKubeconfig: string;
  clusterName: string;
  namespace: string;
  /** Default `nodeless-tenant`. */
  serviceAccount?: string;
  /** Token lifetime; default 7 days. The API server may shorten it. */
  expirationSeconds?: number;
  /** Create the namespace when missing (default true). */
  createNamespace?: boolean;
  signal?: AbortSignal;
  client?: (kubeconfig: string) => KubeClient;
}

/**
 * Grants the tenant Role in `namespace` to a ServiceAccount (server-side apply, idempotent) and
 * returns a kubeconfig holding a fresh token for it, context `<cluster>-<namespace>`.
 *
 * A namespace of a tenant (../tenants) is exported as the tenant's default member instead:
 * applying the plain grant there would replace the tenant's RoleBinding (its certificates'
 * groups and the record of its kubeconfigs) with a binding of one ServiceAccount.
 */
export async function namespaceKubeconfig(
  options: NamespaceExportOptions,
): Promise<{ kubeconfig: string; expiresAt: string; context: string }> {
  const { namespace, signal } = options;
  const reserved = reservedNamespaceProblem(namespace);
  if (reserved) throw new ReservedNamespaceError(reserved);
  const client = (options.client ?? createKubeClient)(options.adminKubeconfig);
  const serviceAccount = options.serviceAccount ?? 'nodeless-tenant';
  // Read first: applying a tenant's Namespace without its label (same field manager) would
  // take the label off.
  const existing = await client.get<V1Namespace>(
    RESOURCES.namespaces,
    namespace,
    undefined,
    signal,
  );
  const tenant = existing?.metadata?.labels?.[TENANT_LABEL];
  if (tenant && serviceAccount === TENANT_SERVICE_ACCOUNT) {
    return tenantKubeconfig(client, {
      namespace: tenant,
      currentNamespace: namespace,
      expiresSeconds: options.expirationSeconds ?? 7 * 24 * 3600,
      clusterName: options.clusterName,
      signal,
    });
  }
  if ((options.createNamespace ?? true) && !tenant) {
    const ns: V1Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...MANAGED_BY } },
    };
    await client.apply(ns, { signal });
  }
  for (const o of tenantAccessObjects(namespace, serviceAccount)) await client.apply(o, { signal });
  return serviceAccountKubeconfig(client, {
    namespace,
    serviceAccount,
    expiresSeconds: options.expirationSeconds ?? 7 * 24 * 3600,
    clusterName: options.clusterName,
    signal,
  });
}
