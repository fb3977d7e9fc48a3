/**
 * JSON merge patch (RFC 7386) and a compact strategic merge patch: lists named in MERGE_KEYS
 * merge element-wise by their patchMergeKey, other lists replace; `null` deletes; directives
 * `$patch: replace|delete|merge`, `$deleteFromPrimitiveList/<f>`, `$setElementOrder/<f>` and
 * `$retainKeys` are honoured (the last two as upstream: ordering / pruning hints).
 *
 * The merge keys are the ones upstream declares on the core types (`patchMergeKey` tags); kube-sim
 * keys them by field name, which is unambiguous for the kinds it serves (service vs container
 * `ports` are told apart by their items).
 *
 * @see https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
 * @see https://datatracker.ietf.org/doc/html/rfc7386
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Field name → patchMergeKey (lists of objects merged element-wise). */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  readinessGates: 'conditionType',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  // `ports` is resolved per items (containerPort for containers, port for services).
  ports: 'containerPort',
};

/** Lists of scalars that merge as sets (patchStrategy: merge). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The merge key for a list field, or undefined when the list is atomic. */
export function mergeKeyFor(field: string, items: readonly Json[]): string | undefined {
  if (field === 'ports') {
    const first = items.find(isObject);
    if (first === undefined) return 'containerPort';
    return 'containerPort' in first ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Applies a strategic merge patch to `original` (neither is mutated). */
export function strategicMerge(original: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch['$patch'] === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest);
  }
  const out: JsonObject = isObject(original) ? { ...original } : {};
  const retain = patch['$retainKeys'];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = cur.filter((x) => !drop.has(JSON.stringify(x)));
      continue;
    }
    if (v === null) {
      Reflect.deleteProperty(out, k);
      continue;
    }
    if (isObject(v) && v['$patch'] === 'delete') {
      Reflect.deleteProperty(out, k);
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(k, out[k], v);
      continue;
    }
    out[k] = isObject(v) ? strategicMerge(out[k], v) : v;
  }
  if (Array.isArray(retain)) {
    const keep = new Set(retain.filter((x): x is string => typeof x === 'string'));
    for (const k of Object.keys(out)) if (!keep.has(k)) Reflect.deleteProperty(out, k);
  }
  return out;
}

function mergeList(field: string, original: Json | undefined, patch: Json[]): Json[] {
  const orig = Array.isArray(original) ? original : [];
  if (patch.some((x) => isObject(x) && x['$patch'] === 'replace')) {
    return patch.filter((x) => !(isObject(x) && x['$patch'] === 'replace')).map(stripDirectives);
  }
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    const out = [...orig];
    for (const x of patch)
      if (!out.some((y) => JSON.stringify(y) === JSON.stringify(x))) out.push(x);
    return out;
  }
  const key = mergeKeyFor(field, [...patch, ...orig]);
  if (key === undefined || !patch.every(isObject)) return patch.map(stripDirectives);
  const out: Json[] = [...orig];
  for (const item of patch as JsonObject[]) {
    const idx = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(stripDirectives(item));
  }
  return out;
}

/** Removes `$…` directive keys from a value inserted as-is. */
export function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v))
    if (!k.startsWith('$') && x !== null) out[k] = stripDirectives(x);
  return out;
}
