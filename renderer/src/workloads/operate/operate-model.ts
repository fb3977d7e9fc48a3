/**
 * The pure parts of a workload's operations panel: its status from the live feeds, the HPA form
 * as text fields ↔ the API's input, the replicas field's steps, and the words for metrics,
 * progress and revisions. The
 * field rules themselves are the backend's (cluster-runtime's validateHpaModel, answered as a
 * 400 naming the field); here only what text cannot be a number is caught before sending.
 */
import type {
  HpaFeedRow,
  HpaMetricNow,
  HpaState,
  OperateHpaApplyInput,
  Revision,
  RolloutProgress,
  ScalableKind,
  TemplateChange,
  WorkloadRow,
  WorkloadStatus,
} from '@nodeless/backend/api';
import type { WorkloadRef } from '../workload-ref.ts';

/** The HPA form: every field as typed (empty = not set, for the optional ones). */
export interface HpaForm {
  name: string;
  minReplicas: string;
  maxReplicas: string;
  cpuUtilization: string;
  memoryUtilization: string;
  scaleDownStabilizationSeconds: string;
}

/** `kubectl autoscale`'s defaults: 1 to 2×, 80 % CPU; the window is the controller's 300 s. */
export function newHpaForm(workload: WorkloadRef, replicas: number | undefined): HpaForm {
  const min = Math.max(1, replicas ?? 1);
  return {
    name: workload.name,
    minReplicas: String(min),
    maxReplicas: String(Math.max(min * 2, min + 1)),
    cpuUtilization: '80',
    memoryUtilization: '',
    scaleDownStabilizationSeconds: '',
  };
}

/** The form of an HPA the editor can edit (its model). */
export function hpaFormOf(state: HpaState): HpaForm | undefined {
  const m = state.model;
  if (!m) return undefined;
  const text = (v: number | undefined) => (v === undefined ? '' : String(v));
  return {
    name: m.name,
    minReplicas: String(m.minReplicas),
    maxReplicas: String(m.maxReplicas),
    cpuUtilization: text(m.cpuUtilization),
    memoryUtilization: text(m.memoryUtilization),
    scaleDownStabilizationSeconds: text(m.scaleDownStabilizationSeconds),
  };
}

export const isScalable = (kind: string): kind is ScalableKind =>
  kind === 'Deployment' || kind === 'StatefulSet';

/**
 * The HPA that scales the workload, from the `hpas` feed: the oldest one targeting it (as the
 * backend's findHpa picks; two HPAs on one target is a misconfiguration the controller refuses
 * with AmbiguousSelector). One pass over a cluster's HPAs, which are few.
 */
export function hpaFor(hpas: Iterable<HpaFeedRow>, workload: WorkloadRef): HpaFeedRow | undefined {
  let found: HpaFeedRow | undefined;
  for (const h of hpas) {
    if (h.namespace !== workload.namespace) continue;
    if (h.target.kind !== workload.kind || h.target.name !== workload.name) continue;
    if (!found || (h.createdAt ?? 0) < (found.createdAt ?? 0)) found = h;
  }
  return found;
}

/**
 * What the panel shows of a workload now, from its `workloads` feed row (replicas, ready,
 * paused, the rollout's progress) and the HPA found by {@link hpaFor} — nothing is read from
 * the backend for it, so a `kubectl scale` shows at once.
 */
export function statusOf(row: WorkloadRow, hpa: HpaState | undefined): WorkloadStatus {
  return {
    uid: row.uid,
    ...(isScalable(row.kind)
      ? { replicas: row.desired, readyReplicas: row.ready, paused: row.paused }
      : {}),
    ...(row.progress ? { progress: row.progress } : {}),
    ...(hpa ? { hpa } : {}),
  };
}

/** A whole number from text, or the reason it is not one. */
export function wholeNumber(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'is required';
  if (!/^-?\d+$/.test(t)) return 'must be a whole number';
  return Number(t);
}

export type HpaFormResult =
  { ok: true; input: OperateHpaApplyInput } | { ok: false; errors: Record<string, string> };

/** The API input of the form, or the fields whose text is not a whole number. */
export function hpaInputOf(clusterId: string, workload: WorkloadRef, form: HpaForm): HpaFormResult {
  const errors: Record<string, string> = {};
  const required = (key: 'minReplicas' | 'maxReplicas') => {
    const v = wholeNumber(form[key]);
    if (typeof v === 'string') errors[key] = v;
    return typeof v === 'number' ? v : 0;
  };
  const optional = (
    key: 'cpuUtilization' | 'memoryUtilization' | 'scaleDownStabilizationSeconds',
  ) => {
    if (form[key].trim() === '') return undefined;
    const v = wholeNumber(form[key]);
    if (typeof v === 'string') errors[key] = v;
    return typeof v === 'number' ? v : undefined;
  };
  const minReplicas = required('minReplicas');
  const maxReplicas = required('maxReplicas');
  const cpu = optional('cpuUtilization');
  const memory = optional('memoryUtilization');
  const window = optional('scaleDownStabilizationSeconds');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (!isScalable(workload.kind)) return { ok: false, errors: { target: 'cannot be autoscaled' } };
  return {
    ok: true,
    input: {
      clusterId,
      namespace: workload.namespace,
      name: form.name.trim(),
      target: { kind: workload.kind, name: workload.name },
      minReplicas,
      maxReplicas,
      ...(cpu === undefined ? {} : { cpuUtilization: cpu }),
      ...(memory === undefined ? {} : { memoryUtilization: memory }),
      ...(window === undefined ? {} : { scaleDownStabilizationSeconds: window }),
    },
  };
}

const RESOURCE_NAMES: Record<string, string> = { cpu: 'CPU', memory: 'Memory' };

/** `CPU: 45 % of the 80 % target` (`CPU: target 80 %, not measured yet` before the first read). */
export function metricText(m: HpaMetricNow): string {
  const name = RESOURCE_NAMES[m.resource] ?? m.resource;
  const target = m.targetUtilization === undefined ? undefined : `${m.targetUtilization} %`;
  if (m.currentUtilization === undefined)
    return `${name}: ${target ? `target ${target}, ` : ''}not measured yet`;
  return `${name}: ${m.currentUtilization} %${target ? ` of the ${target} target` : ''}`;
}

/** The replicas field's ± steps, clamped at 0 and the API's maximum. */
export function stepReplicas(value: string, delta: number, max: number): string {
  const n = wholeNumber(value);
  const base = typeof n === 'number' ? n : 0;
  return String(Math.min(max, Math.max(0, base + delta)));
}

/** A rollout's progress as a sentence with its count (`2 of 3 ready — …`). */
export function progressText(p: RolloutProgress): string {
  if (p.failed) return `Failed: ${p.failed}`;
  return `${p.current} of ${p.max} updated and ready — ${p.description}`;
}

/** A revision's one line: images, change-cause when recorded. */
export function revisionText(r: Revision): string {
  const images = r.images.join(', ') || 'no image';
  return r.changeCause ? `${images} — ${r.changeCause}` : images;
}

/** `before → after`, `added: after`, `removed: before`. */
export function changeText(c: TemplateChange): string {
  if (c.before === undefined) return `added ${c.after ?? ''}`;
  if (c.after === undefined) return `removed ${c.before}`;
  return `${c.before} → ${c.after}`;
}
