/**
 * The metering finalizer (issue 15, metering.md): a MutatingAdmissionPolicy adds
 * `nodeless.dev/metering` to every Pod created in a tenant namespace, so a pod that is created,
 * runs and is deleted while the meter is down stays in the API (Terminating) until the meter has
 * recorded its final segments and removed the finalizer. Nothing is lost during an outage, and
 * nothing is needed beyond the API server: no webhook server, no audit log.
 *
 * The switch is the param: the binding's paramRef names ConfigMap `nodeless-system/nodeless-meter`
 * with `parameterNotFoundAction: Allow`, so without that ConfigMap the policy does nothing. The
 * install never applies the ConfigMap: the meter's leader creates it (meter/src/finalizer-switch.ts),
 * so the finalizer is on only once a meter runs to remove it. Uninstall stops the meter, deletes
 * the ConfigMap (no new finalizers), then strips the finalizer from every pod, so a namespace
 * deletion is never blocked for ever once the meter is gone (meter-uninstall.ts).
 *
 * The mutation is a JSON patch written in CEL: `add` of the whole list when the pod has no
 * `finalizers` field, an append (`/metadata/finalizers/-`) when it has some, nothing when ours is
 * already there — so it works with and without finalizers and is idempotent when the API server
 * reinvokes it (reinvocationPolicy IfNeeded: another mutation that rewrites metadata gets ours
 * back).
 *
 * The same apiVersion as the serverless policies (admissionregistration.k8s.io/v1, GA in 1.36) and
 * their tenant rule ({@link TENANT_REQUEST}, common's `isTenantNamespace` in CEL).
 *
 * A second policy under the same switch, {@link sandboxStartPolicy}, keeps the sandbox's start on
 * the pod itself so that a pod that also ENDS while no meter runs is still billed from it.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/#json-patch
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/#parameter-resources
 * @see https://kubernetes.io/docs/reference/kubernetes-api/admissionregistration/mutating-admission-policy-v1/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/
 * @see https://www.rfc-editor.org/rfc/rfc6902 (JSON patch: `add`, the `-` array index)
 */
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import { MANAGED_BY, SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { celString } from '../policies/cel.ts';
import { TENANT_REQUEST } from '../policies/manifest.ts';
import { LEDGER_LABEL } from './ledger-configmap.ts';
import {
  METER_FINALIZER,
  METER_NAME,
  METER_PARAM_NAME,
  meterUserName,
  SANDBOX_STARTED_CONDITION,
} from './meter-names.ts';

/** The policy and its binding. */
export const METER_POLICY_NAME = 'nodeless-pod-metering';
/** The param's key naming the meter version that enabled the finalizer (informative only). */
export const METER_PARAM_VERSION_KEY = 'meterVersion';

const API = 'admissionregistration.k8s.io/v1';
const FINALIZER = celString(METER_FINALIZER);

/**
 * The JSON patch: the list when there is none, an append when ours is missing, else nothing.
 * `has()` is false for an absent field; an empty list is present, and appending to it is fine.
 */
export const FINALIZER_PATCH_EXPRESSION =
  `!has(object.metadata.finalizers) ? ` +
  `[JSONPatch{op: 'add', path: '/metadata/finalizers', value: [${FINALIZER}]}] : ` +
  `(${FINALIZER} in object.metadata.finalizers ? [] : ` +
  `[JSONPatch{op: 'add', path: '/metadata/finalizers/-', value: ${FINALIZER}}])`;

const labels = { ...MANAGED_BY, 'app.kubernetes.io/name': METER_NAME };

/**
 * The binding of policy `name` to the switch: the param ConfigMap `nodeless-system/nodeless-meter`;
 * without it the policy does nothing.
 */
function switchedBinding(name: string): KubernetesObject {
  return {
    apiVersion: API,
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name, labels },
    spec: {
      policyName: name,
      paramRef: {
        name: METER_PARAM_NAME,
        namespace: SYSTEM_NAMESPACE,
        // No param, no mutation: the param is the meter's on/off switch.
        parameterNotFoundAction: 'Allow',
      },
    },
  } as KubernetesObject;
}

/**
 * Both metering policies and their bindings, each policy before its binding (a binding to a
 * missing policy does nothing): the finalizer's, then {@link sandboxStartPolicy}'s. Install,
 * status and uninstall (in reverse) all go through this list.
 */
export function meteringPolicy(): KubernetesObject[] {
  return [...finalizerPolicy(), ...sandboxStartPolicy()];
}

function finalizerPolicy(): KubernetesObject[] {
  return [
    {
      apiVersion: API,
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: METER_POLICY_NAME, labels },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
        },
        matchConditions: [{ name: 'tenant-namespace', expression: TENANT_REQUEST }],
        // A pod that cannot get its finalizer must not start unrecorded: refuse it.
        failurePolicy: 'Fail',
        reinvocationPolicy: 'IfNeeded',
        mutations: [
          { patchType: 'JSONPatch', jsonPatch: { expression: FINALIZER_PATCH_EXPRESSION } },
        ],
      },
    } as KubernetesObject,
    switchedBinding(METER_POLICY_NAME),
  ];
}

/** The sandbox-start policy and its binding. */
export const SANDBOX_START_POLICY_NAME = 'nodeless-pod-sandbox-start';
/** The `reason` of the {@link SANDBOX_STARTED_CONDITION} condition. */
export const SANDBOX_STARTED_REASON = 'SandboxStarted';

const READY_TO_START = celString('PodReadyToStartContainers');
const STARTED = celString(SANDBOX_STARTED_CONDITION);
/** The kubelet's sandbox condition, True with a transition time, in condition variable `c`. */
const SANDBOX_UP = `c.type == ${READY_TO_START} && c.status == 'True' && has(c.lastTransitionTime)`;
const HAS_CONDITIONS = 'has(object.status) && has(object.status.conditions)';

/** matchCondition: the incoming status says the sandbox is up. */
export const SANDBOX_UP_EXPRESSION = `${HAS_CONDITIONS} && object.status.conditions.exists(c, ${SANDBOX_UP})`;
/** matchCondition: the pod does not carry our condition yet (the first sandbox's start wins). */
export const SANDBOX_UNMARKED_EXPRESSION = `!(${HAS_CONDITIONS}) || !object.status.conditions.exists(c, c.type == ${STARTED})`;

/**
 * The apply configuration: one condition, merged into `status.conditions` by its `type` (the list
 * is `listType=map` keyed by `type`, so the kubelet's own conditions stay as they are), whose
 * `lastTransitionTime` is `PodReadyToStartContainers`'s, copied in the same write that turns it
 * True — exact to what the kubelet reported, not to when admission ran.
 */
export const SANDBOX_STARTED_EXPRESSION =
  `Object{status: Object.status{conditions: [Object.status.conditions{` +
  `type: ${STARTED}, status: 'True', reason: ${celString(SANDBOX_STARTED_REASON)}, ` +
  `message: 'the pod sandbox came up (PodReadyToStartContainers turned True)', ` +
  `lastTransitionTime: object.status.conditions.filter(c, ${SANDBOX_UP})[0].lastTransitionTime` +
  `}]}}`;

/**
 * The sandbox's start, kept on the pod (issue 15: a pod is billed from its sandbox's start).
 * The meter reads it from `PodReadyToStartContainers`' transition to True, but once the pod ends
 * the kubelet turns that condition False with a new transition time, so a pod that started AND
 * ended while no meter ran (the finalizer keeps the object until it is recorded) would be billed
 * from its first container start instead. This policy, on every `pods/status` UPDATE (the
 * kubelet's status PATCH) in a tenant namespace, adds condition {@link SANDBOX_STARTED_CONDITION}
 * (True, reason {@link SANDBOX_STARTED_REASON}, `lastTransitionTime` copied from
 * `PodReadyToStartContainers`) when the sandbox is up and the pod has no such condition yet —
 * per object, in the API server, no meter needed at the time. A sandbox recreated later moves
 * `PodReadyToStartContainers` but not ours: the first sandbox is what was paid for. A pod whose
 * sandbox came up before the switch was on gets it at its next status write while the sandbox is
 * still up, with the same time (a condition's transition time does not move while it stays True).
 *
 * It survives what follows because the kubelet keeps conditions it does not own: its status
 * manager's `mergePodStatus` copies every old condition for which `PodConditionByKubelet` is
 * false into each status it writes, and sends a strategic merge patch (conditions merged by
 * `type`). KWOK's status templates, the test substrate's kubelet, are strategic merge patches on
 * `pods/status` too (testkit kwok-stages.ts). The type is a qualified name because the API
 * server's pod status validation requires one for every condition type it does not define.
 *
 * Same switch as the finalizer (the param; {@link switchedBinding}) and tenant rule. Unlike the
 * finalizer, failurePolicy Ignore: a policy error must never refuse the kubelet's status writes
 * (every tenant pod's status would freeze); without the condition the bill falls back to what
 * the pod still says (pod-life.ts). Only the node's kubelet may write pod status (tenants'
 * `edit`/`admin` roles only read `pods/status`), so the condition is the kubelet's timestamp.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.36.3/pkg/kubelet/status/status_manager.go — mergePodStatus ("pod conditions not owned by kubelet")
 * @see https://github.com/kubernetes/kubernetes/blob/v1.36.3/pkg/kubelet/types/pod_status.go — PodConditionsByKubelet
 * @see https://github.com/kubernetes/kubernetes/blob/v1.36.3/pkg/apis/core/validation/validation.go — validatePodConditions (ValidateQualifiedName)
 * @see https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/#apply-configurations
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-has-ready-to-start-containers
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy (listType=map)
 */
export function sandboxStartPolicy(): KubernetesObject[] {
  return [
    {
      apiVersion: API,
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: SANDBOX_START_POLICY_NAME, labels },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['UPDATE'],
              resources: ['pods/status'],
            },
          ],
        },
        matchConditions: [
          { name: 'tenant-namespace', expression: TENANT_REQUEST },
          { name: 'sandbox-up', expression: SANDBOX_UP_EXPRESSION },
          { name: 'not-marked', expression: SANDBOX_UNMARKED_EXPRESSION },
        ],
        failurePolicy: 'Ignore',
        // Nothing else removes the condition: no need to run again after other mutations.
        reinvocationPolicy: 'Never',
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: { expression: SANDBOX_STARTED_EXPRESSION },
          },
        ],
      },
    } as KubernetesObject,
    switchedBinding(SANDBOX_START_POLICY_NAME),
  ];
}

/** The param ConfigMap: its presence turns the finalizer (and the sandbox-start record) on. */
export function meterParam(version: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: METER_PARAM_NAME, namespace: SYSTEM_NAMESPACE, labels },
    data: { [METER_PARAM_VERSION_KEY]: version },
  };
}

/** The ValidatingAdmissionPolicy fencing the meter's ConfigMap writes, and its binding. */
export const METER_FENCE_NAME = 'nodeless-meter-configmaps';

/**
 * The ConfigMap `o` (`object` or `oldObject`) is one the meter may write: a ledger object (label
 * `nodeless.dev/ledger`: chunks, totals, state) or the finalizer's switch.
 */
const meterMayWrite = (o: string): string =>
  `${o}.metadata.name == ${celString(METER_PARAM_NAME)} || ` +
  `(has(${o}.metadata.labels) && ${celString(LEDGER_LABEL)} in ${o}.metadata.labels)`;

/**
 * Both sides that exist must pass: there is no `oldObject` at CREATE and no `object` at DELETE
 * (null; the operation says which), and an UPDATE needs both, so adding the label to another
 * ConfigMap does not make it the meter's.
 */
export const METER_FENCE_EXPRESSION =
  `(request.operation == 'DELETE' || ${meterMayWrite('object')}) && ` +
  `(request.operation == 'CREATE' || ${meterMayWrite('oldObject')})`;

/**
 * The meter's fence (defence in depth for a stolen meter token): its Role must grant create,
 * update and delete on ConfigMaps in `nodeless-system`, and RBAC cannot limit `create` by name
 * (resourceNames do not apply to create), so the Role alone would let the token rewrite
 * `serverless-policy-params` — the RuntimeClass and overheads tenant pods get. This policy,
 * matched only for the meter's ServiceAccount, refuses any ConfigMap write there that is not a
 * ledger object or the switch; for DELETE it looks at `oldObject` (there is no `object`).
 * failurePolicy Fail: a policy the API server cannot evaluate refuses the write, not allows it.
 * Installed before the Deployment (the meter never runs unfenced), removed with the RBAC.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#matching-requests-matchconditions
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
 */
export function meterFencePolicy(namespace: string = SYSTEM_NAMESPACE): KubernetesObject[] {
  return [
    {
      apiVersion: API,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: METER_FENCE_NAME, labels },
      spec: {
        matchConstraints: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE', 'DELETE'],
              resources: ['configmaps'],
            },
          ],
        },
        matchConditions: [
          {
            name: 'meter-service-account',
            expression: `request.userInfo.username == ${celString(meterUserName(namespace))}`,
          },
        ],
        failurePolicy: 'Fail',
        validations: [
          {
            expression: METER_FENCE_EXPRESSION,
            reason: 'Forbidden',
            message:
              `the meter may write only ledger ConfigMaps (label ${LEDGER_LABEL}) and its ` +
              `switch ${METER_PARAM_NAME} in ${namespace}`,
          },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: API,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: METER_FENCE_NAME, labels },
      spec: { policyName: METER_FENCE_NAME, validationActions: ['Deny'] },
    } as KubernetesObject,
  ];
}
