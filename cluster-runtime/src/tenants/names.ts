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
