/**
 * The table of built-in resources kube-sim serves, as discovery describes them.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#standard-api-terminology
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controlplane/instance.go
 */

export const RW_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;
export const RO_VERBS = ['get', 'list'] as const;

export interface SubresourceInfo {
  name: string;
  /** The kind the subresource speaks when it is not the parent's kind (Scale, Eviction, …). */
  group?: string;
  version?: string;
  kind: string;
  verbs: readonly string[];
}

export interface ResourceInfo {
  group: string;
  /** Served versions, preferred first. */
  versions: readonly string[];
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  verbs: readonly string[];
  subresources: readonly SubresourceInfo[];
  /** Set for custom resources (served from a CRD). */
  crd?: string;
}

const status = (kind: string): SubresourceInfo => ({
  name: 'status',
  kind,
  verbs: ['get', 'patch', 'update'],
});
const scale: SubresourceInfo = {
  name: 'scale',
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  verbs: ['get', 'patch', 'update'],
};

interface Row {
  g: string;
  v: string[];
  r: string;
  k: string;
  ns: boolean;
  short?: string[];
  cat?: string[];
  verbs?: readonly string[];
  sub?: (kind: string) => SubresourceInfo[];
}

const withStatus = (kind: string): SubresourceInfo[] => [status(kind)];
const withScale = (kind: string): SubresourceInfo[] => [status(kind), scale];
const all = ['all'];

const rows: Row[] = [
  { g: '', v: ['v1'], r: 'namespaces', k: 'Namespace', ns: false, short: ['ns'], sub: withStatus },
  { g: '', v: ['v1'], r: 'nodes', k: 'Node', ns: false, short: ['no'], sub: withStatus },
  {
    g: '',
    v: ['v1'],
    r: 'pods',
    k: 'Pod',
    ns: true,
    short: ['po'],
    cat: all,
    sub: (k) => [
      status(k),
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
    ],
  },
  {
    g: '',
    v: ['v1'],
    r: 'services',
    k: 'Service',
    ns: true,
    short: ['svc'],
    cat: all,
    sub: withStatus,
  },
  {
    g: '',
    v: ['v1'],
    r: 'replicationcontrollers',
    k: 'ReplicationController',
    ns: true,
    short: ['rc'],
    cat: all,
    sub: withScale,
  },
  { g: '', v: ['v1'], r: 'endpoints', k: 'Endpoints', ns: true, short: ['ep'] },
  { g: '', v: ['v1'], r: 'configmaps', k: 'ConfigMap', ns: true, short: ['cm'] },
  { g: '', v: ['v1'], r: 'secrets', k: 'Secret', ns: true },
  {
    g: '',
    v: ['v1'],
    r: 'serviceaccounts',
    k: 'ServiceAccount',
    ns: true,
    short: ['sa'],
    sub: () => [
      {
        name: 'token',
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      },
    ],
  },
  { g: '', v: ['v1'], r: 'events', k: 'Event', ns: true, short: ['ev'] },
  // Served from a mirror of the core/v1 Events (events-v1-mirror.ts).
  { g: 'events.k8s.io', v: ['v1'], r: 'events', k: 'Event', ns: true, short: ['ev'] },
  { g: '', v: ['v1'], r: 'limitranges', k: 'LimitRange', ns: true, short: ['limits'] },
  {
    g: '',
    v: ['v1'],
    r: 'resourcequotas',
    k: 'ResourceQuota',
    ns: true,
    short: ['quota'],
    sub: withStatus,
  },
  {
    g: '',
    v: ['v1'],
    r: 'persistentvolumeclaims',
    k: 'PersistentVolumeClaim',
    ns: true,
    short: ['pvc'],
    sub: withStatus,
  },
  {
    g: 'apps',
    v: ['v1'],
    r: 'deployments',
    k: 'Deployment',
    ns: true,
    short: ['deploy'],
    cat: all,
    sub: withScale,
  },
  {
    g: 'apps',
    v: ['v1'],
    r: 'replicasets',
    k: 'ReplicaSet',
    ns: true,
    short: ['rs'],
    cat: all,
    sub: withScale,
  },
  {
    g: 'apps',
    v: ['v1'],
    r: 'statefulsets',
    k: 'StatefulSet',
    ns: true,
    short: ['sts'],
    cat: all,
    sub: withScale,
  },
  {
    g: 'apps',
    v: ['v1'],
    r: 'daemonsets',
    k: 'DaemonSet',
    ns: true,
    short: ['ds'],
    cat: all,
    sub: withStatus,
  },
  { g: 'apps', v: ['v1'], r: 'controllerrevisions', k: 'ControllerRevision', ns: true },
  { g: 'batch', v: ['v1'], r: 'jobs', k: 'Job', ns: true, cat: all, sub: withStatus },
  {
    g: 'batch',
    v: ['v1'],
    r: 'cronjobs',
    k: 'CronJob',
    ns: true,
    short: ['cj'],
    cat: all,
    sub: withStatus,
  },
  {
    g: 'autoscaling',
    v: ['v2'],
    r: 'horizontalpodautoscalers',
    k: 'HorizontalPodAutoscaler',
    ns: true,
    short: ['hpa'],
    cat: all,
    sub: withStatus,
  },
  {
    g: 'policy',
    v: ['v1'],
    r: 'poddisruptionbudgets',
    k: 'PodDisruptionBudget',
    ns: true,
    short: ['pdb'],
    sub: withStatus,
  },
  { g: 'node.k8s.io', v: ['v1'], r: 'runtimeclasses', k: 'RuntimeClass', ns: false },
  { g: 'rbac.authorization.k8s.io', v: ['v1'], r: 'roles', k: 'Role', ns: true },
  { g: 'rbac.authorization.k8s.io', v: ['v1'], r: 'rolebindings', k: 'RoleBinding', ns: true },
  { g: 'rbac.authorization.k8s.io', v: ['v1'], r: 'clusterroles', k: 'ClusterRole', ns: false },
  {
    g: 'rbac.authorization.k8s.io',
    v: ['v1'],
    r: 'clusterrolebindings',
    k: 'ClusterRoleBinding',
    ns: false,
  },
  {
    g: 'admissionregistration.k8s.io',
    v: ['v1'],
    r: 'validatingadmissionpolicies',
    k: 'ValidatingAdmissionPolicy',
    ns: false,
    cat: ['api-extensions'],
    sub: withStatus,
  },
  {
    g: 'admissionregistration.k8s.io',
    v: ['v1'],
    r: 'validatingadmissionpolicybindings',
    k: 'ValidatingAdmissionPolicyBinding',
    ns: false,
    cat: ['api-extensions'],
  },
  // Stored, not enforced (see testkit/README.md, kube-sim): the serverless layer installs them.
  {
    g: 'admissionregistration.k8s.io',
    v: ['v1'],
    r: 'mutatingadmissionpolicies',
    k: 'MutatingAdmissionPolicy',
    ns: false,
    cat: ['api-extensions'],
  },
  {
    g: 'admissionregistration.k8s.io',
    v: ['v1'],
    r: 'mutatingadmissionpolicybindings',
    k: 'MutatingAdmissionPolicyBinding',
    ns: false,
    cat: ['api-extensions'],
  },
  { g: 'coordination.k8s.io', v: ['v1'], r: 'leases', k: 'Lease', ns: true },
  { g: 'discovery.k8s.io', v: ['v1'], r: 'endpointslices', k: 'EndpointSlice', ns: true },
  {
    g: 'scheduling.k8s.io',
    v: ['v1'],
    r: 'priorityclasses',
    k: 'PriorityClass',
    ns: false,
    short: ['pc'],
  },
  {
    g: 'apiextensions.k8s.io',
    v: ['v1'],
    r: 'customresourcedefinitions',
    k: 'CustomResourceDefinition',
    ns: false,
    short: ['crd', 'crds'],
    cat: ['api-extensions'],
    sub: withStatus,
  },
  {
    g: 'authorization.k8s.io',
    v: ['v1'],
    r: 'selfsubjectaccessreviews',
    k: 'SelfSubjectAccessReview',
    ns: false,
    verbs: ['create'],
  },
  {
    g: 'apiregistration.k8s.io',
    v: ['v1'],
    r: 'apiservices',
    k: 'APIService',
    ns: false,
    cat: ['api-extensions'],
    sub: withStatus,
  },
  { g: 'metrics.k8s.io', v: ['v1beta1'], r: 'pods', k: 'PodMetrics', ns: true, verbs: RO_VERBS },
  { g: 'metrics.k8s.io', v: ['v1beta1'], r: 'nodes', k: 'NodeMetrics', ns: false, verbs: RO_VERBS },
];

/** The built-in resources, in discovery order. */
export const BUILTIN_RESOURCES: readonly ResourceInfo[] = rows.map((row) => ({
  group: row.g,
  versions: row.v,
  resource: row.r,
  singular: row.k.toLowerCase(),
  kind: row.k,
  namespaced: row.ns,
  ...(row.short === undefined ? {} : { shortNames: row.short }),
  ...(row.cat === undefined ? {} : { categories: row.cat }),
  verbs: row.verbs ?? RW_VERBS,
  subresources: row.sub?.(row.k) ?? [],
}));

/**
 * Built-in resources whose objects carry `metadata.generation` (their registry strategy sets it
 * on create and bumps it on spec changes); custom resources always do. ConfigMaps, Services,
 * Namespaces, HPAs… do not.
 *
 * @see https://github.com/kubernetes/kubernetes/tree/master/pkg/registry (each strategy.go's PrepareForCreate)
 */
export const GENERATION_RESOURCES: ReadonlySet<string> = new Set([
  '/pods',
  '/replicationcontrollers',
  '/podtemplates',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  'discovery.k8s.io/endpointslices',
  'policy/poddisruptionbudgets',
  'scheduling.k8s.io/priorityclasses',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingadmissionpolicies',
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings',
  'apiextensions.k8s.io/customresourcedefinitions',
]);

/** Groups served by something other than the store (metrics come from the simulation). */
export const VIRTUAL_GROUPS = new Set(['metrics.k8s.io', 'authorization.k8s.io']);
