/**
 * The admission step of writes: the defaults upstream's API types apply (so controllers and
 * kubectl see the fields they expect) and basic validation answering 422 Invalid with upstream's
 * messages: required/DNS-1123 names, non-empty containers with name and image.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
 */
import type { KubeObject } from '../store/types.ts';
import { kindDefaults } from './kind-defaults.ts';
import { HttpError } from './status.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose names must be DNS-1123 labels (not subdomains). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
/** Kinds whose names are free-form path segments. */
const FREE_NAMED = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'PodMetrics',
  'NodeMetrics',
]);

interface Cause {
  reason: string;
  message: string;
  field: string;
}

function podSpecDefaults(spec: Rec): void {
  spec['restartPolicy'] ??= 'Always';
  spec['terminationGracePeriodSeconds'] ??= 30;
  spec['dnsPolicy'] ??= 'ClusterFirst';
  spec['schedulerName'] ??= 'default-scheduler';
  spec['securityContext'] ??= {};
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      if (!isRec(c)) continue;
      const image = typeof c['image'] === 'string' ? c['image'] : '';
      const tagged = /:[^/]+$/.test(image) && !image.endsWith(':latest');
      c['imagePullPolicy'] ??= tagged || image.includes('@') ? 'IfNotPresent' : 'Always';
      c['terminationMessagePath'] ??= '/dev/termination-log';
      c['terminationMessagePolicy'] ??= 'File';
      c['resources'] ??= {};
    }
  }
}

/**
 * A Service's defaults on a single-stack IPv4 cluster: ClusterIP allocated (not for
 * ExternalName or headless), `ipFamilies: [IPv4]`, `ipFamilyPolicy: SingleStack`,
 * `internalTrafficPolicy: Cluster`, `externalTrafficPolicy: Cluster` for NodePort and
 * LoadBalancer, `allocateLoadBalancerNodePorts: true` for LoadBalancer; each port TCP with
 * `targetPort` = `port`. (No nodePort is allocated: see testkit/README.md, kube-sim.)
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go (SetDefaults_Service)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/alloc.go (initIPFamilyFields)
 */
function serviceDefaults(spec: Rec, serviceIps: () => string): void {
  spec['type'] ??= 'ClusterIP';
  const type = spec['type'];
  spec['sessionAffinity'] ??= 'None';
  if (type !== 'ExternalName') {
    if (spec['clusterIP'] === undefined || spec['clusterIP'] === '') {
      const ip = serviceIps();
      spec['clusterIP'] = ip;
      spec['clusterIPs'] = [ip];
    } else spec['clusterIPs'] ??= [spec['clusterIP']];
    spec['ipFamilies'] ??= ['IPv4'];
    spec['ipFamilyPolicy'] ??= 'SingleStack';
    spec['internalTrafficPolicy'] ??= 'Cluster';
  }
  if (type === 'NodePort' || type === 'LoadBalancer') spec['externalTrafficPolicy'] ??= 'Cluster';
  if (type === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
  const ports = spec['ports'];
  if (Array.isArray(ports)) {
    for (const p of ports)
      if (isRec(p)) {
        p['protocol'] ??= 'TCP';
        p['targetPort'] ??= p['port'];
      }
  }
}

/**
 * A ReplicationController's selector and labels default to its template's labels; replicas
 * to 1; a new one starts with `status.replicas: 0`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go (SetDefaults_ReplicationController)
 */
function replicationControllerDefaults(o: KubeObject, spec: Rec): void {
  const template = isRec(spec['template']) ? spec['template'] : undefined;
  const labels = isRec(template?.['metadata']) ? template['metadata']['labels'] : undefined;
  if (isRec(labels)) {
    if (!isRec(spec['selector']) || Object.keys(spec['selector']).length === 0)
      spec['selector'] = labels;
    if (Object.keys(o.metadata.labels ?? {}).length === 0)
      o.metadata.labels = labels as Record<string, string>;
  }
  spec['replicas'] ??= 1;
  if (!isRec(o['status'])) o['status'] = { replicas: 0 };
}

function templateSpec(o: Rec): Rec | undefined {
  const t = (o['spec'] as Rec | undefined)?.['template'];
  return isRec(t) && isRec(t['spec']) ? t['spec'] : undefined;
}

/** Applies defaults for `kind` in place (on create and update). */
export function applyDefaults(o: KubeObject, serviceIps: () => string): void {
  const spec = isRec(o['spec']) ? o['spec'] : undefined;
  switch (o.kind) {
    case 'Pod':
      if (spec !== undefined) {
        podSpecDefaults(spec);
        spec['enableServiceLinks'] ??= true;
      }
      if (!isRec(o['status'])) o['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'Deployment':
      if (spec !== undefined) {
        spec['replicas'] ??= 1;
        spec['revisionHistoryLimit'] ??= 10;
        spec['progressDeadlineSeconds'] ??= 600;
        const strategy = isRec(spec['strategy']) ? spec['strategy'] : {};
        if (strategy['type'] === undefined || strategy['type'] === '')
          strategy['type'] = 'RollingUpdate';
        if (strategy['type'] === 'RollingUpdate') {
          const ru = isRec(strategy['rollingUpdate']) ? strategy['rollingUpdate'] : {};
          strategy['rollingUpdate'] = { maxSurge: '25%', maxUnavailable: '25%', ...ru };
        }
        spec['strategy'] = strategy;
      }
      break;
    case 'ReplicationController':
      if (spec !== undefined) replicationControllerDefaults(o, spec);
      break;
    case 'ReplicaSet':
    case 'StatefulSet':
      if (spec !== undefined) spec['replicas'] ??= 1;
      if (o.kind === 'StatefulSet' && spec !== undefined) {
        spec['podManagementPolicy'] ??= 'OrderedReady';
        spec['updateStrategy'] ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
        spec['revisionHistoryLimit'] ??= 10;
      }
      break;
    case 'Job':
      if (spec !== undefined) {
        spec['completions'] ??= 1;
        spec['parallelism'] ??= 1;
        spec['backoffLimit'] ??= 6;
        spec['completionMode'] ??= 'NonIndexed';
        spec['suspend'] ??= false;
      }
      break;
    case 'CronJob':
      if (spec !== undefined) {
        spec['concurrencyPolicy'] ??= 'Allow';
        spec['suspend'] ??= false;
        spec['successfulJobsHistoryLimit'] ??= 3;
        spec['failedJobsHistoryLimit'] ??= 1;
      }
      break;
    case 'Service':
      if (spec !== undefined) serviceDefaults(spec, serviceIps);
      if (!isRec(o['status'])) o['status'] = { loadBalancer: {} };
      break;
    case 'Namespace':
      o['spec'] = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      if (o.metadata.deletionTimestamp === undefined) o['status'] = { phase: 'Active' };
      o.metadata.labels = {
        ...o.metadata.labels,
        'kubernetes.io/metadata.name': o.metadata.name ?? '',
      };
      break;
    case 'HorizontalPodAutoscaler':
      if (spec !== undefined) spec['minReplicas'] ??= 1;
      break;
  }
  const tpl = templateSpec(o);
  if (tpl !== undefined) podSpecDefaults(tpl);
  const jobTpl = isRec(spec?.['jobTemplate']) ? templateSpec(spec['jobTemplate']) : undefined;
  if (jobTpl !== undefined) podSpecDefaults(jobTpl);
  kindDefaults(o);
}

function checkContainers(spec: unknown, path: string, causes: Cause[]): void {
  if (!isRec(spec)) {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: path });
    return;
  }
  const cs = spec['containers'];
  if (!Array.isArray(cs) || cs.length === 0) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: `${path}.containers`,
    });
    return;
  }
  const seen = new Set<string>();
  cs.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    const name = isRec(c) ? c['name'] : undefined;
    if (typeof name !== 'string' || name === '')
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${p}.name` });
    else if (!DNS1123_LABEL.test(name))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
        field: `${p}.name`,
      });
    else if (seen.has(name))
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: "${name}"`,
        field: `${p}.name`,
      });
    else seen.add(name);
    const image = isRec(c) ? c['image'] : undefined;
    if (typeof image !== 'string' || image.trim() === '')
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${p}.image` });
  });
}

/** Validates `o` as resource `qualifiedResource`; throws 422 Invalid naming each bad field. */
export function validate(o: KubeObject, qualifiedResource: string): void {
  const causes: Cause[] = [];
  const name = o.metadata.name ?? '';
  if (name === '' && (o.metadata.generateName ?? '') === '') {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    });
  } else if (name !== '' && !FREE_NAMED.has(o.kind)) {
    const label = LABEL_NAMED.has(o.kind);
    const ok =
      (label ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name) && name.length <= (label ? 63 : 253);
    if (!ok) {
      const what = label ? 'a lowercase RFC 1123 label' : 'a lowercase RFC 1123 subdomain';
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": ${what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.name',
      });
    }
  }
  if (o.kind === 'Pod') checkContainers(o['spec'], 'spec', causes);
  const spec = isRec(o['spec']) ? o['spec'] : undefined;
  if (
    [
      'Deployment',
      'ReplicaSet',
      'ReplicationController',
      'StatefulSet',
      'DaemonSet',
      'Job',
    ].includes(o.kind)
  ) {
    checkContainers(
      isRec(spec?.['template']) ? spec['template']['spec'] : undefined,
      'spec.template.spec',
      causes,
    );
  }
  if (o.kind === 'CronJob') {
    const jt = isRec(spec?.['jobTemplate']) ? spec['jobTemplate']['spec'] : undefined;
    checkContainers(
      isRec(jt) && isRec(jt['template']) ? jt['template']['spec'] : undefined,
      'spec.jobTemplate.spec.template.spec',
      causes,
    );
  }
  if (causes.length === 0) return;
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  throw new HttpError(
    422,
    'Invalid',
    `${o.kind} "${name}" is invalid: ${causes.length > 1 ? `[${summary}]` : summary}`,
    {
      name,
      // NewInvalid names the kind (not the resource) and leaves out the core group.
      ...(qualifiedResource.includes('.')
        ? { group: qualifiedResource.slice(qualifiedResource.indexOf('.') + 1) }
        : {}),
      kind: o.kind,
      causes,
    },
  );
}
