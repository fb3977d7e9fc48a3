/**
 * Revoking a tenant's kubeconfigs, all of them or one member's.
 *
 * Kubernetes cannot revoke a credential as such: a ServiceAccount token stays valid until it
 * expires unless what it is bound to disappears, and an x509 certificate stays valid until it
 * expires, full stop (no CRL or OCSP in kube-apiserver). So revocation removes what the
 * credential is worth:
 *
 * - tokens: the whole tenant's by deleting and recreating its ServiceAccount (bound tokens
 *   carry its uid: `Unauthorized` once no ServiceAccount has it), one member's by deleting the
 *   Secrets its tokens are bound to (the same check on the bound object's uid);
 * - certificates: the group each certificate carries is taken out of the tenant's RoleBindings
 *   in every namespace. The certificate still authenticates (as
 *   `nodeless:tenant:<tenant>:<member>`) but may do nothing: `Forbidden`. Binding one group per
 *   certificate, rather than the member's user name, is what keeps a revoked certificate dead
 *   when the same member is given a new one later.
 *
 * The API server caches successful token authentications for about 10 s; RBAC changes reach
 * the authorizer through its informers within about a second.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates
 */
import type { V1Secret, V1ServiceAccount } from '@kubernetes/client-node';
import { RESOURCES, type KubeClient } from '../client.ts';
import { CREDENTIAL_LABEL, tenantServiceAccountObject } from './access.ts';
import { requireTenant, updateCredentialRecords } from './members.ts';
import { memberNameProblem, TenantInputError } from './names.ts';
import { TENANT_SERVICE_ACCOUNT } from './objects.ts';
import { MEMBER_LABEL } from './tenant-kubeconfig.ts';
import { SECRET } from './tenants.ts';

async function deleteTokenSecrets(
  client: KubeClient,
  tenant: string,
  labelSelector: string,
  signal?: AbortSignal,
): Promise<void> {
  const { items } = await client.list<V1Secret>(SECRET, {
    namespace: tenant,
    labelSelector,
    signal,
  });
  for (const s of items) await client.delete(SECRET, s.metadata?.name ?? '', tenant, { signal });
}

/**
 * Revokes every kubeconfig of the tenant: recreates the ServiceAccount (delete with a uid
 * precondition, so a concurrent recreate is not deleted twice), deletes the tokens' Secrets and
 * unbinds every certificate. Kubeconfigs exported afterwards work.
 */
export async function revokeTenant(
  client: KubeClient,
  namespace: string,
  signal?: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<{ revokedUid: string | undefined; uid: string | undefined }> {
  const namespaces = await requireTenant(client, namespace, signal);
  const sa = TENANT_SERVICE_ACCOUNT;
  const old = await client.get<V1ServiceAccount>(RESOURCES.serviceAccounts, sa, namespace, signal);
  const revokedUid = old?.metadata?.uid;
  if (revokedUid) {
    await client.delete(RESOURCES.serviceAccounts, sa, namespace, { uid: revokedUid, signal });
  }
  const created = await client.apply(tenantServiceAccountObject(namespace), { signal });
  await updateCredentialRecords(client, {
    tenant: namespace,
    namespaces,
    update: () => [],
    now: now(),
    signal,
  });
  await deleteTokenSecrets(client, namespace, CREDENTIAL_LABEL, signal);
  return { revokedUid, uid: created.metadata?.uid };
}

/**
 * Revokes one member's kubeconfigs (tokens and certificates); the others keep working. A
 * member with nothing handed out that still works is refused naming the field `member`.
 */
export async function revokeMember(
  client: KubeClient,
  options: { namespace: string; member: string; signal?: AbortSignal; now?: () => Date },
): Promise<{ revoked: number }> {
  const { namespace, member, signal } = options;
  const problem = memberNameProblem(member);
  if (problem) throw new TenantInputError('member', problem);
  const namespaces = await requireTenant(client, namespace, signal);
  let revoked = 0;
  await updateCredentialRecords(client, {
    tenant: namespace,
    namespaces,
    update: (live) => {
      const kept = live.filter((r) => r.member !== member);
      revoked = live.length - kept.length;
      return kept;
    },
    now: (options.now ?? (() => new Date()))(),
    signal,
  });
  await deleteTokenSecrets(client, namespace, `${MEMBER_LABEL}=${member}`, signal);
  if (revoked === 0) {
    throw new TenantInputError(
      'member',
      `"${member}" has no kubeconfig of tenant "${namespace}" that still works`,
    );
  }
  return { revoked };
}
