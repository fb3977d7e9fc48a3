/**
 * What the details pane shows of a pod, read defensively from the object the API returned
 * (`PodDetail.object` is untyped JSON): containers with images and resources, status,
 * conditions. Unknown shapes give empty lists, never a crash.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
 */

export interface ContainerSummary {
  name: string;
  image: string;
  init: boolean;
  /** `cpu: 500m, memory: 1Gi` as written in the spec; empty when none. */
  requests: string;
  limits: string;
  /** From status.containerStatuses: ready, restarts, state in words. */
  ready?: boolean;
  restarts?: number;
  state?: string;
}

export interface ConditionSummary {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransition?: string;
}

export interface PodSummary {
  containers: ContainerSummary[];
  conditions: ConditionSummary[];
  podIP?: string;
  node?: string;
  qosClass?: string;
  runtimeClass?: string;
  startTime?: string;
  message?: string;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}
function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.flatMap((x) => (obj(x) ? [x as Obj] : [])) : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function resources(r: unknown): string {
  const o = obj(r);
  if (!o) return '';
  return Object.entries(o)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

/** `Running since …`, `Waiting: CrashLoopBackOff`, `Terminated: Completed (exit 0)`. */
function stateText(state: unknown): string | undefined {
  const s = obj(state);
  if (!s) return undefined;
  const running = obj(s.running);
  if (running)
    return str(running.startedAt) ? `Running since ${str(running.startedAt)}` : 'Running';
  const waiting = obj(s.waiting);
  if (waiting) return `Waiting: ${str(waiting.reason) ?? 'unknown reason'}`;
  const terminated = obj(s.terminated);
  if (terminated) {
    const code = terminated.exitCode;
    return `Terminated: ${str(terminated.reason) ?? 'no reason'}${typeof code === 'number' ? ` (exit ${code})` : ''}`;
  }
  return undefined;
}

export function podSummary(object: Record<string, unknown>): PodSummary {
  const spec = obj(object.spec) ?? {};
  const status = obj(object.status) ?? {};
  const statuses = new Map<string, Obj>();
  for (const cs of [...list(status.initContainerStatuses), ...list(status.containerStatuses)]) {
    const name = str(cs.name);
    if (name) statuses.set(name, cs);
  }
  const containers = [
    ...list(spec.initContainers).map((c) => ({ c, init: true })),
    ...list(spec.containers).map((c) => ({ c, init: false })),
  ].map(({ c, init }): ContainerSummary => {
    const name = str(c.name) ?? '';
    const res = obj(c.resources) ?? {};
    const cs = statuses.get(name);
    const state = stateText(cs?.state);
    return {
      name,
      image: str(c.image) ?? '',
      init,
      requests: resources(res.requests),
      limits: resources(res.limits),
      ...(typeof cs?.ready === 'boolean' ? { ready: cs.ready } : {}),
      ...(typeof cs?.restartCount === 'number' ? { restarts: cs.restartCount } : {}),
      ...(state ? { state } : {}),
    };
  });
  const conditions = list(status.conditions).map((c): ConditionSummary => ({
    type: str(c.type) ?? '',
    status: str(c.status) ?? '',
    ...(str(c.reason) ? { reason: str(c.reason) } : {}),
    ...(str(c.message) ? { message: str(c.message) } : {}),
    ...(str(c.lastTransitionTime) ? { lastTransition: str(c.lastTransitionTime) } : {}),
  }));
  const pick = (k: string, v: unknown) => (str(v) ? { [k]: str(v) } : {});
  return {
    containers,
    conditions,
    ...pick('podIP', status.podIP),
    ...pick('node', spec.nodeName),
    ...pick('qosClass', status.qosClass),
    ...pick('runtimeClass', spec.runtimeClassName),
    ...pick('startTime', status.startTime),
    ...pick('message', status.message),
  };
}
