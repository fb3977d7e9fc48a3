/**
 * The baseline objects besides RuntimeClasses: the `nodeless-system` namespace (home of the
 * smoke test and, later, the meter) and clearly labelled placeholders for the serverless
 * policies, whose real content (ValidatingAdmissionPolicy, LimitRange, ResourceQuota — DESIGN.md
 * §5) belongs to the workloads layer.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
import type { KubernetesObject, V1ConfigMap, V1Namespace } from '@kubernetes/client-node';

export const SYSTEM_NAMESPACE = 'nodeless-system';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'nodeless' } as const;
/** Marks objects that only hold a place for content another part of Nodeless will install. */
export const PLACEHOLDER_LABEL = 'nodeless.dev/placeholder';

export function systemNamespace(): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: SYSTEM_NAMESPACE, labels: { ...MANAGED_BY } },
  };
}

/** The serverless restrictions the workloads layer will enforce natively (DESIGN.md §5). */
export const SERVERLESS_RESTRICTIONS = [
  'no DaemonSet',
  'no hostNetwork',
  'no hostPID',
  'no hostPath volumes',
  'no privileged containers',
  'no NodePort services',
  'requests equal limits, sized to the pod spec table',
] as const;

/**
 * PLACEHOLDER, not a policy: a ConfigMap saying which serverless policies will be installed and
 * that none is enforced yet. The workloads issue replaces it with the real objects.
 */
export function serverlessPolicyPlaceholders(): KubernetesObject[] {
  const placeholder: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'serverless-policies',
      namespace: SYSTEM_NAMESPACE,
      labels: { ...MANAGED_BY, [PLACEHOLDER_LABEL]: 'true' },
      annotations: {
        [PLACEHOLDER_LABEL]:
          'Placeholder: the serverless policies are not enforced yet; the workloads layer installs them.',
      },
    },
    data: { status: 'placeholder', planned: SERVERLESS_RESTRICTIONS.join('\n') },
  };
  return [placeholder];
}
