/**
 * HorizontalPodAutoscaler (autoscaling/v2): identity and row — kubectl's REFERENCE, TARGETS
 * (`cpu: 45%/80%`, `<unknown>` where the metric is missing — never a 0 that was not
 * measured), MINPODS, MAXPODS and REPLICAS, and whether scaling is active (metrics readable).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (formatHPAMetrics)
 */
import type {
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
  V2MetricStatus,
  V2MetricTarget,
  V2MetricValueStatus,
} from '@kubernetes/client-node';
import { conditionStatus, kindIdentity, rowBase, type ObjectRef, type RowBase } from './kind.ts';

export const HPA = kindIdentity(
  'autoscaling',
  'v2',
  'HorizontalPodAutoscaler',
  'horizontalpodautoscalers',
  true,
);

export interface HpaRow extends RowBase {
  namespace: string;
  /** What it scales (kubectl's REFERENCE). */
  target: ObjectRef;
  /** kubectl's TARGETS column. */
  targets: string;
  min: number;
  max: number;
  current: number;
  desired: number;
  /** ScalingActive: False when the metrics cannot be read (then the targets say `<unknown>`). */
  scalingActive?: boolean;
  /** AbleToScale, ScalingActive and ScalingLimited in words (what `kubectl describe hpa` lists). */
  conditions: HpaConditionText[];
}

/** One HPA condition as a person reads it: a headline from type and status, then the controller's words. */
export interface HpaConditionText {
  type: string;
  status: string;
  /** The controller's CamelCase reason (`SucceededRescale`, `FailedGetResourceMetric`). */
  reason?: string;
  message?: string;
  /** `Cannot read the metrics` — from type and status, so it reads the same whoever wrote it. */
  headline: string;
}

/**
 * Headlines of the three conditions the HPA controller writes.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/#appendix-horizontal-pod-autoscaler-status-conditions
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go
 */
const HEADLINES: Record<string, { True: string; False: string }> = {
  AbleToScale: {
    True: 'Able to scale',
    False: 'Cannot scale now',
  },
  ScalingActive: {
    True: 'Reads the metrics and computes the replicas',
    False: 'Cannot compute the replicas',
  },
  ScalingLimited: {
    True: 'Held at the minimum or maximum',
    False: 'Within the minimum and maximum',
  },
};

/** The known conditions first, in the order above, then any other, each in words. */
export function hpaConditionsInWords(
  conditions: readonly { type: string; status: string; reason?: string; message?: string }[] = [],
): HpaConditionText[] {
  const order = Object.keys(HEADLINES);
  const rank = (type: string) => (order.includes(type) ? order.indexOf(type) : order.length);
  return [...conditions]
    .sort((a, b) => rank(a.type) - rank(b.type))
    .map((c) => {
      const known = HEADLINES[c.type];
      const headline =
        known && (c.status === 'True' || c.status === 'False')
          ? known[c.status]
          : `${c.type}: ${c.status}`;
      return {
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
        headline,
      };
    });
}

const UNKNOWN = '<unknown>';
/** kubectl shows two metrics and counts the rest. */
const SHOWN = 2;

/** `current/target` of a value or average-value metric, `(avg)` marked as kubectl does. */
function valuePair(target: V2MetricTarget, current: V2MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined)
    return `${current?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
  return `${current?.value ?? UNKNOWN}/${target.value ?? UNKNOWN}`;
}

/** `cpu: 45%/80%` (utilisation) or `memory: 200Mi/500Mi` (average value). */
function resourcePair(
  name: string,
  target: V2MetricTarget,
  current: V2MetricValueStatus | undefined,
): string {
  if (target.averageValue !== undefined)
    return `${name}: ${current?.averageValue ?? UNKNOWN}/${target.averageValue}`;
  const now = current?.averageUtilization;
  const want = target.averageUtilization;
  return `${name}: ${now === undefined ? UNKNOWN : `${now}%`}/${want === undefined ? '<auto>' : `${want}%`}`;
}

function metricText(spec: V2MetricSpec, status: V2MetricStatus | undefined): string {
  switch (spec.type) {
    case 'Resource':
      return spec.resource
        ? resourcePair(spec.resource.name, spec.resource.target, status?.resource?.current)
        : UNKNOWN;
    case 'ContainerResource':
      return spec.containerResource
        ? resourcePair(
            spec.containerResource.name,
            spec.containerResource.target,
            status?.containerResource?.current,
          )
        : UNKNOWN;
    case 'Pods':
      return `${status?.pods?.current.averageValue ?? UNKNOWN}/${spec.pods?.target.averageValue ?? UNKNOWN}`;
    case 'Object':
      return spec.object ? valuePair(spec.object.target, status?.object?.current) : UNKNOWN;
    case 'External':
      return spec.external ? valuePair(spec.external.target, status?.external?.current) : UNKNOWN;
    default:
      return '<unknown type>';
  }
}

/** kubectl's TARGETS: statuses pair with specs by position. */
export function formatHpaTargets(
  specs: readonly V2MetricSpec[] | undefined,
  statuses: readonly V2MetricStatus[] | undefined,
): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((spec, i) => metricText(spec, statuses?.[i]));
  const shown = list.slice(0, SHOWN).join(', ');
  return list.length > SHOWN ? `${shown} + ${list.length - SHOWN} more...` : shown;
}

export function hpaRow(h: V2HorizontalPodAutoscaler): HpaRow {
  const base = rowBase(h);
  const active = conditionStatus(h.status?.conditions, 'ScalingActive');
  return {
    ...base,
    namespace: base.namespace ?? '',
    target: { kind: h.spec?.scaleTargetRef.kind ?? '', name: h.spec?.scaleTargetRef.name ?? '' },
    targets: formatHpaTargets(h.spec?.metrics, h.status?.currentMetrics),
    min: h.spec?.minReplicas ?? 1,
    max: h.spec?.maxReplicas ?? 0,
    current: h.status?.currentReplicas ?? 0,
    desired: h.status?.desiredReplicas ?? 0,
    ...(active === undefined ? {} : { scalingActive: active === 'True' }),
    conditions: hpaConditionsInWords(h.status?.conditions),
  };
}
