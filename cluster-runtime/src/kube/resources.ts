/**
 * Short names for the resources cluster-runtime's steps talk to. The client finds every kind
 * by discovery; these only spare callers from spelling apiVersion and kind. The kinds the
 * product lists have their own module (../kinds); the rest are named here.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris
 */
import { CRON_JOB } from '../kinds/cronjob.ts';
import { DEPLOYMENT } from '../kinds/deployment.ts';
import { EVENT, EVENT_V1 } from '../kinds/event.ts';
import { HPA } from '../kinds/hpa.ts';
import { JOB } from '../kinds/job.ts';
import { kindIdentity, type KindIdentity } from '../kinds/kind.ts';
import { NAMESPACE } from '../kinds/namespace.ts';
import { NODE } from '../kinds/node.ts';
import { POD } from '../kinds/pod.ts';
import { REPLICA_SET } from '../kinds/replicaset.ts';
import { RUNTIME_CLASS } from '../kinds/runtimeclass.ts';
import { SERVICE } from '../kinds/service.ts';
import { STATEFUL_SET } from '../kinds/statefulset.ts';

const RBAC = 'rbac.authorization.k8s.io';

export const RESOURCES = {
  namespaces: NAMESPACE,
  nodes: NODE,
  pods: POD,
  events: EVENT,
  eventsV1: EVENT_V1,
  services: SERVICE,
  deployments: DEPLOYMENT,
  replicaSets: REPLICA_SET,
  statefulSets: STATEFUL_SET,
  jobs: JOB,
  cronJobs: CRON_JOB,
  horizontalPodAutoscalers: HPA,
  runtimeClasses: RUNTIME_CLASS,
  configMaps: kindIdentity('', 'v1', 'ConfigMap', 'configmaps', true),
  serviceAccounts: kindIdentity('', 'v1', 'ServiceAccount', 'serviceaccounts', true),
  roles: kindIdentity(RBAC, 'v1', 'Role', 'roles', true),
  roleBindings: kindIdentity(RBAC, 'v1', 'RoleBinding', 'rolebindings', true),
  customResourceDefinitions: kindIdentity(
    'apiextensions.k8s.io',
    'v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
  ),
} as const satisfies Record<string, KindIdentity>;
