/**
 * Which namespaces are the system's and which a tenant's (DESIGN.md §5): the system runs in
 * `kube-*` and `nodeless-system` under runc, outside the tenant admission rules; every other
 * namespace is a tenant's. One definition for the admission policies' TypeScript side, tenants,
 * kubeconfig export and the UI (which offers no deletion of system namespaces).
 */

/** The namespace Nodeless's own cluster objects live in. */
export const SYSTEM_NAMESPACE = 'nodeless-system';

/** Whether `name` is a tenant's namespace (neither `kube-*` nor `nodeless-system`). */
export function isTenantNamespace(name: string): boolean {
  return name !== SYSTEM_NAMESPACE && !name.startsWith('kube-');
}
