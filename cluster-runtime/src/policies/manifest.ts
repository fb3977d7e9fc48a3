/**
 * The serverless policy set (DESIGN.md §5): native admission in the API server, so kubectl, Helm
 * and the UI meet the same rules, with no webhook server. One versioned manifest, rendered from
 * common's size table:
 *
 * - MutatingAdmissionPolicies on Pods in tenant namespaces: the sandbox RuntimeClass when none
 *   is set; pod-level `spec.resources` requests = limits = the smallest size holding the pod's
 *   effective request; the label `nodeless.dev/size`. On Namespaces: Pod Security labels.
 * - ValidatingAdmissionPolicies refusing what a sandbox cannot honour, on Pods and on every
 *   workload's pod template (so `kubectl apply` of a Deployment fails at once), DaemonSets and
 *   NodePort Services.
 *
 * Tenant namespaces are every namespace but `kube-*` and `nodeless-system`, matched by
 * `request.namespace` (a MutatingAdmissionPolicy's matchConditions cannot read namespaceObject).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#pod-level-resource-specification
 */
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { isTenantNamespace } from '@nodeless/common';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { DEFAULT_SIZE_LITERAL, sizingVariables, type CelVariable } from './cel.ts';
import { podSpecValidations, type SpecLocation, type Validation } from './fence.ts';
import { machineFit, PARAMS_NAME, sandboxClassExpr } from './params.ts';

/** Labels every object of the set carries; the version annotation says which render it is. */
export const POLICY_SET_LABEL = 'nodeless.dev/policy-set';
export const POLICY_VERSION_ANNOTATION = 'nodeless.dev/policy-version';
/** The size label the sizing policy writes (`kubectl get pods -L nodeless.dev/size`). */
export const SIZE_LABEL = 'nodeless.dev/size';
/** Namespace annotation naming the size (`1x2`) a pod asking for nothing gets there. */
export const DEFAULT_SIZE_ANNOTATION = 'nodeless.dev/default-size';

const GROUP = 'admissionregistration.k8s.io';
const API = `${GROUP}/v1`;

/** Whether a namespace is a tenant's: common's, the TypeScript twin of {@link TENANT_REQUEST}. */
export { isTenantNamespace };

/** A request in a tenant namespace (policy matchCondition). */
export const TENANT_REQUEST = `!request.namespace.startsWith('kube-') && request.namespace != '${SYSTEM_NAMESPACE}'`;

interface Rule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
}

const rule = (group: string, resources: string[], operations: string[]): Rule => ({
  apiGroups: [group],
  apiVersions: [group === '' ? 'v1' : 'v1'],
  operations,
  resources,
});

const TENANT_CONDITION = [{ name: 'tenant-namespace', expression: TENANT_REQUEST }];
const PARAM_KIND = { apiVersion: 'v1', kind: 'ConfigMap' };
const PARAM_REF = {
  name: PARAMS_NAME,
  namespace: SYSTEM_NAMESPACE,
  parameterNotFoundAction: 'Deny',
};

/** The namespace's default size: its annotation when it names a size, else common's default. */
const NAMESPACE_DEFAULT_SIZE =
  `has(namespaceObject.metadata.annotations) && '${DEFAULT_SIZE_ANNOTATION}' in namespaceObject.metadata.annotations && ` +
  `namespaceObject.metadata.annotations['${DEFAULT_SIZE_ANNOTATION}'] in variables.sizes ? ` +
  `namespaceObject.metadata.annotations['${DEFAULT_SIZE_ANNOTATION}'] : ${DEFAULT_SIZE_LITERAL}`;

function meta(name: string): KubernetesObject['metadata'] {
  return { name, labels: { ...MANAGED_BY, [POLICY_SET_LABEL]: 'serverless' } };
}

function mutating(
  name: string,
  spec: {
    rules: Rule[];
    conditions?: { name: string; expression: string }[];
    variables?: CelVariable[];
    expression: string;
    params?: boolean;
  },
): KubernetesObject[] {
  const params = spec.params ?? false;
  return [
    {
      apiVersion: API,
      kind: 'MutatingAdmissionPolicy',
      metadata: meta(name),
      spec: {
        ...(params ? { paramKind: PARAM_KIND } : {}),
        matchConstraints: { resourceRules: spec.rules },
        matchConditions: spec.conditions ?? TENANT_CONDITION,
        ...(spec.variables ? { variables: spec.variables } : {}),
        failurePolicy: 'Fail',
        reinvocationPolicy: 'Never',
        mutations: [
          { patchType: 'ApplyConfiguration', applyConfiguration: { expression: spec.expression } },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: API,
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: meta(name),
      spec: { policyName: name, ...(params ? { paramRef: PARAM_REF } : {}) },
    } as KubernetesObject,
  ];
}

function validating(
  name: string,
  spec: { rules: Rule[]; variables?: CelVariable[]; validations: Validation[]; params?: boolean },
): KubernetesObject[] {
  const params = spec.params ?? false;
  return [
    {
      apiVersion: API,
      kind: 'ValidatingAdmissionPolicy',
      metadata: meta(name),
      spec: {
        failurePolicy: 'Fail',
        ...(params ? { paramKind: PARAM_KIND } : {}),
        matchConstraints: { resourceRules: spec.rules },
        matchConditions: TENANT_CONDITION,
        ...(spec.variables ? { variables: spec.variables } : {}),
        validations: spec.validations,
      },
    } as KubernetesObject,
    {
      apiVersion: API,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: meta(name),
      spec: {
        policyName: name,
        ...(params ? { paramRef: PARAM_REF } : {}),
        validationActions: ['Deny'],
      },
    } as KubernetesObject,
  ];
}

const MIB = 1024 * 1024;

/** Sizing: pod-level requests = limits = the size, and the size label. */
function sizingPolicy(): KubernetesObject[] {
  const amounts = `{'cpu': string(variables.sizeCpu) + 'm', 'memory': string(variables.sizeMemory / ${MIB}) + 'Mi'}`;
  return mutating('nodeless-pod-size', {
    rules: [rule('', ['pods'], ['CREATE'])],
    variables: [
      { name: 'spec', expression: 'object.spec' },
      ...sizingVariables('variables.spec', NAMESPACE_DEFAULT_SIZE),
    ],
    expression:
      `variables.size == '' ? Object{} : Object{` +
      `metadata: Object.metadata{labels: {'${SIZE_LABEL}': variables.size}}, ` +
      `spec: Object.spec{resources: Object.spec.resources{requests: ${amounts}, limits: ${amounts}}}}`,
  });
}

/** The sandbox RuntimeClass on pods that name none (one naming another is refused below). */
function sandboxPolicy(): KubernetesObject[] {
  return mutating('nodeless-pod-sandbox', {
    rules: [rule('', ['pods'], ['CREATE'])],
    conditions: [
      ...TENANT_CONDITION,
      {
        name: 'no-runtime-class',
        expression: "!has(object.spec.runtimeClassName) || object.spec.runtimeClassName == ''",
      },
    ],
    params: true,
    expression: `Object{spec: Object.spec{runtimeClassName: ${sandboxClassExpr}}}`,
  });
}

/**
 * Pod Security labels, set by a MutatingAdmissionPolicy at every create and update of a tenant
 * namespace — so every namespace made later by anyone (kubectl, Helm, the tenants screen) has
 * them and no update removes them. Namespaces that predate the policy (`default`) are labelled
 * by the baseline step ({@link podSecurityLabelled}), which is itself such an update.
 */
export const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'baseline',
  'pod-security.kubernetes.io/warn': 'restricted',
} as const;

function podSecurityPolicy(): KubernetesObject[] {
  const labels = Object.entries(POD_SECURITY_LABELS)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(', ');
  return mutating('nodeless-namespace-pod-security', {
    rules: [rule('', ['namespaces'], ['CREATE', 'UPDATE'])],
    conditions: [
      {
        name: 'tenant-namespace',
        expression: `!object.metadata.name.startsWith('kube-') && object.metadata.name != '${SYSTEM_NAMESPACE}'`,
      },
    ],
    expression: `Object{metadata: Object.metadata{labels: {${labels}}}}`,
  });
}

interface PodShape {
  name: string;
  rules: Rule[];
  spec: string;
  location: Omit<SpecLocation, 'cel'>;
}

const WORKLOAD_OPS = ['CREATE', 'UPDATE'];
const TEMPLATE_LISTS = ['containers', 'initContainers'] as const;

/** Where each kind keeps its pod spec. */
const POD_SHAPES: readonly PodShape[] = [
  {
    name: 'nodeless-pods',
    rules: [rule('', ['pods'], ['CREATE']), rule('', ['pods/ephemeralcontainers'], ['UPDATE'])],
    spec: 'object.spec',
    location: { path: 'spec', containerLists: [...TEMPLATE_LISTS, 'ephemeralContainers'] },
  },
  {
    name: 'nodeless-pod-templates',
    rules: [
      rule('apps', ['deployments', 'replicasets', 'statefulsets'], WORKLOAD_OPS),
      rule('batch', ['jobs'], WORKLOAD_OPS),
      rule('', ['replicationcontrollers'], WORKLOAD_OPS),
    ],
    spec: 'object.spec.template.spec',
    location: { path: 'spec.template.spec', containerLists: TEMPLATE_LISTS },
  },
  {
    name: 'nodeless-cronjobs',
    rules: [rule('batch', ['cronjobs'], WORKLOAD_OPS)],
    spec: 'object.spec.jobTemplate.spec.template.spec',
    location: { path: 'spec.jobTemplate.spec.template.spec', containerLists: TEMPLATE_LISTS },
  },
];

function podShapePolicy(shape: PodShape): KubernetesObject[] {
  const loc: SpecLocation = { cel: 'variables.spec', ...shape.location };
  return validating(shape.name, {
    rules: shape.rules,
    params: true,
    variables: [
      { name: 'spec', expression: shape.spec },
      ...sizingVariables('variables.spec', NAMESPACE_DEFAULT_SIZE),
    ],
    validations: [...podSpecValidations(loc, sandboxClassExpr), machineFit(shape.location.path)],
  });
}

function daemonSetPolicy(): KubernetesObject[] {
  return validating('nodeless-no-daemonsets', {
    rules: [rule('apps', ['daemonsets'], WORKLOAD_OPS)],
    validations: [
      {
        expression: 'false',
        messageExpression:
          '\'kind: DaemonSet is not allowed: tenants do not see machines, so there is no "every node" to run on; ' +
          "use a Deployment (with replicas and topologySpreadConstraints to spread it)'",
        reason: 'Forbidden',
      },
    ],
  });
}

function servicePolicy(): KubernetesObject[] {
  return validating('nodeless-services', {
    rules: [rule('', ['services'], WORKLOAD_OPS)],
    validations: [
      {
        expression: "!has(object.spec.type) || object.spec.type != 'NodePort'",
        messageExpression:
          "'spec.type: NodePort is not allowed: tenants do not see machines or their ports; " +
          "use type ClusterIP (in the cluster, or kubectl port-forward) or LoadBalancer'",
        reason: 'Forbidden',
      },
    ],
  });
}

/**
 * Long-lived ServiceAccount token Secrets: the token controller fills a Secret of this type with
 * a token that never expires, which would let a tenant outlive the expiry chosen for its
 * kubeconfig. Tenants get tokens from the TokenRequest API instead.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets
 */
function tokenSecretPolicy(): KubernetesObject[] {
  return validating('nodeless-no-token-secrets', {
    rules: [rule('', ['secrets'], WORKLOAD_OPS)],
    validations: [
      {
        expression: "!has(object.type) || object.type != 'kubernetes.io/service-account-token'",
        messageExpression:
          "'type: kubernetes.io/service-account-token is not allowed: such a Secret holds a token " +
          'that never expires; use a kubeconfig from Nodeless (its token expires when chosen) ' +
          "or kubectl create token'",
        reason: 'Forbidden',
      },
    ],
  });
}

/** Every policy and binding, unversioned (the version is a hash of this). */
function renderPolicies(): KubernetesObject[] {
  return [
    ...sandboxPolicy(),
    ...sizingPolicy(),
    ...podSecurityPolicy(),
    ...POD_SHAPES.flatMap(podShapePolicy),
    ...daemonSetPolicy(),
    ...servicePolicy(),
    ...tokenSecretPolicy(),
  ];
}

/**
 * The policy set's version: a hash of everything rendered, so a change of the table or of any
 * expression is a new version without anyone remembering to bump a number.
 */
export function policySetVersion(objects: readonly KubernetesObject[] = renderPolicies()): string {
  return createHash('sha256').update(JSON.stringify(objects)).digest('hex').slice(0, 12);
}

/**
 * The versioned policy objects in apply order: policies before their bindings (a binding to a
 * missing policy is ignored, but a policy without a binding does nothing, so this order never
 * enforces a half-made rule).
 */
export function serverlessPolicies(): KubernetesObject[] {
  const objects = renderPolicies();
  const version = policySetVersion(objects);
  const stamped = objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, annotations: { [POLICY_VERSION_ANNOTATION]: version } },
  }));
  const isBinding = (o: KubernetesObject): boolean => (o.kind ?? '').endsWith('Binding');
  return [...stamped.filter((o) => !isBinding(o)), ...stamped.filter(isBinding)];
}

/** Existing tenant namespaces with the Pod Security labels, to server-side-apply. */
export function podSecurityLabelled(namespaces: readonly string[]): KubernetesObject[] {
  return namespaces.filter(isTenantNamespace).map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...POD_SECURITY_LABELS } },
  }));
}
