/**
 * A tenant's access objects, one set per namespace, and the record of the kubeconfigs handed
 * out (pure: objects and records in, objects out; ./members.ts applies them).
 *
 * - the ServiceAccount `nodeless-tenant` lives in the tenant's home namespace (the namespace
 *   named like the tenant); TokenRequest tokens are its tokens;
 * - the Role `nodeless-tenant` (../day2/tenant-rbac.ts's rules) in every tenant namespace;
 * - the RoleBinding `nodeless-tenant-nodeless-tenant` in every tenant namespace binds the Role
 *   to that ServiceAccount and to one group per live certificate (./names.ts credentialGroup):
 *   one kubeconfig reaches all the tenant's namespaces and nothing else;
 * - the home namespace's RoleBinding carries the record of what was handed out (member,
 *   credential kind, expiry; nothing secret) in the annotation `nodeless.dev/credentials`. The
 *   tenant cannot change it: its Role has no RBAC verbs (ServiceAccounts, which it may edit,
 *   would not do).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates
 */
import type {
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
  RbacV1Subject,
} from '@kubernetes/client-node';
import { z } from 'zod';
import { MANAGED_BY } from '../baseline/objects.ts';
import { TENANT_ROLE, TENANT_ROLE_RULES } from '../day2/tenant-rbac.ts';
import { credentialGroup } from './names.ts';
import { TENANT_SERVICE_ACCOUNT } from './objects.ts';

/** The RoleBinding's name (what the single-namespace tenants always had). */
export const TENANT_BINDING = `${TENANT_ROLE}-${TENANT_SERVICE_ACCOUNT}`;
/** Annotation of the home RoleBinding: the JSON list of {@link CredentialRecord}s. */
export const CREDENTIALS_ANNOTATION = 'nodeless.dev/credentials';
/** Label of the Secrets that tokens are bound to: the credential's id. */
export const CREDENTIAL_LABEL = 'nodeless.dev/credential';

export type CredentialKind = 'token' | 'certificate';

/** One kubeconfig handed out: who for, which kind, until when. Nothing secret. */
export interface CredentialRecord {
  /** Random, names the certificate's group or the token's bound Secret. */
  id: string;
  member: string;
  credential: CredentialKind;
  issuedAt: string;
  expiresAt: string;
}

const recordSchema = z.object({
  id: z.string().regex(/^[a-z0-9]{1,32}$/),
  member: z.string().min(1),
  credential: z.enum(['token', 'certificate']),
  issuedAt: z.string(),
  expiresAt: z.string(),
});

/** The records of an annotation; anything unreadable counts as nothing handed out. */
export function parseCredentialRecords(annotation: string | undefined): CredentialRecord[] {
  if (!annotation) return [];
  try {
    const parsed = z.array(recordSchema).safeParse(JSON.parse(annotation));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The records still working at `now` (an expired credential no longer authenticates). */
export function liveCredentialRecords(records: CredentialRecord[], now: Date): CredentialRecord[] {
  return records.filter((r) => Date.parse(r.expiresAt) > now.getTime());
}

/** The name of the Secret a token credential is bound to (deleting it revokes the token). */
export function credentialSecretName(id: string): string {
  return `nodeless-credential-${id}`;
}

export function tenantServiceAccountObject(home: string): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: TENANT_SERVICE_ACCOUNT, namespace: home, labels: { ...MANAGED_BY } },
  };
}

export function tenantRoleObject(namespace: string): V1Role {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: TENANT_ROLE, namespace, labels: { ...MANAGED_BY } },
    rules: TENANT_ROLE_RULES.map((r) => ({ ...r })),
  };
}

/**
 * The RoleBinding of `namespace` for tenant `tenant` (home namespace = `tenant`): the tenant's
 * ServiceAccount and the group of each certificate in `records`. In the home namespace it also
 * carries the records.
 */
export function tenantBindingObject(
  namespace: string,
  tenant: string,
  records: CredentialRecord[],
): V1RoleBinding {
  const subjects: RbacV1Subject[] = [
    { kind: 'ServiceAccount', name: TENANT_SERVICE_ACCOUNT, namespace: tenant },
    ...records
      .filter((r) => r.credential === 'certificate')
      .map((r) => ({
        kind: 'Group',
        apiGroup: 'rbac.authorization.k8s.io',
        name: credentialGroup(tenant, r.id),
      })),
  ];
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: TENANT_BINDING,
      namespace,
      labels: { ...MANAGED_BY },
      ...(namespace === tenant
        ? { annotations: { [CREDENTIALS_ANNOTATION]: JSON.stringify(records) } }
        : {}),
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TENANT_ROLE },
    subjects,
  };
}
