/**
 * What a namespace-scoped kubeconfig may do: roughly upstream's `edit` ClusterRole limited to one
 * namespace, minus what a serverless cluster forbids tenants (DaemonSets; anything on nodes or
 * other cluster-scoped objects; no RBAC writes, so the grant cannot widen itself).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
 */
import type {
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { MANAGED_BY } from '../baseline/objects.ts';

const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

export const TENANT_ROLE_RULES: readonly V1PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/log',
      'pods/exec',
      'pods/attach',
      'pods/portforward',
      'services',
      'endpoints',
      'configmaps',
      'secrets',
      'persistentvolumeclaims',
      'serviceaccounts',
    ],
    verbs: WRITE,
  },
  {
    apiGroups: [''],
    resources: ['events', 'limitranges', 'resourcequotas', 'pods/status'],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: [
      'deployments',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
      'controllerrevisions',
    ],
    verbs: WRITE,
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list'] },
];

export const TENANT_ROLE = 'nodeless-tenant';

/** ServiceAccount, Role and RoleBinding granting `TENANT_ROLE_RULES` in `namespace`. */
export function tenantAccessObjects(
  namespace: string,
  serviceAccount: string,
): [V1ServiceAccount, V1Role, V1RoleBinding] {
  const labels = { ...MANAGED_BY };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccount, namespace, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: TENANT_ROLE, namespace, labels },
      rules: TENANT_ROLE_RULES.map((r) => ({ ...r })),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${TENANT_ROLE}-${serviceAccount}`, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TENANT_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    },
  ];
}
