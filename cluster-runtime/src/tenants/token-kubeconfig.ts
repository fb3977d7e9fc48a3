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

export interface TokenRequestOptions {
  namespace: string;
  serviceAccount: string;
  expiresSeconds: number;
  /**
   * An object the token is bound to: the API server refuses the token once that object (here
   * a Secret, by uid) is gone, which revokes one token without touching the others.
   */
  boundSecret?: { name: string; uid: string } | undefined;
  signal?: AbortSignal | undefined;
}

/** A fresh ServiceAccount token from the TokenRequest API, and when it expires. */
export async function requestServiceAccountToken(
  client: KubeClient,
  o: TokenRequestOptions,
): Promise<{ token: string; expiresAt: string }> {
  const answer = await client.createSubresource<TokenRequestStatus>(
    RESOURCES.serviceAccounts,
    o.serviceAccount,
    o.namespace,
    'token',
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        expirationSeconds: o.expiresSeconds,
        ...(o.boundSecret
          ? { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', ...o.boundSecret } }
          : {}),
      },
    },
    o.signal,
  );
  const token = answer.status?.token;
  if (!token) throw new Error('the API server returned no token for the TokenRequest');
  return {
    token,
    expiresAt:
      answer.status?.expirationTimestamp ??
      new Date(Date.now() + o.expiresSeconds * 1000).toISOString(),
  };
}

/** A fresh token for the ServiceAccount in a kubeconfig, context `<cluster>-<namespace>`. */
export async function serviceAccountKubeconfig(
  client: KubeClient,
  options: ServiceAccountKubeconfigOptions,
): Promise<TenantKubeconfig> {
  const { namespace, serviceAccount, expiresSeconds, signal } = options;
  const { token, expiresAt } = await requestServiceAccountToken(client, {
    namespace,
    serviceAccount,
    expiresSeconds,
    signal,
  });
  const clusterName = options.clusterName ?? client.config.getCurrentCluster()?.name ?? '';
  const context = `${clusterName}-${namespace}`;
  const kubeconfig = credentialKubeconfig(client, {
    clusterName,
    userName: `${clusterName}-${namespace}-${serviceAccount}`,
    user: { token },
    contexts: [{ name: context, namespace }],
  });
  return { kubeconfig, context, expiresAt };
}

export interface CredentialKubeconfigOptions {
  clusterName: string;
  /** The kubeconfig's user entry name. */
  userName: string;
  /** A bearer token, or a client certificate and its key (PEM): secret either way. */
  user: { token: string } | { certificatePem: string; keyPem: string };
  /** One context per namespace; the first is current. */
  contexts: { name: string; namespace: string }[];
}

/**
 * A standalone kubeconfig for the client's API server (server, CA as data, TLS options) with
 * one user and a context per namespace, the first current. The one builder of credential
 * kubeconfigs: tokens (above) and tenant certificates (./tenant-kubeconfig.ts).
 */
export function credentialKubeconfig(client: KubeClient, o: CredentialKubeconfigOptions): string {
  const current = client.config.getCurrentCluster();
  if (!current) throw new Error('the admin kubeconfig has no current cluster');
  // An admin kubeconfig may name its CA by file; the exported one must stand alone.
  const ca =
    current.caData ??
    (current.caFile ? readFileSync(current.caFile).toString('base64') : undefined);
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  const user =
    'token' in o.user
      ? { token: o.user.token }
      : {
          'client-certificate-data': b64(o.user.certificatePem),
          'client-key-data': b64(o.user.keyPem),
        };
  return emitKubeconfig({
    clusters: [
      {
        name: o.clusterName,
        cluster: {
          server: current.server,
          ...(ca ? { 'certificate-authority-data': ca } : {}),
          ...(current.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
          ...(current.tlsServerName ? { 'tls-server-name': current.tlsServerName } : {}),
        },
      },
    ],
    users: [{ name: o.userName, user }],
    contexts: o.contexts.map((c) => ({
      name: c.name,
      context: { cluster: o.clusterName, user: o.userName, namespace: c.namespace },
    })),
    'current-context': o.contexts[0]?.name ?? '',
  });
}
