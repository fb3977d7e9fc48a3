/**
 * kubeconfig export (DESIGN.md §5): the admin kubeconfig (k3s.yaml rewritten for the desktop),
 * or a namespace-scoped one — a ServiceAccount bound to the tenant Role with a bounded-lifetime
 * token from the TokenRequest API. Tokens never reach logs.
 *
 * @see https://docs.k3s.io/cluster-access
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { K3S_API_PORT, serverUrl } from '@nodeless/common';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { createKubeClient, RESOURCES, type KubeClient } from '../client.ts';
import {
  emitKubeconfig,
  parseKubeconfig,
  type Kubeconfig,
  rewriteK3sKubeconfig,
} from '../kubeconfig/k3s-kubeconfig.ts';
import { tenantAccessObjects } from './tenant-rbac.ts';

export { writeKubeconfigFile, type KubeconfigFileSystem } from '../kubeconfig/kubeconfig-file.ts';

/**
 * Why `namespace` cannot be a tenant's, or undefined when it can. Tenant namespaces are every
 * namespace but `kube-*` and `nodeless-system` (DESIGN.md §5): those run the cluster itself
 * under runc and outside the tenant admission rules, so a tenant grant there (or creating one
 * of them as a "tenant" namespace) would hand out the system.
 */
export function reservedNamespaceProblem(namespace: string): string | undefined {
  if (namespace === SYSTEM_NAMESPACE || namespace.startsWith('kube-')) {
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

interface TokenRequestStatus {
  status?: { token?: string; expirationTimestamp?: string };
}

/** The current context's cluster entry (server, CA) of a kubeconfig. */
function currentCluster(text: string): Kubeconfig['clusters'][number] {
  const config = parseKubeconfig(text);
  const contextName = config['current-context'];
  const context = config.contexts.find((c) => c.name === contextName) ?? config.contexts[0];
  const cluster = config.clusters.find((c) => c.name === context?.context.cluster);
  if (!cluster) throw new Error('the admin kubeconfig has no cluster for its current context');
  return cluster;
}

/**
 * Grants the tenant Role in `namespace` to a ServiceAccount (server-side apply, idempotent) and
 * returns a kubeconfig holding a fresh token for it, context `<cluster>-<namespace>`.
 */
export async function namespaceKubeconfig(
  options: NamespaceExportOptions,
): Promise<{ kubeconfig: string; expiresAt: string; context: string }> {
  const { namespace, signal } = options;
  const reserved = reservedNamespaceProblem(namespace);
  if (reserved) throw new ReservedNamespaceError(reserved);
  const client = (options.client ?? createKubeClient)(options.adminKubeconfig);
  const serviceAccount = options.serviceAccount ?? 'nodeless-tenant';
  if (options.createNamespace ?? true) {
    const ns: V1Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...MANAGED_BY } },
    };
    await client.apply(ns, { signal });
  }
  for (const o of tenantAccessObjects(namespace, serviceAccount)) await client.apply(o, { signal });
  const seconds = options.expirationSeconds ?? 7 * 24 * 3600;
  const answer = await client.createSubresource<TokenRequestStatus>(
    RESOURCES.serviceAccounts,
    serviceAccount,
    namespace,
    'token',
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: seconds },
    },
    signal,
  );
  const token = answer.status?.token;
  if (!token) throw new Error('the API server returned no token for the TokenRequest');
  const cluster = currentCluster(options.adminKubeconfig).cluster;
  const context = `${options.clusterName}-${namespace}`;
  const user = `${options.clusterName}-${namespace}-${serviceAccount}`;
  const kubeconfig = emitKubeconfig({
    clusters: [{ name: options.clusterName, cluster: { ...cluster } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: options.clusterName, user, namespace } }],
    'current-context': context,
  });
  return {
    kubeconfig,
    context,
    expiresAt:
      answer.status?.expirationTimestamp ?? new Date(Date.now() + seconds * 1000).toISOString(),
  };
}
