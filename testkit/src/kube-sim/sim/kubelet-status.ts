/**
 * Pod status as the kubelet writes it: container statuses, the five pod conditions and the QoS
 * class. Pure functions of the kubelet's per-container state.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
 */
import { isoTime, type Pod, type Wire } from './model.ts';
import type { V1ContainerStatus, V1PodCondition } from '@kubernetes/client-node';

export type ContainerPhase = 'creating' | 'running' | 'backoff' | 'terminated';

/** The kubelet's view of one container. */
export interface ContainerRun {
  name: string;
  image: string;
  phase: ContainerPhase;
  ready: boolean;
  restartCount: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** The previous run's termination, shown as lastState. */
  last?: { exitCode: number; reason: string; startedAt: number; finishedAt: number };
  containerID: string;
}

type ContainerStatus = Wire<V1ContainerStatus>;
type PodCondition = Wire<V1PodCondition>;

export function containerStatus(c: ContainerRun): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    image: c.image,
    imageID:
      c.phase === 'creating'
        ? ''
        : `docker.io/library/${c.image.split(':')[0]}@sha256:${'0'.repeat(60)}sim`,
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.phase === 'running',
    state: {},
  };
  if (c.phase !== 'creating') s.containerID = c.containerID;
  if (c.phase === 'creating') s.state = { waiting: { reason: 'ContainerCreating' } };
  else if (c.phase === 'running') s.state = { running: { startedAt: isoTime(c.startedAt ?? 0) } };
  else if (c.phase === 'backoff')
    s.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${backoffSeconds(c.restartCount)}s restarting failed container=${c.name}`,
      },
    };
  else
    s.state = {
      terminated: {
        exitCode: c.exitCode ?? 0,
        reason: (c.exitCode ?? 0) === 0 ? 'Completed' : 'Error',
        startedAt: isoTime(c.startedAt ?? 0),
        finishedAt: isoTime(c.finishedAt ?? 0),
        containerID: c.containerID,
      },
    };
  if (c.last)
    s.lastState = {
      terminated: {
        exitCode: c.last.exitCode,
        reason: c.last.reason,
        startedAt: isoTime(c.last.startedAt),
        finishedAt: isoTime(c.last.finishedAt),
        containerID: c.containerID,
      },
    };
  return s;
}

/** CrashLoopBackOff delay after `restarts` restarts: 10 s doubling, capped at 300 s. */
export function backoffSeconds(restarts: number): number {
  return Math.min(300, 10 * 2 ** Math.max(0, restarts));
}

/** Keeps lastTransitionTime when a condition's status does not change, as the kubelet does. */
export function conditions(
  prior: PodCondition[] | undefined,
  next: [type: string, ok: boolean, reason?: string][],
  now: number,
): PodCondition[] {
  return next.map(([type, ok, reason]) => {
    const status = ok ? 'True' : 'False';
    const old = prior?.find((c) => c.type === type);
    const c: PodCondition = {
      type,
      status,
      lastProbeTime: undefined,
      lastTransitionTime:
        old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : isoTime(now),
    };
    delete c.lastProbeTime;
    if (reason && !ok) c.reason = reason;
    return c;
  });
}

export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let hasResources = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) hasResources = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      if (l === undefined || (req[r] !== undefined && req[r] !== l)) guaranteed = false;
    }
  }
  return !hasResources ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** What the kubelet knows about a pod's sandbox that its status is built from. */
export interface PodRunState {
  phase: 'creating' | 'running' | 'terminating' | 'done';
  containers: ContainerRun[];
  ip?: string;
  startTime: number;
}

/**
 * The pod status the kubelet reports for `run`: phase, the five pod conditions, IPs, start
 * time, container statuses and QoS class.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions
 */
export function podStatus(
  pod: Pod,
  run: PodRunState,
  at: { hostIP: string | undefined; now: number; terminalPhase?: 'Succeeded' | 'Failed' },
): NonNullable<Pod['status']> {
  const running = run.phase === 'running' && run.containers.some((c) => c.phase !== 'terminated');
  const allReady =
    run.phase === 'running' && run.containers.length > 0 && run.containers.every((c) => c.ready);
  const notReadyReason = at.terminalPhase !== undefined ? 'PodCompleted' : 'ContainersNotReady';
  const status: NonNullable<Pod['status']> = {
    ...pod.status,
    phase: at.terminalPhase ?? (running ? 'Running' : 'Pending'),
    conditions: conditions(
      pod.status?.conditions,
      [
        ['PodReadyToStartContainers', run.phase !== 'creating'],
        ['Initialized', true],
        ['Ready', allReady, notReadyReason],
        ['ContainersReady', allReady, notReadyReason],
        ['PodScheduled', true],
      ],
      at.now,
    ),
    hostIP: at.hostIP,
    hostIPs: at.hostIP ? [{ ip: at.hostIP }] : [],
    startTime: pod.status?.startTime ?? isoTime(run.startTime),
    containerStatuses: run.containers.map(containerStatus),
    qosClass: qosClass(pod),
  };
  if (run.ip && run.phase !== 'creating') {
    status.podIP = run.ip;
    status.podIPs = [{ ip: run.ip }];
  }
  return status;
}
