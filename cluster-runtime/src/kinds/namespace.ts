/**
 * Namespace (core/v1): identity and row — phase (Active/Terminating), labels (Pod Security
 * levels live there), and whether it is a tenant's: every namespace but `kube-*` and
 * `nodeless-system` (DESIGN.md §5).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/namespace-v1/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { isTenantNamespace } from '@nodeless/common';
import { kindIdentity, rowBase, type RowBase } from './kind.ts';

export const NAMESPACE = kindIdentity('', 'v1', 'Namespace', 'namespaces', false);

export interface NamespaceRow extends RowBase {
  /** Active or Terminating. */
  phase: string;
  labels: Readonly<Record<string, string>>;
  /** True for tenant namespaces (not `kube-*`, not `nodeless-system`). */
  tenant: boolean;
}

export { isTenantNamespace };

export function namespaceRow(ns: V1Namespace): NamespaceRow {
  const base = rowBase(ns);
  return {
    ...base,
    phase: ns.status?.phase ?? 'Active',
    labels: ns.metadata?.labels ?? {},
    tenant: isTenantNamespace(base.name),
  };
}
