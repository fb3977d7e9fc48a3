/**
 * A pod's STATUS, READY and RESTARTS exactly as `kubectl get pods` prints them, so the Pods
 * table and the terminal agree word for word: `Init:0/1`, `Init:CrashLoopBackOff`,
 * `Init:ExitCode:1`, `PodInitializing`, `ContainerCreating`, `CrashLoopBackOff`,
 * `ErrImagePull`, `Completed`, `Error`, `OOMKilled`, `NotReady`, `SchedulingGated`,
 * `Terminating`, `Unknown` (a deleted pod on an unreachable node), `Evicted` (status.reason)…
 *
 * Rules, in kubectl's order: start from the phase, or `status.reason` when set; a
 * SchedulingGated PodScheduled condition wins; walk the init containers — a terminated one
 * with exit 0 and a started sidecar (restartPolicy Always) are passed, the first other one
 * decides (`Init:<reason>`, `Init:Signal:n`, `Init:ExitCode:n`, or `Init:i/n`); when
 * initialisation is over, walk the regular containers from last to first — a waiting or
 * terminated reason overwrites, ready running ones count; `Completed` with a container still
 * running reads `Running` (pod Ready) or `NotReady`; a deletion timestamp makes any
 * non-terminal pod `Terminating` (or `Unknown` when its node is unreachable).
 *
 * Restarts count regular containers and sidecars (plain init containers only while the pod
 * is still initialising); the latest restart time is the newest `lastState.terminated.finishedAt`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printPod)
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
import type { V1Container, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { conditionStatus, timeOf } from './kind.ts';

export interface PodStatusColumns {
  /** kubectl's STATUS column. */
  status: string;
  /** Ready containers (sidecars included) … */
  ready: number;
  /** … of this many (regular containers plus sidecars). */
  total: number;
  restarts: number;
  /** When the most recent counted restart happened (ms), for "3 (5m ago)". */
  lastRestartAt?: number;
}

/** The reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE = 'NodeLost';

const isSidecar = (c: V1Container | undefined): boolean => c?.restartPolicy === 'Always';

const lastFinished = (s: V1ContainerStatus): number | undefined =>
  timeOf(s.lastState?.terminated?.finishedAt);

const later = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/** What one init container status says, or undefined when it lets initialisation go on. */
function initReason(
  s: V1ContainerStatus,
  spec: V1Container | undefined,
  index: number,
  count: number,
): { reason?: string; readySidecar?: boolean } {
  const terminated = s.state?.terminated;
  if (terminated && terminated.exitCode === 0) return {};
  if (isSidecar(spec) && s.started === true) return { readySidecar: s.ready };
  if (terminated) {
    if (terminated.reason) return { reason: `Init:${terminated.reason}` };
    return {
      reason: terminated.signal
        ? `Init:Signal:${terminated.signal}`
        : `Init:ExitCode:${terminated.exitCode}`,
    };
  }
  const waiting = s.state?.waiting?.reason;
  if (waiting && waiting !== 'PodInitializing') return { reason: `Init:${waiting}` };
  return { reason: `Init:${index}/${count}` };
}

export function podStatusColumns(pod: V1Pod): PodStatusColumns {
  const status = pod.status;
  const phase = status?.phase ?? '';
  const initSpecs = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, c]));
  let reason = status?.reason || phase;
  if (status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    reason = 'SchedulingGated';

  let total = pod.spec?.containers?.length ?? 0;
  for (const c of initSpecs.values()) if (isSidecar(c)) total++;
  let ready = 0;
  let restarts = 0;
  let lastRestartAt: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestartAt: number | undefined;

  let initializing = false;
  const initStatuses = status?.initContainerStatuses ?? [];
  for (const [i, s] of initStatuses.entries()) {
    restarts += s.restartCount ?? 0;
    lastRestartAt = later(lastRestartAt, lastFinished(s));
    const spec = initSpecs.get(s.name);
    if (isSidecar(spec)) {
      sidecarRestarts += s.restartCount ?? 0;
      lastSidecarRestartAt = later(lastSidecarRestartAt, lastFinished(s));
    }
    const verdict = initReason(s, spec, i, initSpecs.size);
    if (verdict.readySidecar) ready++;
    if (verdict.reason === undefined) continue;
    reason = verdict.reason;
    initializing = true;
    break;
  }

  if (!initializing || conditionStatus(status?.conditions, 'Initialized') === 'True') {
    restarts = sidecarRestarts;
    lastRestartAt = lastSidecarRestartAt;
    let hasRunning = false;
    const statuses = status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i] as V1ContainerStatus;
      restarts += s.restartCount ?? 0;
      lastRestartAt = later(lastRestartAt, lastFinished(s));
      const waiting = s.state?.waiting;
      const terminated = s.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal
          ? `Signal:${terminated.signal}`
          : `ExitCode:${terminated.exitCode}`;
      else if (s.ready && s.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning)
      reason = conditionStatus(status?.conditions, 'Ready') === 'True' ? 'Running' : 'NotReady';
  }

  const deleting = (pod.metadata?.deletionTimestamp ?? null) !== null;
  if (deleting && status?.reason === NODE_UNREACHABLE) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return {
    status: reason,
    ready,
    total,
    restarts,
    ...(restarts > 0 && lastRestartAt !== undefined ? { lastRestartAt } : {}),
  };
}
