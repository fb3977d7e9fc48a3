/**
 * A pod's life as the bill sees it (issue 15, DESIGN.md §5 "Metering"): who it is, which
 * workload it belongs to, the size it is billed for, its sandbox overhead, and when it started
 * and ended — to the second, from the pod's own API timestamps, never from sampled metrics
 * (OpenCost's 300 s resolution loses a 10-second Job entirely). Integers only: epoch seconds,
 * millicores, bytes.
 *
 * Start: the `PodReadyToStartContainers` condition's transition to True — the sandbox (for us
 * the microVM) and its network are up, the moment ECI starts its clock. That condition does not
 * last: the kubelet turns it False once the sandbox is torn down (on a finished pod its
 * transition time is the END) and moves it later when the sandbox is recreated. So the
 * `nodeless.dev/sandbox-started` condition, which admission copies from its FIRST transition to
 * True and which the kubelet then keeps (meter-admission.ts's sandboxStartPolicy), comes first:
 * it is what makes a pod that started and ended while no meter ran exact. Without it (a pod of
 * a system namespace, the switch off, a pod older than the policy), the condition while True;
 * then the earliest container start (init containers included) stands in. A start the meter saw
 * earlier (`observedStart`) wins over all: it came from this same order on the meter's first
 * look at the pod, and the records already written start there.
 *
 * End: for a pod in Succeeded or Failed, the latest container `finishedAt`; for a deleted pod,
 * the latest `finishedAt` when every container reports one, else the deletion moment the caller
 * saw (`deletedAt`); a container waiting to restart keeps the pod alive until then. A terminal
 * pod without any `finishedAt` ends at its last condition transition. A running pod has no end
 * yet. Timestamps arrive as RFC 3339 (whole seconds on the wire); a start is floored and an end
 * is rounded up to the second, as Fargate rounds partial seconds up.
 *
 * @see https://www.kubernetes.dev/resources/keps/3085/ — the condition; stories 4 and 5 (sandbox
 *   restart, graceful sandbox termination) are why a False condition's time is not the start
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-has-network
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus
 * @see https://www.alibabacloud.com/help/en/eci/product-overview/billing-overview
 * @see https://aws.amazon.com/fargate/pricing/
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import {
  effectiveRequest,
  billableSize,
  DEFAULT_POD_SIZE,
  podSizeByLabel,
  quantityMilliValue,
  quantityValue,
  type PodSize,
  type ResourceAmount,
} from '@nodeless/common';
import { controllerOf, timeOf, type ObjectRef, type Timestamp } from '../kinds/kind.ts';
import { workloadOf, type OwnerIndex } from '../kinds/owners.ts';
import { SIZE_LABEL } from '../kinds/template-size.ts';
import { POD_TEMPLATE_HASH_LABEL } from '../workloads/operate/history.ts';
import { SANDBOX_STARTED_CONDITION } from './meter-names.ts';

/** Where the billed size came from. */
export type SpecSource =
  /** The `nodeless.dev/size` label admission wrote. */
  | 'label'
  /** The effective request rounded up to a table size (no label: admission did not run). */
  | 'size'
  /** The effective request as is: larger than any size (admission would have refused it). */
  | 'request'
  /** Nothing requested, no label: the default size admission would give. */
  | 'default';

export type StartSource =
  /** The start the meter recorded when it first saw the pod. */
  | 'observed'
  /** The `nodeless.dev/sandbox-started` condition admission wrote: the first sandbox's start. */
  | 'sandbox-started'
  /** `PodReadyToStartContainers` while True. */
  | 'sandbox'
  /** The earliest container start the status still shows. */
  | 'container';
export type EndSource = 'containers' | 'deleted' | 'conditions';

export interface PodLife {
  uid: string;
  namespace: string;
  name: string;
  /** The workload (Deployment, StatefulSet, CronJob, Job …); absent for a bare pod. */
  owner?: ObjectRef;
  labels: Readonly<Record<string, string>>;
  /** What is billed: millicores and bytes. */
  spec: PodSize;
  specSource: SpecSource;
  runtimeClass?: string;
  /** `spec.overhead` admission added for the RuntimeClass; absent when none. */
  overhead?: ResourceAmount;
  /** Epoch seconds; absent while the sandbox never came up (nothing to bill). */
  start?: number;
  startSource?: StartSource;
  /** Epoch seconds; absent while the pod runs. */
  end?: number;
  endSource?: EndSource;
}

export interface PodLifeOptions {
  /** The ReplicaSet and Job caches' owner index: resolves Deployment and CronJob exactly. */
  owners?: OwnerIndex;
  /** The moment (ms since the epoch) the meter saw the pod deleted. */
  deletedAtMs?: number;
  /** A start (epoch seconds) the meter recorded on an earlier observation of this pod. */
  observedStart?: number;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

const floorSeconds = (ms: number): number => Math.floor(ms / 1000);
const ceilSeconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * The workload of a pod. The owner index answers exactly; without an entry (the ReplicaSet is
 * already gone, or the meter keeps no ReplicaSet cache) a ReplicaSet named `<deployment>-<hash>`
 * whose pod carries `pod-template-hash: <hash>` belongs to Deployment `<deployment>`: the
 * Deployment controller names its ReplicaSets that way and is the only one to set that label.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pod-template-hash-label
 */
export function meteredWorkload(pod: V1Pod, owners?: OwnerIndex): ObjectRef | undefined {
  const namespace = pod.metadata?.namespace ?? '';
  const direct = controllerOf(pod);
  const resolved = workloadOf(namespace, direct, owners);
  if (!direct || resolved !== direct || direct.kind !== 'ReplicaSet') return resolved;
  const hash = pod.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  const suffix = `-${hash ?? ''}`;
  if (hash && direct.name.endsWith(suffix) && direct.name.length > suffix.length) {
    return { kind: 'Deployment', name: direct.name.slice(0, -suffix.length) };
  }
  return direct;
}

/** The billed size: the admission label, else the request rounded up, else as asked. */
export function podSpecOf(pod: V1Pod): { spec: PodSize; source: SpecSource } {
  const label = pod.metadata?.labels?.[SIZE_LABEL];
  const byLabel = label === undefined ? undefined : podSizeByLabel(label);
  if (byLabel) return { spec: byLabel, source: 'label' };
  const request = effectiveRequest(pod.spec ?? { containers: [] });
  if (request.cpuMilli === 0 && request.memoryBytes === 0) {
    return { spec: DEFAULT_POD_SIZE, source: 'default' };
  }
  try {
    return { spec: billableSize(request), source: 'size' };
  } catch {
    return { spec: request, source: 'request' };
  }
}

/** `spec.overhead` as integers, or undefined when the pod has none. */
export function podOverheadOf(pod: V1Pod): ResourceAmount | undefined {
  const overhead = pod.spec?.overhead;
  if (!overhead || Object.keys(overhead).length === 0) return undefined;
  const cpu = overhead['cpu'];
  const memory = overhead['memory'];
  return {
    cpuMilli: cpu === undefined ? 0 : quantityMilliValue(cpu),
    memoryBytes: memory === undefined ? 0 : quantityValue(memory),
  };
}

function allStatuses(pod: V1Pod): V1ContainerStatus[] {
  const s = pod.status;
  return [
    ...(s?.initContainerStatuses ?? []),
    ...(s?.containerStatuses ?? []),
    ...(s?.ephemeralContainerStatuses ?? []),
  ];
}

/** Every container start the status still shows (current and last state), in ms. */
function containerStarts(statuses: readonly V1ContainerStatus[]): number[] {
  const out: Timestamp[] = [];
  for (const c of statuses) {
    out.push(c.state?.running?.startedAt, c.state?.terminated?.startedAt);
    out.push(c.lastState?.terminated?.startedAt);
  }
  return out.map(timeOf).filter((t): t is number => t !== undefined);
}

/** Start in epoch seconds and where it came from (see the module comment). */
export function podStart(
  pod: V1Pod,
  observedStart?: number,
): { start: number; source: StartSource } | undefined {
  if (observedStart !== undefined) return { start: observedStart, source: 'observed' };
  const conditions = pod.status?.conditions ?? [];
  const recorded = conditions.find((c) => c.type === SANDBOX_STARTED_CONDITION);
  const first = recorded?.status === 'True' ? timeOf(recorded.lastTransitionTime) : undefined;
  if (first !== undefined) return { start: floorSeconds(first), source: 'sandbox-started' };
  const ready = conditions.find((c) => c.type === 'PodReadyToStartContainers');
  const sandbox = ready?.status === 'True' ? timeOf(ready.lastTransitionTime) : undefined;
  if (sandbox !== undefined) return { start: floorSeconds(sandbox), source: 'sandbox' };
  const starts = containerStarts(allStatuses(pod));
  if (starts.length === 0) return undefined;
  return { start: floorSeconds(Math.min(...starts)), source: 'container' };
}

/**
 * The latest `finishedAt` of the pod's containers in ms, or undefined while a container runs or
 * waits to restart (its previous instance terminated, the sandbox is still up) — unless the pod
 * is terminal, where nothing restarts any more.
 */
function latestFinish(
  statuses: readonly V1ContainerStatus[],
  terminal: boolean,
): number | undefined {
  let latest: number | undefined;
  for (const c of statuses) {
    if (c.state?.running) return undefined;
    const restarting = c.state?.waiting !== undefined && c.lastState?.terminated !== undefined;
    if (restarting && !terminal) return undefined;
    const finished = timeOf(c.state?.terminated?.finishedAt ?? c.lastState?.terminated?.finishedAt);
    if (finished === undefined) continue; // waiting, never started: nothing ran
    latest = latest === undefined ? finished : Math.max(latest, finished);
  }
  return latest;
}

/** The latest condition transition (ms): when a terminal pod without container times ended. */
function lastTransition(pod: V1Pod): number | undefined {
  const times = (pod.status?.conditions ?? [])
    .map((c) => timeOf(c.lastTransitionTime))
    .filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : Math.max(...times);
}

/**
 * End in epoch seconds and where it came from; undefined while the pod runs. A terminal pod
 * none of whose containers reports `finishedAt` (its sandbox came up, then the pod failed before
 * a container ran) ends at its last condition transition, the kubelet's last status change.
 */
export function podEnd(
  pod: V1Pod,
  deletedAtMs?: number,
): { end: number; source: EndSource } | undefined {
  const terminal = TERMINAL.has(pod.status?.phase ?? '');
  const finished = latestFinish(allStatuses(pod), terminal);
  if ((terminal || deletedAtMs !== undefined) && finished !== undefined) {
    return { end: ceilSeconds(finished), source: 'containers' };
  }
  // A finished pod deleted much later (a Job's TTL) ended when it finished, not when it went.
  const transition = terminal ? lastTransition(pod) : undefined;
  if (transition !== undefined) return { end: ceilSeconds(transition), source: 'conditions' };
  if (deletedAtMs !== undefined) return { end: ceilSeconds(deletedAtMs), source: 'deleted' };
  return undefined;
}

/**
 * The life record of a pod.
 *
 * @throws QuantityError when a quantity on the pod is malformed (the API server refuses those,
 *   so it means the object did not come from an API server).
 */
export function podLife(pod: V1Pod, options: PodLifeOptions = {}): PodLife {
  const m = pod.metadata;
  const owner = meteredWorkload(pod, options.owners);
  const { spec, source } = podSpecOf(pod);
  const overhead = podOverheadOf(pod);
  const runtimeClass = pod.spec?.runtimeClassName;
  const start = podStart(pod, options.observedStart);
  const end = start ? podEnd(pod, options.deletedAtMs) : undefined;
  return {
    uid: m?.uid ?? '',
    namespace: m?.namespace ?? '',
    name: m?.name ?? '',
    ...(owner ? { owner } : {}),
    labels: m?.labels ?? {},
    spec,
    specSource: source,
    ...(runtimeClass ? { runtimeClass } : {}),
    ...(overhead ? { overhead } : {}),
    ...(start ? { start: start.start, startSource: start.source } : {}),
    ...(end ? { end: Math.max(end.end, start?.start ?? end.end), endSource: end.source } : {}),
  };
}

/** Seconds the pod lived (0 before it started; up to `nowSeconds` while it runs). */
export function lifeSeconds(life: PodLife, nowSeconds: number): number {
  if (life.start === undefined) return 0;
  return Math.max(0, (life.end ?? nowSeconds) - life.start);
}
