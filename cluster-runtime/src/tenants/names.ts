/**
 * Which names can be tenants. A tenant's namespace is a DNS-1123 label (what the API server
 * accepts for a Namespace) that is not one of the system's (`kube-*`, `nodeless-system`: they
 * run the cluster itself, outside the tenant admission rules).
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
import { reservedNamespaceProblem } from '../day2/kubeconfig-export.ts';

/** Thrown for bad tenant input; `field` names the input (`namespace`, `quota.cpuMilli`, …). */
export class TenantInputError extends Error {
  override readonly name = 'TenantInputError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `namespace` cannot name a tenant, or undefined when it can. */
export function tenantNamespaceProblem(namespace: string): string | undefined {
  if (namespace === '') return 'is required';
  if (namespace.length > 63) return `"${namespace}" is longer than 63 characters`;
  if (!DNS_LABEL.test(namespace)) {
    return `"${namespace}" is not a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return reservedNamespaceProblem(namespace);
}

/** Throws a {@link TenantInputError} on field `namespace` unless `namespace` can be a tenant. */
export function assertTenantNamespace(namespace: string): void {
  const problem = tenantNamespaceProblem(namespace);
  if (problem) throw new TenantInputError('namespace', problem);
}

const MEMBER = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** The member a kubeconfig is for when none is named (what exports before members were). */
export const DEFAULT_MEMBER = 'default';

/**
 * Why `member` cannot name a tenant member, or undefined when it can: lower-case letters,
 * digits, '-' and '.', at most 63 characters. It ends up in a certificate's subject, in a
 * kubeconfig's context name and in RBAC user names, where ':' separates the parts.
 */
export function memberNameProblem(member: string): string | undefined {
  if (member === '') return 'is required';
  if (member.length > 63) return `"${member}" is longer than 63 characters`;
  if (!MEMBER.test(member)) {
    return `"${member}" may hold lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** The user name a member's certificate carries (its CN): what audit logs and 403s show. */
export function memberUserName(tenant: string, member: string): string {
  return `nodeless:tenant:${tenant}:${member}`;
}

/**
 * The group one certificate carries (its O) and the tenant's RoleBindings bind while it is
 * live. One group per certificate, not the user name, is what RBAC binds: a certificate cannot
 * be revoked, so revoking takes its group out of the bindings — and a certificate issued later
 * to the same member (same user name) does not bring the revoked one back.
 */
export function credentialGroup(tenant: string, id: string): string {
  return `nodeless:tenant:${tenant}:credential:${id}`;
}
