/**
 * The HPA editor's model and the autoscaling/v2 HorizontalPodAutoscaler it stands for — the
 * object `kubectl autoscale deployment web --min=1 --max=5 --cpu=80%` would make, plus a memory
 * target and the scale-down stabilisation window. Nothing else goes in: the object is a plain
 * HPA a kubectl user reads back (`kubectl get hpa -o yaml`) and may change.
 *
 * An HPA with metrics the editor does not show (pods, object, external metrics, average-value
 * or per-container targets) has no model: saving one would drop them (`spec.metrics` is an
 * atomic list under server-side apply), so the editor sends the user to the YAML instead.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/autoscaling/validation/validation.go
 */
import type { V2HorizontalPodAutoscaler, V2MetricSpec } from '@kubernetes/client-node';
import { HPA, hpaConditionsInWords, type HpaConditionText } from '../../kinds/hpa.ts';
import { timeOf } from '../../kinds/kind.ts';

/** What an HPA scales here: the workloads with a `scale` subresource and a pod template. */
export type ScalableKind = 'Deployment' | 'StatefulSet';

export interface HpaModel {
  namespace: string;
  name: string;
  target: { kind: ScalableKind; name: string };
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU use as a percent of the pods' requests. */
  cpuUtilization?: number;
  /** Target average memory use as a percent of the pods' requests. */
  memoryUtilization?: number;
  /** `behavior.scaleDown.stabilizationWindowSeconds`; absent = the controller's 300 s. */
  scaleDownStabilizationSeconds?: number;
}

/** The API's upper bound on a stabilisation window (one hour). */
export const MAX_STABILIZATION_SECONDS = 3600;
/** Far past any pool we run, short of numbers that only come from a typo. */
export const MAX_HPA_REPLICAS = 1000;
/** Utilisation is a percent of the request and may exceed 100; past 1000 % is a typo. */
export const MAX_UTILIZATION_PERCENT = 1000;

export type HpaModelErrors = Partial<Record<keyof HpaModel | 'metrics', string>>;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function wholeIn(value: number, min: number, max: number, unit: string): string | undefined {
  if (!Number.isInteger(value)) return 'must be a whole number';
  if (value < min) return `must be at least ${min}${unit}`;
  if (value > max) return `must be at most ${max}${unit}`;
  return undefined;
}

/** Field errors of the model (empty when the API server would accept it). */
export function validateHpaModel(m: HpaModel): HpaModelErrors {
  const errors: HpaModelErrors = {};
  if (!m.name) errors.name = 'is required';
  else if (m.name.length > 253 || !DNS_SUBDOMAIN.test(m.name))
    errors.name = 'must be lower-case letters, digits, "-" or "." (at most 253)';
  const min = wholeIn(m.minReplicas, 1, MAX_HPA_REPLICAS, '');
  if (min) errors.minReplicas = min;
  const max = wholeIn(m.maxReplicas, 1, MAX_HPA_REPLICAS, '');
  if (max) errors.maxReplicas = max;
  else if (!min && m.maxReplicas < m.minReplicas)
    errors.maxReplicas = `must be at least the minimum (${m.minReplicas})`;
  for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
    const v = m[key];
    if (v === undefined) continue;
    const problem = wholeIn(v, 1, MAX_UTILIZATION_PERCENT, ' %');
    if (problem) errors[key] = problem;
  }
  if (m.cpuUtilization === undefined && m.memoryUtilization === undefined)
    errors.metrics = 'set a CPU or a memory target (or both)';
  const window = m.scaleDownStabilizationSeconds;
  if (window !== undefined) {
    const problem = wholeIn(window, 0, MAX_STABILIZATION_SECONDS, ' seconds');
    if (problem) errors.scaleDownStabilizationSeconds = problem;
  }
  return errors;
}

function utilizationMetric(name: 'cpu' | 'memory', percent: number): V2MetricSpec {
  return {
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization: percent } },
  };
}

/** The HPA object to apply (server-side apply, field manager `nodeless`). */
export function hpaObject(m: HpaModel): V2HorizontalPodAutoscaler {
  const metrics: V2MetricSpec[] = [];
  if (m.cpuUtilization !== undefined) metrics.push(utilizationMetric('cpu', m.cpuUtilization));
  if (m.memoryUtilization !== undefined)
    metrics.push(utilizationMetric('memory', m.memoryUtilization));
  return {
    apiVersion: HPA.apiVersion,
    kind: HPA.kind,
    metadata: { name: m.name, namespace: m.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: m.target.kind, name: m.target.name },
      minReplicas: m.minReplicas,
      maxReplicas: m.maxReplicas,
      metrics,
      ...(m.scaleDownStabilizationSeconds === undefined
        ? {}
        : {
            behavior: {
              scaleDown: { stabilizationWindowSeconds: m.scaleDownStabilizationSeconds },
            },
          }),
    },
  };
}

/** Why an HPA cannot be edited in the form, or undefined when it can. */
export function unsupportedHpa(h: V2HorizontalPodAutoscaler): string | undefined {
  const kind = h.spec?.scaleTargetRef.kind;
  if (kind !== 'Deployment' && kind !== 'StatefulSet')
    return `it scales a ${kind ?? 'missing'} target`;
  const seen = new Set<string>();
  for (const metric of h.spec?.metrics ?? []) {
    const name = metric.resource?.name;
    if (
      metric.type !== 'Resource' ||
      (name !== 'cpu' && name !== 'memory') ||
      metric.resource?.target.type !== 'Utilization' ||
      metric.resource.target.averageUtilization === undefined ||
      seen.has(name)
    )
      return 'it has metrics other than CPU and memory utilisation';
    seen.add(name);
  }
  return undefined;
}

/** The model of an HPA (for the editor), or undefined when {@link unsupportedHpa} says why not. */
export function hpaModelOf(h: V2HorizontalPodAutoscaler): HpaModel | undefined {
  if (unsupportedHpa(h)) return undefined;
  const spec = h.spec;
  if (!spec) return undefined;
  const percent = (name: string) =>
    spec.metrics?.find((x) => x.resource?.name === name)?.resource?.target.averageUtilization;
  const cpu = percent('cpu');
  const memory = percent('memory');
  const window = spec.behavior?.scaleDown?.stabilizationWindowSeconds;
  return {
    namespace: h.metadata?.namespace ?? '',
    name: h.metadata?.name ?? '',
    target: { kind: spec.scaleTargetRef.kind as ScalableKind, name: spec.scaleTargetRef.name },
    minReplicas: spec.minReplicas ?? 1,
    maxReplicas: spec.maxReplicas,
    ...(cpu === undefined ? {} : { cpuUtilization: cpu }),
    ...(memory === undefined ? {} : { memoryUtilization: memory }),
    ...(window === undefined ? {} : { scaleDownStabilizationSeconds: window }),
  };
}

/** A resource metric now against its target (`cpu 45 % of 80 %`). */
export interface HpaMetricNow {
  resource: string;
  /** The target percent; absent for average-value targets. */
  targetUtilization?: number;
  /** Measured percent; absent until the controller has read the metrics. */
  currentUtilization?: number;
  /** Measured average as a quantity (`120m`, `200Mi`), when the controller wrote one. */
  currentAverageValue?: string;
}

/** What the editor shows beside the model: replicas now and wanted, metrics, conditions. */
export interface HpaState {
  name: string;
  model?: HpaModel;
  /** Why the form cannot edit it (then the YAML can). */
  unsupported?: string;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: HpaMetricNow[];
  conditions: HpaConditionText[];
  /** ms since the epoch of the last scaling. */
  lastScaleTime?: number;
}

export function hpaState(h: V2HorizontalPodAutoscaler): HpaState {
  const model = hpaModelOf(h);
  const unsupported = unsupportedHpa(h);
  const metrics: HpaMetricNow[] = [];
  for (const spec of h.spec?.metrics ?? []) {
    if (spec.type !== 'Resource' || !spec.resource) continue;
    const name = spec.resource.name;
    const now = h.status?.currentMetrics?.find(
      (s) => s.type === 'Resource' && s.resource?.name === name,
    )?.resource?.current;
    const target = spec.resource.target.averageUtilization;
    const value = now?.averageValue;
    metrics.push({
      resource: name,
      ...(target === undefined ? {} : { targetUtilization: target }),
      ...(now?.averageUtilization === undefined
        ? {}
        : { currentUtilization: now.averageUtilization }),
      ...(value === undefined ? {} : { currentAverageValue: String(value) }),
    });
  }
  const lastMs = timeOf(h.status?.lastScaleTime);
  return {
    name: h.metadata?.name ?? '',
    ...(model ? { model } : {}),
    ...(unsupported ? { unsupported } : {}),
    currentReplicas: h.status?.currentReplicas ?? 0,
    desiredReplicas: h.status?.desiredReplicas ?? 0,
    metrics,
    conditions: hpaConditionsInWords(h.status?.conditions),
    ...(lastMs === undefined ? {} : { lastScaleTime: lastMs }),
  };
}
