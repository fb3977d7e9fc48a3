/**
 * Server-side apply and field ownership: managedFields in FieldsV1 form, one entry per
 * (manager, operation), conflicts when an applier sets a field another manager owns to a
 * different value (409 naming manager and fields unless `force`), shared ownership when the value
 * is the same, and removal of fields the applier owned before but no longer applies.
 *
 * Simplifications (documented, deliberate): ownership is tracked on leaves; lists without a merge
 * key are atomic leaves; lists of scalars are atomic; status is not tracked.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://github.com/kubernetes-sigs/structured-merge-diff/blob/master/fieldpath/serialize.go
 */
import { StoreError, type KubeObject } from '../store/types.ts';
import { isObject, mergeKeyFor, strategicMerge, type Json, type JsonObject } from './strategic.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  /** Absent on the entries upstream's scale handler writes (see scale-fields.ts). */
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

/** A leaf path: FieldsV1 segments (`f:spec`, `k:{"name":"web"}`). */
type Path = string[];
const SEP = '\u0000';

const UNTRACKED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
]);

/** Leaf paths of a (partial) object, as SSA tracks them. */
export function leafPaths(obj: KubeObject | JsonObject): Path[] {
  const out: Path[] = [];
  const walk = (v: Json, path: Path, field: string): void => {
    if (Array.isArray(v)) {
      const key = mergeKeyFor(field, v);
      if (
        key !== undefined &&
        v.length > 0 &&
        v.every((x) => isObject(x) && x[key] !== undefined)
      ) {
        for (const item of v as JsonObject[]) {
          const seg = `k:${JSON.stringify({ [key]: item[key] ?? null })}`;
          out.push([...path, seg, '.']);
          for (const [k, x] of Object.entries(item)) walk(x, [...path, seg, `f:${k}`], k);
        }
        return;
      }
      out.push(path);
      return;
    }
    if (isObject(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, `f:${k}`], k);
      return;
    }
    out.push(path);
  };
  const o = obj as JsonObject;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    if (k === 'metadata' && isObject(v)) {
      for (const [mk, mv] of Object.entries(v))
        if (!UNTRACKED_META.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], mk);
      continue;
    }
    walk(v, [`f:${k}`], k);
  }
  return out;
}

export function toFieldsV1(paths: Iterable<Path>): JsonObject {
  const root: JsonObject = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p) {
      const next = cur[seg];
      if (isObject(next)) cur = next;
      else {
        const n: JsonObject = {};
        cur[seg] = n;
        cur = n;
      }
    }
  }
  return root;
}

export function fromFieldsV1(f: JsonObject, prefix: Path = []): Path[] {
  const out: Path[] = [];
  for (const [seg, sub] of Object.entries(f)) {
    const p = [...prefix, seg];
    if (isObject(sub) && Object.keys(sub).length > 0) out.push(...fromFieldsV1(sub, p));
    else out.push(p);
  }
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(obj: Json, path: Path): Json | undefined {
  let cur: Json | undefined = obj;
  for (const seg of path) {
    if (seg === '.') return cur;
    if (seg.startsWith('f:')) {
      cur = isObject(cur) ? cur[seg.slice(2)] : undefined;
    } else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as JsonObject;
      const [[k, want] = ['', null]] = Object.entries(key);
      cur = Array.isArray(cur)
        ? cur.find((x) => isObject(x) && JSON.stringify(x[k]) === JSON.stringify(want))
        : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removeAt(obj: Json, path: Path): void {
  if (path.length === 0) return;
  const last = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  const parent = valueAt(obj, last.slice(0, -1));
  const seg = last[last.length - 1] ?? '';
  if (seg.startsWith('f:') && isObject(parent)) Reflect.deleteProperty(parent, seg.slice(2));
  else if (seg.startsWith('k:') && Array.isArray(parent)) {
    const found = valueAt(obj, last);
    const i = parent.indexOf(found as Json);
    if (i >= 0) parent.splice(i, 1);
  }
}

/** `.spec.template.spec.containers[name="web"].image`, as upstream prints field paths. */
export function pathString(p: Path): string {
  let s = '';
  for (const seg of p) {
    if (seg === '.') continue;
    if (seg.startsWith('f:')) s += `.${seg.slice(2)}`;
    else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as JsonObject;
      s += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
  }
  return s;
}

const overlaps = (a: string, b: string): boolean =>
  a === b || a.startsWith(b + SEP) || b.startsWith(a + SEP);

function entriesOf(o: KubeObject | undefined): ManagedFieldsEntry[] {
  return ((o?.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter((e) =>
    isObject(e.fieldsV1),
  );
}

interface ApplyArgs {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  apiVersion: string;
  force: boolean;
  now: string;
}

/** Computes the object after a server-side apply; throws 409 on conflicts. */
export function serverSideApply(a: ApplyArgs): KubeObject {
  const appliedPaths = leafPaths(a.applied);
  const appliedKeys = appliedPaths.map((p) => p.join(SEP));
  const entries = entriesOf(a.live);
  const conflicts = new Map<ManagedFieldsEntry, Path[]>();
  const liveJson = (a.live ?? {}) as unknown as Json;
  const appliedJson = a.applied as unknown as Json;
  const others = entries.filter((e) => !(e.manager === a.manager && e.operation === 'Apply'));
  for (const e of others) {
    for (const owned of fromFieldsV1(e.fieldsV1)) {
      const ok = owned.join(SEP);
      for (let i = 0; i < appliedPaths.length; i++) {
        const ak = appliedKeys[i] ?? '';
        if (!overlaps(ok, ak)) continue;
        const shorter = ok.length <= ak.length ? owned : (appliedPaths[i] ?? []);
        if (shorter[shorter.length - 1] === '.') continue;
        const same =
          JSON.stringify(valueAt(liveJson, shorter)) ===
          JSON.stringify(valueAt(appliedJson, shorter));
        if (!same) {
          const list = conflicts.get(e) ?? [];
          if (!list.some((p) => p.join(SEP) === shorter.join(SEP))) list.push(shorter);
          conflicts.set(e, list);
        }
      }
    }
  }
  if (conflicts.size > 0 && !a.force) throw conflictError(conflicts);
  const { metadata: _am, ...appliedBody } = a.applied;
  const base = structuredClone(
    a.live ?? { apiVersion: a.applied.apiVersion, kind: a.applied.kind, metadata: {} },
  );
  const merged = strategicMerge(
    base as unknown as Json,
    appliedBody as unknown as Json,
  ) as unknown as KubeObject;
  const appliedMeta = a.applied.metadata ?? {};
  merged.metadata = { ...base.metadata };
  if (appliedMeta.labels !== undefined)
    merged.metadata.labels = { ...merged.metadata.labels, ...appliedMeta.labels };
  if (appliedMeta.annotations !== undefined)
    merged.metadata.annotations = { ...merged.metadata.annotations, ...appliedMeta.annotations };
  if (appliedMeta.finalizers !== undefined)
    merged.metadata.finalizers = [
      ...new Set([...(merged.metadata.finalizers ?? []), ...appliedMeta.finalizers]),
    ];
  if (appliedMeta.ownerReferences !== undefined)
    merged.metadata.ownerReferences = appliedMeta.ownerReferences;
  merged.metadata.name = appliedMeta.name ?? merged.metadata.name;
  if (appliedMeta.namespace !== undefined) merged.metadata.namespace = appliedMeta.namespace;
  // Drop what this manager applied before and no longer applies, unless someone else owns it.
  const prev = entries.find((e) => e.manager === a.manager && e.operation === 'Apply');
  const appliedSet = new Set(appliedKeys);
  const newEntries: ManagedFieldsEntry[] = [];
  const forced = new Set([...conflicts.values()].flat().map((p) => p.join(SEP)));
  for (const e of others) {
    const kept = fromFieldsV1(e.fieldsV1).filter(
      (p) => ![...forced].some((f) => overlaps(f, p.join(SEP))),
    );
    if (kept.length > 0) newEntries.push({ ...e, fieldsV1: toFieldsV1(kept) });
  }
  if (prev !== undefined) {
    const otherOwned = new Set(
      newEntries.flatMap((e) => fromFieldsV1(e.fieldsV1).map((p) => p.join(SEP))),
    );
    const stale = fromFieldsV1(prev.fieldsV1).filter(
      (p) => !appliedSet.has(p.join(SEP)) && !otherOwned.has(p.join(SEP)),
    );
    // Deepest first so list items go before their parents.
    stale.sort((x, y) => y.length - x.length);
    for (const p of stale) removeAt(merged as unknown as Json, p);
  }
  newEntries.push({
    manager: a.manager,
    operation: 'Apply',
    apiVersion: a.apiVersion,
    time: a.now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedPaths),
  });
  merged.metadata.managedFields = newEntries;
  return merged;
}

/**
 * How upstream names a conflicting manager: `"alice"` for an applier; for an Update manager also
 * the version it wrote with (`"kubectl" using v1`); a subresource manager says so. The manager
 * identifier upstream prints never carries the entry's time (BuildManagerIdentifier drops it).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/managedfields/internal/conflict.go (printManager)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/managedfields/internal/managedfields.go (BuildManagerIdentifier)
 */
function printManager(e: ManagedFieldsEntry): string {
  let who = JSON.stringify(e.manager);
  if (e.subresource !== undefined && e.subresource !== '')
    who = `${who} with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') return `${who} using ${e.apiVersion}`;
  return who;
}

/**
 * The 409 of a conflicting apply: one conflict on one line; several grouped by manager (sorted),
 * a `- path` line each. Details carry only the causes, as `errors.NewApplyConflict` writes.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/managedfields/internal/conflict.go (NewConflictError)
 */
function conflictError(conflicts: Map<ManagedFieldsEntry, Path[]>): StoreError {
  const total = [...conflicts.values()].reduce((n, l) => n + l.length, 0);
  const causes: Array<{ reason: string; message: string; field: string }> = [];
  for (const [entry, paths] of conflicts)
    for (const p of paths)
      causes.push({
        reason: 'FieldManagerConflict',
        message: `conflict with ${printManager(entry)}`,
        field: pathString(p),
      });
  let message: string;
  if (total === 1) {
    const [entry, paths] = [...conflicts][0] ?? [];
    message = `Apply failed with 1 conflict: conflict with ${entry === undefined ? '' : printManager(entry)}: ${pathString(paths?.[0] ?? [])}`;
  } else {
    const sorted = [...conflicts].sort(([a], [b]) =>
      a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0,
    );
    const lines = sorted.flatMap(([entry, paths]) => [
      `conflicts with ${printManager(entry)}:`,
      ...paths.map((p) => `- ${pathString(p)}`),
    ]);
    message = `Apply failed with ${total} conflicts: ${lines.join('\n')}`;
  }
  return new StoreError(409, 'Conflict', message, { causes });
}

/** Records an Update-operation write: fields changed by `manager` move to it. */
export function trackUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  apiVersion: string,
  now: string,
): void {
  const oldJson = (old ?? {}) as unknown as Json;
  const nextJson = next as unknown as Json;
  const changed = leafPaths(next).filter(
    (p) => JSON.stringify(valueAt(oldJson, p)) !== JSON.stringify(valueAt(nextJson, p)),
  );
  // A client that rewrites managedFields itself (kubectl's client-side → server-side apply
  // upgrade does) is taken at its word, as upstream does.
  const explicit =
    old !== undefined &&
    Array.isArray(next.metadata.managedFields) &&
    JSON.stringify(next.metadata.managedFields) !== JSON.stringify(old.metadata.managedFields);
  const entries = entriesOf(explicit ? next : (old ?? next));
  if (changed.length === 0) {
    // No managers, no field: upstream leaves `managedFields` out rather than empty.
    if (entries.length > 0) next.metadata.managedFields = entries;
    else delete next.metadata.managedFields;
    return;
  }
  const changedKeys = changed.map((p) => p.join(SEP));
  const out: ManagedFieldsEntry[] = [];
  let mine: Path[] = [];
  for (const e of entries) {
    const paths = fromFieldsV1(e.fieldsV1);
    if (e.manager === manager && e.operation === 'Update') {
      mine = paths;
      continue;
    }
    const kept = paths.filter((p) => !changedKeys.includes(p.join(SEP)));
    if (kept.length > 0) out.push({ ...e, fieldsV1: toFieldsV1(kept) });
  }
  const all = new Map([...mine, ...changed].map((p) => [p.join(SEP), p]));
  out.push({
    manager,
    operation: 'Update',
    apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(all.values()),
  });
  next.metadata.managedFields = out;
}
