/**
 * A tenant member's kubeconfig, with the credential the user chose:
 *
 * - `token`: a ServiceAccount token from the TokenRequest API, bound to a Secret of its own
 *   (`nodeless-credential-<id>`, nothing in it) so that revoking one member deletes that
 *   Secret and the API server refuses that token, while the other members' keep working;
 * - `certificate`: an x509 client certificate signed by the cluster's CA through the CSR API
 *   (./certificate.ts), CN `nodeless:tenant:<tenant>:<member>`, O one group of its own that
 *   the tenant's RoleBindings bind while it is not revoked (./names.ts credentialGroup).
 *
 * Either way the kubeconfig has one context per tenant namespace (home first and current) and
 * the export is recorded (member, kind, expiry) on the home RoleBinding, which the Tenants
 * section and `nodeless tenant list` show. Both credentials expire on their own; the expiry is
 * 10 minutes (the minimum of both APIs) to a year.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/
 */
import { randomBytes } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { MANAGED_BY } from '../baseline/objects.ts';
import { RESOURCES, type KubeClient } from '../client.ts';
import {
  CREDENTIAL_LABEL,
  credentialSecretName,
  tenantServiceAccountObject,
  type CredentialKind,
} from './access.ts';
import { assertCsrServed, issueClientCertificate } from './certificate.ts';
import { requireTenant, updateCredentialRecords } from './members.ts';
import {
  credentialGroup,
  DEFAULT_MEMBER,
  memberNameProblem,
  memberUserName,
  TenantInputError,
} from './names.ts';
import { TENANT_SERVICE_ACCOUNT } from './objects.ts';
import { SECRET } from './tenants.ts';
import {
  credentialKubeconfig,
  requestServiceAccountToken,
  type TenantKubeconfig,
} from './token-kubeconfig.ts';

/** TokenRequest's and the CSR API's own minimum (10 minutes). */
export const TOKEN_MIN_SECONDS = 600;
/** A year: the signer's default maximum (`--cluster-signing-duration`), and enough for a token. */
export const TOKEN_MAX_SECONDS = 365 * 24 * 3600;

/** Label of a token's Secret: the member it was handed out to. */
export const MEMBER_LABEL = 'nodeless.dev/tenant-member';

export interface TenantKubeconfigOptions {
  /** The tenant (its home namespace). */
  namespace: string;
  /** Who it is for; default `default`. */
  member?: string | undefined;
  /** Default `token`. */
  credential?: CredentialKind | undefined;
  /** Within [TOKEN_MIN_SECONDS, TOKEN_MAX_SECONDS]; the server may shorten it. */
  expiresSeconds: number;
  /** Names the cluster, context and user entries; default the client's current cluster's name. */
  clusterName?: string | undefined;
  /** The namespace whose context is current; default the home namespace. */
  currentNamespace?: string | undefined;
  signal?: AbortSignal | undefined;
  now?: () => Date;
}

export interface TenantMemberKubeconfig extends TenantKubeconfig {
  member: string;
  credential: CredentialKind;
  /** Every context, one per tenant namespace; `context` (the home namespace's unless chosen) is current. */
  contexts: string[];
}

/** Throws a field error unless the expiry and member name are acceptable. */
export function validateKubeconfigOptions(o: TenantKubeconfigOptions): void {
  const s = o.expiresSeconds;
  if (!Number.isSafeInteger(s) || s < TOKEN_MIN_SECONDS || s > TOKEN_MAX_SECONDS) {
    throw new TenantInputError(
      'expiresSeconds',
      `must be a whole number of seconds from ${TOKEN_MIN_SECONDS} (10 minutes) to ${TOKEN_MAX_SECONDS} (a year)`,
    );
  }
  const problem = memberNameProblem(o.member ?? DEFAULT_MEMBER);
  if (problem) throw new TenantInputError('member', problem);
}

/** Exports a kubeconfig for a tenant member; the answer holds the credential: never log it. */
export async function tenantKubeconfig(
  client: KubeClient,
  options: TenantKubeconfigOptions,
): Promise<TenantMemberKubeconfig> {
  validateKubeconfigOptions(options);
  const { namespace: tenant, expiresSeconds, signal } = options;
  const member = options.member ?? DEFAULT_MEMBER;
  const credential = options.credential ?? 'token';
  const namespaces = await requireTenant(client, tenant, signal);
  const current = options.currentNamespace ?? tenant;
  if (!namespaces.includes(current)) {
    throw new TenantInputError(
      'currentNamespace',
      `"${current}" is not a namespace of tenant "${tenant}" (${namespaces.join(', ')})`,
    );
  }
  if (credential === 'certificate') await assertCsrServed(client);
  // A revoke interrupted between delete and create leaves no ServiceAccount: put it back.
  if (!(await client.get(RESOURCES.serviceAccounts, TENANT_SERVICE_ACCOUNT, tenant, signal))) {
    await client.apply(tenantServiceAccountObject(tenant), { signal });
  }
  const id = randomBytes(5).toString('hex');
  const now = options.now ?? (() => new Date());
  const issued =
    credential === 'certificate'
      ? await issueCertificate(client, tenant, member, id, expiresSeconds, signal)
      : await issueToken(client, tenant, member, id, expiresSeconds, signal);
  await updateCredentialRecords(client, {
    tenant,
    namespaces,
    update: (live) => [
      ...live,
      { id, member, credential, issuedAt: now().toISOString(), expiresAt: issued.expiresAt },
    ],
    now: now(),
    signal,
  });
  const clusterName = options.clusterName ?? client.config.getCurrentCluster()?.name ?? '';
  // The default member keeps the context names exports had before members: `<cluster>-<ns>`.
  const suffix = member === DEFAULT_MEMBER ? '' : `-${member}`;
  const ordered = [current, ...namespaces.filter((n) => n !== current)];
  const contexts = ordered.map((ns) => ({
    name: `${clusterName}-${ns}${suffix}`,
    namespace: ns,
  }));
  const kubeconfig = credentialKubeconfig(client, {
    clusterName,
    userName: `${clusterName}-${tenant}-${member}`,
    user: issued.user,
    contexts,
  });
  return {
    kubeconfig,
    context: contexts[0]?.name ?? '',
    contexts: contexts.map((c) => c.name),
    expiresAt: issued.expiresAt,
    member,
    credential,
  };
}

type Issued = {
  user: { token: string } | { certificatePem: string; keyPem: string };
  expiresAt: string;
};

async function issueToken(
  client: KubeClient,
  tenant: string,
  member: string,
  id: string,
  expiresSeconds: number,
  signal: AbortSignal | undefined,
): Promise<Issued> {
  const secret = await client.create<V1Secret>(
    SECRET,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: credentialSecretName(id),
        namespace: tenant,
        labels: { ...MANAGED_BY, [CREDENTIAL_LABEL]: id, [MEMBER_LABEL]: member },
        annotations: {
          'nodeless.dev/purpose': `Tokens of tenant member ${member} are bound to this Secret: deleting it revokes them.`,
        },
      },
    },
    signal,
  );
  const { token, expiresAt } = await requestServiceAccountToken(client, {
    namespace: tenant,
    serviceAccount: TENANT_SERVICE_ACCOUNT,
    expiresSeconds,
    boundSecret: { name: credentialSecretName(id), uid: secret.metadata?.uid ?? '' },
    signal,
  });
  return { user: { token }, expiresAt };
}

async function issueCertificate(
  client: KubeClient,
  tenant: string,
  member: string,
  id: string,
  expiresSeconds: number,
  signal: AbortSignal | undefined,
): Promise<Issued> {
  const cert = await issueClientCertificate(client, {
    name: `nodeless-tenant-${tenant}-${member}-${id}`,
    user: memberUserName(tenant, member),
    groups: [credentialGroup(tenant, id)],
    expiresSeconds,
    signal,
  });
  return {
    user: { certificatePem: cert.certificatePem, keyPem: cert.keyPem },
    expiresAt: cert.expiresAt,
  };
}
