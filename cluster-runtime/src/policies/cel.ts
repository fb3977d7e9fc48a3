/**
 * CEL fragments of the serverless policies, rendered from common's tables (never hand-copied):
 * the size table as CEL literals, quantities as integers (millicores, bytes), and a pod's
 * effective request computed exactly as common's `effectiveRequest` computes it, for a pod spec
 * found at any CEL path (`object.spec`, `object.spec.template.spec`, …).
 *
 * Kubernetes CEL has no user functions, so each fragment is a text template: the per-container
 * amount is written out inline where a `map()` needs it. The libraries used are all in the
 * 1.36 API server's CEL environment: quantity, lists (`sum`, `max`, `slice`, `indexOf`,
 * `lists.range`), two-variable comprehensions (`transformList`), strings (`split`).
 *
 * @see https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-quantity-library
 * @see https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-list-library
 * @see ../../../common/src/effective-request.ts — the reference this mirrors
 */
import { DEFAULT_POD_SIZE, POD_SIZES, podSizeLabel, type PodSize } from '@nodeless/common';

/** A CEL string literal (single-quoted, `\\` and `'` escaped; no newlines in these texts). */
export function celString(text: string): string {
  if (text.includes('\n')) throw new Error(`not a one-line CEL string: ${text}`);
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** `{'0.25x0.5': [250, 536870912], …}`: every size by its label, as [cpuMilli, memoryBytes]. */
export function sizeTableLiteral(sizes: readonly PodSize[] = POD_SIZES): string {
  return `{${sizes.map((s) => `${celString(podSizeLabel(s))}: [${s.cpuMilli}, ${s.memoryBytes}]`).join(', ')}}`;
}

/** The size labels in table order (ascending by vCPU, then memory): the first fit is the smallest. */
export function sizeOrderLiteral(sizes: readonly PodSize[] = POD_SIZES): string {
  return `[${sizes.map((s) => celString(podSizeLabel(s))).join(', ')}]`;
}

/**
 * ⌈q × 1000⌉ of quantity text `q` exactly: the float estimate is truncated, then corrected by an
 * exact quantity comparison (`0.1234` → 124, like `Quantity.MilliValue()`).
 */
export function milliOf(q: string): string {
  const est = `int(quantity(${q}).asApproximateFloat() * 1000.0)`;
  return `(quantity(string(${est}) + 'm').isLessThan(quantity(${q})) ? ${est} + 1 : ${est})`;
}

/** ⌈q⌉ of quantity text `q` (bytes): exact for integers, which every sane memory quantity is. */
export function valueOf(q: string): string {
  return `(quantity(${q}).isInteger() ? quantity(${q}).asInteger() : int(quantity(${q}).asApproximateFloat()) + 1)`;
}

export type Resource = 'cpu' | 'memory';

/** What `resources` (of a container or the pod) holds of one resource: limit wins, else request, else 0. */
export function amountOf(resources: string, r: Resource): string {
  const conv = r === 'cpu' ? milliOf : valueOf;
  const has = (kind: 'limits' | 'requests') =>
    `has(${resources}.${kind}) && '${r}' in ${resources}.${kind}`;
  return (
    `(!has(${resources}) ? 0 : ${has('limits')} ? ${conv(`${resources}.limits['${r}']`)} : ` +
    `${has('requests')} ? ${conv(`${resources}.requests['${r}']`)} : 0)`
  );
}

/** Whether pod-level `resources` set this resource at all (then it wins, as in `effectiveRequest`). */
function podLevelSets(spec: string, r: Resource): string {
  const res = `${spec}.resources`;
  return (
    `(has(${res}) && ((has(${res}.limits) && '${r}' in ${res}.limits) || ` +
    `(has(${res}.requests) && '${r}' in ${res}.requests)))`
  );
}

export interface CelVariable {
  name: string;
  expression: string;
}

/**
 * Variables computing the effective request and the billable size of the pod spec at `spec`
 * (a variable reference such as `variables.spec`), after common's `effectiveRequest`:
 * sidecars (init containers with restartPolicy Always) add to the app containers; each init
 * container's peak is itself plus the sidecars started before it; the pod needs the larger;
 * pod-level resources win where set. `defaultSize` is a CEL expression naming the size label a
 * pod that asks for nothing gets.
 *
 * Defines: effCpu, effMemory (millicores, bytes), asksNothing, fit (labels of the sizes that
 * hold it, smallest first), size (the label, '' when none holds it), sizeCpu, sizeMemory.
 */
export function sizingVariables(spec: string, defaultSize: string): CelVariable[] {
  const vars: CelVariable[] = [
    { name: 'sizes', expression: sizeTableLiteral() },
    { name: 'sizeOrder', expression: sizeOrderLiteral() },
  ];
  const init = `${spec}.initContainers`;
  for (const r of ['cpu', 'memory'] as const) {
    const R = r === 'cpu' ? 'Cpu' : 'Memory';
    const amount = amountOf('c.resources', r);
    vars.push(
      { name: `app${R}`, expression: `${spec}.containers.map(c, ${amount}).sum()` },
      { name: `init${R}`, expression: `has(${init}) ? ${init}.map(c, ${amount}) : []` },
      {
        name: `sidecar${R}`,
        expression: `has(${init}) ? ${init}.map(c, has(c.restartPolicy) && c.restartPolicy == 'Always' ? ${amount} : 0) : []`,
      },
      {
        name: `initPeak${R}`,
        expression: `([0] + variables.init${R}.transformList(i, v, v + variables.sidecar${R}.slice(0, i).sum())).max()`,
      },
      {
        name: `eff${R}`,
        expression:
          `${podLevelSets(spec, r)} ? ${amountOf(`${spec}.resources`, r)} : ` +
          `[variables.app${R} + variables.sidecar${R}.sum(), variables.initPeak${R}].max()`,
      },
    );
  }
  vars.push(
    { name: 'asksNothing', expression: 'variables.effCpu == 0 && variables.effMemory == 0' },
    {
      name: 'fit',
      expression:
        `variables.asksNothing ? [${defaultSize}] : variables.sizeOrder.filter(l, ` +
        `variables.sizes[l][0] >= variables.effCpu && variables.sizes[l][1] >= variables.effMemory)`,
    },
    { name: 'size', expression: `variables.fit.size() > 0 ? variables.fit[0] : ''` },
    {
      name: 'sizeCpu',
      expression: `variables.size == '' ? 0 : variables.sizes[variables.size][0]`,
    },
    {
      name: 'sizeMemory',
      expression: `variables.size == '' ? 0 : variables.sizes[variables.size][1]`,
    },
  );
  return vars;
}

/** The default size's label as a CEL literal (`'0.25x0.5'`). */
export const DEFAULT_SIZE_LITERAL = celString(podSizeLabel(DEFAULT_POD_SIZE));

/** `x / unit` as a CEL decimal string (`'0.25'`, `'13'`): for messages only. */
export function celDecimal(x: string, unit: number): string {
  return `string(double(${x}) / ${unit.toFixed(1)})`;
}
