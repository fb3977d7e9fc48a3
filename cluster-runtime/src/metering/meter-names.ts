/**
 * Names of the meter's cluster objects (issue 15), in one place: the meter, its install, its RBAC,
 * the desktop's sync and the tests all import these, never a string literal twice. The ledger's
 * own chunk names and labels are in ./ledger-configmap.ts.
 *
 * @see ./ledger-configmap.ts
 */

/** ServiceAccount, ClusterRole, Role, their bindings, the Lease and the Deployment. */
export const METER_NAME = 'nodeless-meter';
/** The coordination.k8s.io/v1 Lease the replicas elect their one writer through. */
export const METER_LEASE_NAME = METER_NAME;
/** Param ConfigMap of the finalizer's admission policy: present = new pods get the finalizer. */
export const METER_PARAM_NAME = METER_NAME;
/** "Not yet recorded": added at pod CREATE by admission, removed by the meter once recorded. */
export const METER_FINALIZER = 'nodeless.dev/metering';
/**
 * Pod condition recording when the pod's FIRST sandbox came up (`PodReadyToStartContainers`'s
 * transition to True), added by admission (meter-admission.ts's sandboxStartPolicy) and kept
 * after the pod ends, when the kubelet has turned `PodReadyToStartContainers` False. A qualified
 * name: the API server requires one for any pod condition type it does not define.
 */
export const SANDBOX_STARTED_CONDITION = 'nodeless.dev/sandbox-started';
/** ConfigMap holding the watermark (label ledger=state). */
export const METER_STATE_NAME = 'nodeless-meter-state';
/** Data key of the state ConfigMap: epoch seconds of the hour boundary written through. */
export const METER_WATERMARK_KEY = 'watermark';
/** ConfigMap of the pool's capacity per hour, sampled by the leader (label ledger=capacity). */
export const METER_CAPACITY_NAME = 'nodeless-meter-capacity';
/** ConfigMap the desktop writes after committing records (label ledger=ack). */
export const LEDGER_ACK_NAME = 'nodeless-ledger-ack';
/** Data key of the ack ConfigMap: `seq:offset` (formatCursor). */
export const LEDGER_ACK_KEY = 'cursor';
/** Values of the ledger label (LEDGER_LABEL) on the state and ack objects. */
export const LEDGER_STATE_LABEL_VALUE = 'state';
export const LEDGER_ACK_LABEL_VALUE = 'ack';
export const LEDGER_CAPACITY_LABEL_VALUE = 'capacity';

/**
 * The user name the API server gives the meter's ServiceAccount token (`request.userInfo.username`
 * in admission), for the admission policy that fences what it may write.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
 */
export const meterUserName = (namespace: string): string =>
  `system:serviceaccount:${namespace}:${METER_NAME}`;
