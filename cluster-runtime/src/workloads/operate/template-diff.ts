/**
 * The difference between two revisions' pod templates, field by field
 * (`spec.containers[web].image: nginx:1.25 → nginx:1.27`) — what `kubectl rollout history
 * --revision=N` leaves the reader to spot between two printed templates. Lists of named items
 * (containers, env, ports, volumes) are keyed by name so a reordering does not read as every
 * field changing; other lists by position. The controller's `pod-template-hash` label differs
 * between every two revisions and says nothing, so it is left out.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/history.go (printTemplate)
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { withoutTemplateHash } from './history.ts';

export interface TemplateChange {
  /** Dotted path; named list items in brackets (`spec.containers[web].image`). */
  path: string;
  /** Absent when the field was added. */
  before?: string;
  /** Absent when the field was removed. */
  after?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const named = (list: unknown[]): boolean =>
  list.length > 0 && list.every((v) => isObject(v) && typeof v['name'] === 'string');

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Leaves of a JSON value as path → text (null and undefined are absent, as the API omits them). */
export function flatten(value: unknown, path = '', out = new Map<string, string>()) {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    const byName = named(value);
    value.forEach((item, i) => {
      const key = byName ? String((item as { name: string }).name) : String(i);
      flatten(item, `${path}[${key}]`, out);
    });
    return out;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
    if (entries.length === 0 && path !== '') out.set(path, '{}');
    for (const [key, v] of entries) flatten(v, path === '' ? key : `${path}.${key}`, out);
    return out;
  }
  out.set(path, text(value));
  return out;
}

/** The fields that differ from `from` to `to`, in path order. */
export function templateDiff(from: V1PodTemplateSpec, to: V1PodTemplateSpec): TemplateChange[] {
  const a = flatten(withoutTemplateHash(from));
  const b = flatten(withoutTemplateHash(to));
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: TemplateChange[] = [];
  for (const path of paths) {
    const before = a.get(path);
    const after = b.get(path);
    if (before === after) continue;
    changes.push({
      path,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    });
  }
  return changes;
}
