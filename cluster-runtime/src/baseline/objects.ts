/**
 * The baseline's own namespace, `nodeless-system`: home of the smoke test, the serverless
 * policies' parameters and, later, the meter. The serverless policies themselves are
 * `../policies/`.
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { SYSTEM_NAMESPACE } from '@nodeless/common';

export { SYSTEM_NAMESPACE };
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'nodeless' } as const;

export function systemNamespace(): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: SYSTEM_NAMESPACE, labels: { ...MANAGED_BY } },
  };
}
