/**
 * The meter's identity and permissions (issue 15, least privilege): a ServiceAccount; a
 * ClusterRole to read every pod, patch pods (only to remove its finalizer), read PodMetrics and
 * list nodes (the pool's capacity per hour, for idle);
 * and a Role in `nodeless-system` for its ConfigMaps — the ledger's, and the finalizer's param
 * `nodeless-meter`, which the leader creates (or updates to its version) so that the finalizer is
 * on only once a meter runs (meter/src/finalizer-switch.ts) — its Lease, and a read of its own
 * Deployment (the param's owner, so deleting the Deployment deletes the switch). Nothing else: a
 * Role, so it writes ConfigMaps in its own namespace only, never a tenant's. Each verb is one the
 * meter calls (meter/src: the pod watch lists and watches, the recorder patches, the sampler
 * lists PodMetrics; no `get` of a pod or a PodMetrics, no ConfigMap watch). RBAC cannot name
 * what `create` may make, so the Role would still let the meter's token rewrite any ConfigMap of
 * `nodeless-system` (`serverless-policy-params` among them): meter-admission.ts's
 * meterFencePolicy refuses every such write that is not the ledger's or the switch. The install
 * and the test substrates (testkit's startMeter) apply exactly these objects.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
 * @see https://kubernetes.io/docs/concepts/architecture/leases/
 */
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { LEDGER_NAMESPACE } from './ledger-configmap.ts';
import { METER_NAME } from './meter-names.ts';

export interface MeterRbacObjects {
  readonly serviceAccount: V1ServiceAccount;
  readonly clusterRole: V1ClusterRole;
  readonly clusterRoleBinding: V1ClusterRoleBinding;
  readonly role: V1Role;
  readonly roleBinding: V1RoleBinding;
}

const LABELS = {
  'app.kubernetes.io/name': METER_NAME,
  'app.kubernetes.io/managed-by': 'nodeless',
} as const;

/**
 * The meter's RBAC objects, in the order to create them (the account before what binds it).
 *
 * @param namespace where the meter runs and its ledger lives (`nodeless-system`).
 */
export function meterRbacObjects(namespace: string = LEDGER_NAMESPACE): MeterRbacObjects {
  // A fresh metadata object each time: callers may set resourceVersion on one object.
  const meta = () => ({ name: METER_NAME, labels: { ...LABELS } });
  const subject = { kind: 'ServiceAccount', name: METER_NAME, namespace };
  return {
    serviceAccount: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { ...meta(), namespace },
    },
    clusterRole: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(),
      rules: [
        // The pod watch (paged LIST, WATCH); patch: only to remove the finalizer once recorded.
        { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'patch'] },
        // Usage samples: PodMetrics listed every sample interval, never read one by one.
        { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
        // The Job watch (LIST, WATCH; no get): Job → CronJob, so a CronJob's pods bill to it.
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch'] },
        // Pool capacity per hour (capacity.ts): nodes listed every few minutes while leading;
        // no watch (a sample needs the list at that moment, not every kubelet heartbeat).
        { apiGroups: [''], resources: ['nodes'], verbs: ['list'] },
      ],
    },
    clusterRoleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: METER_NAME },
      subjects: [subject],
    },
    role: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { ...meta(), namespace },
      rules: [
        {
          // Ledger chunks, totals, state (read: the ack; delete: compaction) and the finalizer's
          // param; no watch (the meter reads them when it leads). create cannot be limited by
          // name, so meterFencePolicy refuses writes to any other ConfigMap here.
          apiGroups: [''],
          resources: ['configmaps'],
          verbs: ['get', 'list', 'create', 'update', 'delete'],
        },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'create', 'update'],
        },
        {
          // Its own Deployment, read only: the param's owner (garbage-collected with it).
          apiGroups: ['apps'],
          resources: ['deployments'],
          resourceNames: [METER_NAME],
          verbs: ['get'],
        },
      ],
    },
    roleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { ...meta(), namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: METER_NAME },
      subjects: [subject],
    },
  };
}

/** The same objects as a list in creation order (for create-or-update loops and manifests). */
export function meterRbacList(
  namespace: string = LEDGER_NAMESPACE,
): [V1ServiceAccount, V1ClusterRole, V1ClusterRoleBinding, V1Role, V1RoleBinding] {
  const o = meterRbacObjects(namespace);
  return [o.serviceAccount, o.clusterRole, o.clusterRoleBinding, o.role, o.roleBinding];
}
