/**
 * Field tables for the protobuf messages typed kubectl commands send (`create namespace |
 * configmap | secret | serviceaccount | token | deployment | job | cronjob | role | rolebinding |
 * clusterrole | clusterrolebinding | service`, `run`, `auth can-i`). Field numbers follow
 * upstream's `generated.proto` files; fields kube-sim does not need are left out (skipped).
 *
 * @see https://github.com/kubernetes/api/blob/master/core/v1/generated.proto
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/generated.proto
 */

export interface FieldSpec {
  name: string;
  /** 'string' | 'bytes' | 'int' | 'bool' | 'time' | 'quantity' | 'intorstr' | message name. */
  type: string;
  repeated?: boolean;
  /** For map<string, X> fields: the value type. */
  map?: string;
}

type Table = Record<number, FieldSpec>;
const s = (name: string): FieldSpec => ({ name, type: 'string' });
const i = (name: string): FieldSpec => ({ name, type: 'int' });
const b = (name: string): FieldSpec => ({ name, type: 'bool' });
const m = (name: string, type: string): FieldSpec => ({ name, type });
const list = (name: string, type: string): FieldSpec => ({ name, type, repeated: true });
const map = (name: string, value = 'string'): FieldSpec => ({ name, type: 'map', map: value });

const withMeta = (spec?: string, extra: Table = {}): Table => {
  const t: Table = { 1: m('metadata', 'ObjectMeta'), ...extra };
  if (spec !== undefined) t[2] = m('spec', spec);
  return t;
};

/**
 * Fields that are pointers in the Go types: present on the wire only when set, so a zero or
 * false value is meaningful (`replicas: 0`). Other zero values are dropped like JSON's omitempty.
 */
export const POINTER_FIELDS = new Set([
  'replicas',
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'backoffLimit',
  'ttlSecondsAfterFinished',
  'suspend',
  'manualSelector',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'automountServiceAccountToken',
  'startingDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'immutable',
  'expirationSeconds',
  'priority',
  'enableServiceLinks',
  'tolerationSeconds',
  'controller',
  'blockOwnerDeletion',
]);

export const MESSAGES: Record<string, Table> = {
  Time: { 1: i('seconds'), 2: i('nanos') },
  Quantity: { 1: s('string') },
  IntOrString: { 1: i('type'), 2: i('intVal'), 3: s('strVal') },
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: i('generation'),
    11: map('labels'),
    12: map('annotations'),
    13: list('ownerReferences', 'OwnerReference'),
    14: { name: 'finalizers', type: 'string', repeated: true },
  },
  OwnerReference: {
    1: s('kind'),
    3: s('name'),
    4: s('uid'),
    5: s('apiVersion'),
    6: b('controller'),
    7: b('blockOwnerDeletion'),
  },
  LabelSelector: { 1: map('matchLabels'), 2: list('matchExpressions', 'LabelSelectorRequirement') },
  LabelSelectorRequirement: {
    1: s('key'),
    2: s('operator'),
    3: { name: 'values', type: 'string', repeated: true },
  },
  // core/v1
  Namespace: withMeta('NamespaceSpec'),
  NamespaceSpec: { 1: { name: 'finalizers', type: 'string', repeated: true } },
  ConfigMap: withMeta(undefined, {
    2: map('data'),
    3: map('binaryData', 'bytes'),
    4: b('immutable'),
  }),
  Secret: withMeta(undefined, {
    2: map('data', 'bytes'),
    3: s('type'),
    4: map('stringData'),
    5: b('immutable'),
  }),
  ServiceAccount: withMeta(undefined, {
    2: list('secrets', 'ObjectReference'),
    3: list('imagePullSecrets', 'LocalObjectReference'),
    4: b('automountServiceAccountToken'),
  }),
  ObjectReference: {
    1: s('kind'),
    2: s('namespace'),
    3: s('name'),
    4: s('uid'),
    5: s('apiVersion'),
  },
  LocalObjectReference: { 1: s('name') },
  Pod: withMeta('PodSpec'),
  PodTemplateSpec: withMeta('PodSpec'),
  PodSpec: {
    1: list('volumes', 'Volume'),
    2: list('containers', 'Container'),
    3: s('restartPolicy'),
    4: i('terminationGracePeriodSeconds'),
    5: i('activeDeadlineSeconds'),
    6: s('dnsPolicy'),
    7: map('nodeSelector'),
    8: s('serviceAccountName'),
    9: s('serviceAccount'),
    10: s('nodeName'),
    11: b('hostNetwork'),
    12: b('hostPID'),
    13: b('hostIPC'),
    15: list('imagePullSecrets', 'LocalObjectReference'),
    16: s('hostname'),
    17: s('subdomain'),
    19: s('schedulerName'),
    20: list('initContainers', 'Container'),
    21: b('automountServiceAccountToken'),
    22: list('tolerations', 'Toleration'),
    24: s('priorityClassName'),
    25: i('priority'),
    29: s('runtimeClassName'),
    30: b('enableServiceLinks'),
  },
  Container: {
    1: s('name'),
    2: s('image'),
    3: { name: 'command', type: 'string', repeated: true },
    4: { name: 'args', type: 'string', repeated: true },
    5: s('workingDir'),
    6: list('ports', 'ContainerPort'),
    7: list('env', 'EnvVar'),
    8: m('resources', 'ResourceRequirements'),
    9: list('volumeMounts', 'VolumeMount'),
    13: s('terminationMessagePath'),
    14: s('imagePullPolicy'),
    16: b('stdin'),
    17: b('stdinOnce'),
    18: b('tty'),
    20: s('terminationMessagePolicy'),
  },
  ContainerPort: {
    1: s('name'),
    2: i('hostPort'),
    3: i('containerPort'),
    4: s('protocol'),
    5: s('hostIP'),
  },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: { 1: map('limits', 'quantity'), 2: map('requests', 'quantity') },
  VolumeMount: { 1: s('name'), 2: b('readOnly'), 3: s('mountPath'), 4: s('subPath') },
  Volume: { 1: s('name') },
  Toleration: {
    1: s('key'),
    2: s('operator'),
    3: s('value'),
    4: s('effect'),
    5: i('tolerationSeconds'),
  },
  Service: withMeta('ServiceSpec'),
  ServiceSpec: {
    1: list('ports', 'ServicePort'),
    2: map('selector'),
    3: s('clusterIP'),
    4: s('type'),
    5: { name: 'externalIPs', type: 'string', repeated: true },
    7: s('sessionAffinity'),
    10: s('externalName'),
  },
  ServicePort: {
    1: s('name'),
    2: s('protocol'),
    3: i('port'),
    4: { name: 'targetPort', type: 'intorstr' },
    5: i('nodePort'),
  },
  // apps/v1
  Deployment: withMeta('DeploymentSpec'),
  DeploymentSpec: {
    1: i('replicas'),
    2: m('selector', 'LabelSelector'),
    3: m('template', 'PodTemplateSpec'),
    4: m('strategy', 'DeploymentStrategy'),
    5: i('minReadySeconds'),
    6: i('revisionHistoryLimit'),
    7: b('paused'),
    9: i('progressDeadlineSeconds'),
  },
  DeploymentStrategy: { 1: s('type') },
  // batch/v1
  Job: withMeta('JobSpec'),
  JobSpec: {
    1: i('parallelism'),
    2: i('completions'),
    3: i('activeDeadlineSeconds'),
    4: m('selector', 'LabelSelector'),
    5: b('manualSelector'),
    6: m('template', 'PodTemplateSpec'),
    7: i('backoffLimit'),
    8: i('ttlSecondsAfterFinished'),
    9: s('completionMode'),
    10: b('suspend'),
  },
  CronJob: withMeta('CronJobSpec'),
  CronJobSpec: {
    1: s('schedule'),
    2: i('startingDeadlineSeconds'),
    3: s('concurrencyPolicy'),
    4: b('suspend'),
    5: m('jobTemplate', 'JobTemplateSpec'),
    6: i('successfulJobsHistoryLimit'),
    7: i('failedJobsHistoryLimit'),
    8: s('timeZone'),
  },
  JobTemplateSpec: withMeta('JobSpec'),
  // rbac/v1
  Role: withMeta(undefined, { 2: list('rules', 'PolicyRule') }),
  ClusterRole: withMeta(undefined, { 2: list('rules', 'PolicyRule') }),
  PolicyRule: {
    1: { name: 'verbs', type: 'string', repeated: true },
    2: { name: 'apiGroups', type: 'string', repeated: true },
    3: { name: 'resources', type: 'string', repeated: true },
    4: { name: 'resourceNames', type: 'string', repeated: true },
    5: { name: 'nonResourceURLs', type: 'string', repeated: true },
  },
  RoleBinding: withMeta(undefined, { 2: list('subjects', 'Subject'), 3: m('roleRef', 'RoleRef') }),
  ClusterRoleBinding: withMeta(undefined, {
    2: list('subjects', 'Subject'),
    3: m('roleRef', 'RoleRef'),
  }),
  Subject: { 1: s('kind'), 2: s('apiGroup'), 3: s('name'), 4: s('namespace') },
  RoleRef: { 1: s('apiGroup'), 2: s('kind'), 3: s('name') },
  // authentication/v1, authorization/v1
  TokenRequest: withMeta('TokenRequestSpec'),
  TokenRequestSpec: {
    1: { name: 'audiences', type: 'string', repeated: true },
    3: m('boundObjectRef', 'BoundObjectReference'),
    4: i('expirationSeconds'),
  },
  BoundObjectReference: { 1: s('kind'), 2: s('apiVersion'), 3: s('name'), 4: s('uid') },
  SelfSubjectAccessReview: withMeta('SelfSubjectAccessReviewSpec'),
  SelfSubjectAccessReviewSpec: {
    1: m('resourceAttributes', 'ResourceAttributes'),
    2: m('nonResourceAttributes', 'NonResourceAttributes'),
  },
  ResourceAttributes: {
    1: s('namespace'),
    2: s('verb'),
    3: s('group'),
    4: s('version'),
    5: s('resource'),
    6: s('subresource'),
    7: s('name'),
  },
  NonResourceAttributes: { 1: s('path'), 2: s('verb') },
};

/** Kind → top-level message. */
export const KINDS: Record<string, string> = Object.fromEntries(
  [
    'Namespace',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'Pod',
    'Service',
    'Deployment',
    'Job',
    'CronJob',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'TokenRequest',
    'SelfSubjectAccessReview',
  ].map((k) => [k, k]),
);
