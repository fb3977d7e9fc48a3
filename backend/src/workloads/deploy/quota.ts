/**
 * Will `replicas` pods fit the namespace's ResourceQuotas? The API server enforces a quota on
 * each pod as it is created — by the ReplicaSet controller, after the Deployment was accepted —
 * so a dry run of the Deployment cannot see it, and a dry run of one pod sees only the first.
 * This projects the rest with the server's own numbers: each quota's `status.used` and
 * `spec.hard`, and the pod as admission made it (the dry-run pod: its size after the sizing
 * policy, plus its RuntimeClass `spec.overhead`, which quota counts too). Pods the Deployment
 * already runs are in `used` and are replaced, so they are taken out first.
 *
 * Requests equal limits for every sized pod, so one amount serves `requests.*`, `limits.*` and
 * the bare `cpu`/`memory` names.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#compute-resource-quota
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-overhead/
 */
import {
  describeSize,
  effectiveRequest,
  quantityMilliValue,
  quantityValue,
  type PodSpecLike,
  type ResourceAmount,
} from '@nodeless/common';

export interface QuotaLike {
  metadata?: { name?: string };
  spec?: { hard?: Record<string, string> };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export interface PodLike {
  spec?: PodSpecLike & { overhead?: Record<string, string> };
  status?: { phase?: string };
}

/** What one pod counts in a quota: its effective request plus its overhead. */
export function quotaAmount(pod: PodLike): ResourceAmount {
  if (!pod.spec) return { cpuMilli: 0, memoryBytes: 0 };
  const own = effectiveRequest(pod.spec);
  const o = pod.spec.overhead ?? {};
  return {
    cpuMilli: own.cpuMilli + (o['cpu'] ? quantityMilliValue(o['cpu']) : 0),
    memoryBytes: own.memoryBytes + (o['memory'] ? quantityValue(o['memory']) : 0),
  };
}

type Unit = 'cpu' | 'memory' | 'count';
const TRACKED: Readonly<Record<string, Unit>> = {
  pods: 'count',
  cpu: 'cpu',
  'requests.cpu': 'cpu',
  'limits.cpu': 'cpu',
  memory: 'memory',
  'requests.memory': 'memory',
  'limits.memory': 'memory',
};

const read = (unit: Unit, q: string | undefined): number =>
  q === undefined ? 0 : unit === 'cpu' ? quantityMilliValue(q) : quantityValue(q);

function show(unit: Unit, n: number): string {
  if (unit === 'count') return String(n);
  if (unit === 'cpu') return `${n / 1000} vCPU`;
  return `${Math.round((n / 2 ** 30) * 100) / 100} GiB`;
}

const of = (unit: Unit, a: ResourceAmount): number =>
  unit === 'count' ? 1 : unit === 'cpu' ? a.cpuMilli : a.memoryBytes;

/** Where a quota refusal belongs, and what it says. */
export interface QuotaShortfall {
  field: 'replicas' | 'size';
  message: string;
}

/**
 * The first quota `replicas` pods of `pod` would exceed, or undefined when they fit.
 * `current` are the pods of this Deployment that run now (counted in `used`, to be replaced).
 */
export function quotaShortfall(
  quotas: readonly QuotaLike[],
  pod: PodLike,
  replicas: number,
  current: readonly PodLike[],
): QuotaShortfall | undefined {
  const each = quotaAmount(pod);
  const live = current.filter(
    (p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  for (const q of quotas) {
    const hard = q.status?.hard ?? q.spec?.hard ?? {};
    for (const [resource, limit] of Object.entries(hard)) {
      const unit = TRACKED[resource];
      if (!unit) continue;
      const max = read(unit, limit);
      const mine = live.reduce((sum, p) => sum + of(unit, quotaAmount(p)), 0);
      const others = Math.max(0, read(unit, q.status?.used?.[resource]) - mine);
      const need = replicas * of(unit, each);
      if (others + need <= max) continue;
      const name = q.metadata?.name ?? '';
      const single = others + of(unit, each) > max;
      const pods = `${replicas} pod${replicas === 1 ? '' : 's'} of ${describeSize(each)} (with the sandbox overhead)`;
      return {
        field: single ? 'size' : 'replicas',
        message:
          `${single ? `one pod of ${describeSize(each)} (with the sandbox overhead)` : pods} ` +
          `would exceed the quota "${name}": ${resource} is limited to ${show(unit, max)} ` +
          `and other pods use ${show(unit, others)}; ` +
          (single
            ? 'pick a smaller size'
            : `at most ${Math.floor((max - others) / Math.max(1, of(unit, each)))} fit`),
      };
    }
  }
  return undefined;
}
