/**
 * A kubeconfig holding a ServiceAccount token from the TokenRequest API, with the API server
 * and CA of the client that asked for it. The one place Nodeless turns a token into a
 * kubeconfig: tenant exports (./tenants.ts) and the app's namespace-scoped export
 * (../day2/kubeconfig-export.ts) both come here. The token never reaches a log.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { readFileSync } from 'node:fs';
import { RESOURCES, type KubeClient } from '../client.ts';
import { emitKubeconfig } from '../kubeconfig/k3s-kubeconfig.ts';

export interface TenantKubeconfig {
  /** Holds the bearer token: never log it. */
  kubeconfig: string;
  context: string;
  /** When the token stops working (the server's answer). */
  expiresAt: string;
}

interface TokenRequestStatus {
  status?: { token?: string; expirationTimestamp?: string };
}

export interface ServiceAccountKubeconfigOptions {
  namespace: string;
  serviceAccount: string;
  expiresSeconds: number;
  /** Names the cluster, context and user entries; default the client's current cluster's name. */
  clusterName?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A fresh token for the ServiceAccount in a kubeconfig, context `<cluster>-<namespace>`. */
export async function serviceAccountKubeconfig(
  client: KubeClient,
  options: ServiceAccountKubeconfigOptions,
): Promise<TenantKubeconfig> {
  const { namespace, serviceAccount, expiresSeconds, signal } = options;
  const answer = await client.createSubresource<TokenRequestStatus>(
    RESOURCES.serviceAccounts,
    serviceAccount,
    namespace,
    'token',
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: expiresSeconds },
    },
    signal,
  );
  const token = answer.status?.token;
  if (!token) throw new Error('the API server returned no token for the TokenRequest');
  const current = client.config.getCurrentCluster();
  if (!current) throw new Error('the admin kubeconfig has no current cluster');
  const clusterName = options.clusterName ?? current.name;
  // An admin kubeconfig may name its CA by file; the exported one must stand alone.
  const ca =
    current.caData ??
    (current.caFile ? readFileSync(current.caFile).toString('base64') : undefined);
  const context = `${clusterName}-${namespace}`;
  const user = `${clusterName}-${namespace}-${serviceAccount}`;
  const kubeconfig = emitKubeconfig({
    clusters: [
      {
        name: clusterName,
        cluster: {
          server: current.server,
          ...(ca ? { 'certificate-authority-data': ca } : {}),
          ...(current.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
          ...(current.tlsServerName ? { 'tls-server-name': current.tlsServerName } : {}),
        },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: clusterName, user, namespace } }],
    'current-context': context,
  });
  return {
    kubeconfig,
    context,
    expiresAt:
      answer.status?.expirationTimestamp ??
      new Date(Date.now() + expiresSeconds * 1000).toISOString(),
  };
}
