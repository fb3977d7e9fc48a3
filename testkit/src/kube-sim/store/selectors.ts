/**
 * Label and field selectors in the API's string syntax, compiled once into predicates.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/
 */
import { StoreError, type KubeObject } from './types.ts';

export type ObjectPredicate = (object: KubeObject) => boolean;

type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: Set<string> }
  | { op: 'exists' | 'notexists'; key: string };

const always: ObjectPredicate = () => true;

/** Splits on commas that are not inside parentheses (`a in (x,y),b=c`). */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseLabelTerm(term: string): LabelRequirement {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (setMatch !== null) {
    const values = new Set(
      (setMatch[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    );
    return { op: setMatch[2] === 'in' ? 'in' : 'notin', key: setMatch[1] ?? '', values };
  }
  const eqMatch = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
  if (eqMatch !== null) {
    return {
      op: eqMatch[2] === '!=' ? 'neq' : 'eq',
      key: eqMatch[1] ?? '',
      value: eqMatch[3] ?? '',
    };
  }
  if (/^![^\s!=(),]+$/.test(term)) return { op: 'notexists', key: term.slice(1) };
  if (/^[^\s!=(),]+$/.test(term)) return { op: 'exists', key: term };
  throw new StoreError(
    400,
    'BadRequest',
    `unable to parse requirement: invalid label selector term "${term}"`,
  );
}

/** Compiles a label selector; an empty selector matches everything. Throws 400 on bad syntax. */
export function compileLabelSelector(selector: string | undefined): ObjectPredicate {
  if (selector === undefined || selector.trim() === '') return always;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (object) => {
    const labels = object.metadata.labels ?? {};
    for (const r of reqs) {
      const has = Object.hasOwn(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'eq':
          if (v !== r.value) return false;
          break;
        case 'neq':
          if (v === r.value) return false;
          break;
        case 'in':
          if (v === undefined || !r.values.has(v)) return false;
          break;
        case 'notin':
          if (v !== undefined && r.values.has(v)) return false;
          break;
        case 'exists':
          if (!has) return false;
          break;
        case 'notexists':
          if (has) return false;
          break;
      }
    }
    return true;
  };
}

/** Reads a dotted field path (`spec.nodeName`) as the string form a field selector compares. */
export function fieldValue(object: KubeObject, path: string): string {
  let cur: unknown = object;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  if (typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean')
    return String(cur);
  return '';
}

/**
 * Compiles a field selector (`=`, `==`, `!=` terms joined by commas). Upstream supports a
 * per-kind list of fields; kube-sim accepts metadata.name, metadata.namespace, spec.nodeName,
 * status.phase and generic equality on any other scalar field.
 */
export function compileFieldSelector(selector: string | undefined): ObjectPredicate {
  if (selector === undefined || selector.trim() === '') return always;
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([A-Za-z0-9_.\-/]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m === null) throw new StoreError(400, 'BadRequest', `invalid field selector: "${term}"`);
    return { path: m[1] ?? '', neq: m[2] === '!=', value: (m[3] ?? '').trim() };
  });
  return (object) => {
    for (const r of reqs) {
      const v = fieldValue(object, r.path);
      if (r.neq ? v === r.value : v !== r.value) return false;
    }
    return true;
  };
}

/** If the field selector pins `spec.nodeName` to one value, returns it (used for indexing). */
export function pinnedNodeName(selector: string | undefined): string | undefined {
  if (selector === undefined) return undefined;
  for (const term of splitTerms(selector)) {
    const m = /^spec\.nodeName\s*==?\s*(.*)$/.exec(term);
    if (m !== null) return (m[1] ?? '').trim();
  }
  return undefined;
}
