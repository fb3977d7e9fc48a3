/**
 * Label selectors, node selector terms and taint tolerations, evaluated as upstream does.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
import type { V1LabelSelector, V1NodeSelectorTerm, V1Toleration } from '@kubernetes/client-node';
import type { Taint as V1Taint } from './model.ts';

type Labels = Record<string, string> | undefined;

/** metav1.LabelSelector semantics: an empty selector matches everything, a missing one nothing. */
export function matchesSelector(selector: V1LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(l, e.key);
    const value = l[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A plain map selector (Service.spec.selector, Pod.spec.nodeSelector): every pair must match. */
export function matchesMap(selector: Record<string, string> | undefined, labels: Labels): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector ?? {})) if (l[k] !== v) return false;
  return true;
}

/** One NodeSelectorTerm (matchExpressions on labels, matchFields on metadata.name). */
function matchesTerm(term: V1NodeSelectorTerm, nodeName: string, labels: Labels): boolean {
  const l = labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const e of exprs) {
    const has = Object.hasOwn(l, e.key);
    const v = l[e.key] ?? '';
    const vals = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? has && vals.includes(v)
        : e.operator === 'NotIn'
          ? !has || !vals.includes(v)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : e.operator === 'Gt'
                ? has && Number(v) > Number(vals[0])
                : e.operator === 'Lt'
                  ? has && Number(v) < Number(vals[0])
                  : false;
    if (!ok) return false;
  }
  for (const f of fields) {
    if (f.key !== 'metadata.name') return false;
    const inList = (f.values ?? []).includes(nodeName);
    if (f.operator === 'In' ? !inList : f.operator === 'NotIn' ? inList : true) return false;
  }
  return true;
}

/** requiredDuringSchedulingIgnoredDuringExecution: the terms are ORed. */
export function matchesNodeSelectorTerms(
  terms: V1NodeSelectorTerm[] | undefined,
  nodeName: string,
  labels: Labels,
): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => matchesTerm(t, nodeName, labels));
}

/** Whether a toleration tolerates a taint (v1.Toleration.ToleratesTaint). */
export function tolerates(t: V1Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  // An empty key with operator Exists tolerates every taint.
  if ((t.operator ?? 'Equal') === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule/NoExecute taint none of the tolerations tolerate, if any. */
export function untoleratedTaint(
  taints: V1Taint[],
  tolerations: V1Toleration[] | undefined,
): V1Taint | undefined {
  return taints.find(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !(tolerations ?? []).some((t) => tolerates(t, taint)),
  );
}
