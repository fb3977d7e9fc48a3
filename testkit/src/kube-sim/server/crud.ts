/**
 * The standard verbs on a resource (and its `status` subresource): get, list (limit/continue,
 * selectors, Table), create, update, patch (json/merge/strategic/apply), delete, deletecollection,
 * with dryRun=All and field-manager tracking.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */
import { qualified, notFound } from '../store/memory-store.ts';
import { detailsOf, StoreError, type DeleteOptions, type KubeObject } from '../store/types.ts';
import { serverSideApply, trackUpdate } from '../patch/ssa.ts';
import { applyDefaults, validate } from './admission.ts';
import { validateImmutableUpdate } from './immutable.ts';
import { applyPatch, patchTypeOf, readDocument, readObject } from './body.ts';
import { nowIso, stamp, type Call } from './context.ts';
import { boolParam } from './query.ts';
import { managerOf } from './field-manager.ts';
import { admitNew } from './admit-new.ts';
import { checkFields, refuseUnknownForApply } from './field-validation.ts';
import { respondList, respondObject } from './respond.ts';
import { HttpError, sendJson, statusObject } from './status.ts';

const q = (c: Call, k: string): string | null => c.url.searchParams.get(k);
const isDryRun = (c: Call): boolean => c.url.searchParams.getAll('dryRun').includes('All');

function hasStatus(c: Call): boolean {
  return c.ri.subresources.some((s) => s.name === 'status');
}

/** Checks kind/apiVersion/namespace/name of a body against the URL. */
function reconcileIdentity(c: Call, o: KubeObject, requireName: boolean): void {
  if (o.apiVersion !== undefined && o.apiVersion !== c.apiVersion) {
    throw new HttpError(
      400,
      'BadRequest',
      `the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${c.apiVersion})`,
    );
  }
  if (o.kind !== undefined && o.kind !== c.ri.kind) {
    throw new HttpError(
      400,
      'BadRequest',
      `the kind in the data (${String(o.kind)}) does not match the expected kind (${c.ri.kind})`,
    );
  }
  o.apiVersion = c.apiVersion;
  o.kind = c.ri.kind;
  if (c.ri.namespaced) {
    const ns = c.info.namespace ?? '';
    if (
      o.metadata.namespace !== undefined &&
      o.metadata.namespace !== '' &&
      o.metadata.namespace !== ns
    ) {
      throw new HttpError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    o.metadata.namespace = ns;
  } else delete o.metadata.namespace;
  if (requireName && c.info.name !== undefined) {
    if (o.metadata.name !== undefined && o.metadata.name !== c.info.name) {
      throw new HttpError(
        400,
        'BadRequest',
        `the name of the object (${o.metadata.name}) does not match the name on the URL (${c.info.name})`,
      );
    }
    o.metadata.name = c.info.name;
  }
}

/** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
function checkNamespace(c: Call): void {
  if (!c.ri.namespaced) return;
  const ns = c.info.namespace ?? '';
  const state = c.ctx.store.namespaceState(ns);
  if (state === 'missing')
    throw new StoreError(404, 'NotFound', `namespaces "${ns}" not found`, {
      name: ns,
      kind: 'namespaces',
    });
  if (state === 'terminating') {
    throw new StoreError(
      403,
      'Forbidden',
      `${c.ri.kind.toLowerCase()}s "${c.info.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      detailsOf(c.key, c.info.name),
    );
  }
}

/** Upstream's failed-precondition Conflict (the store's words for a stale update). */
function modified(c: Call): StoreError {
  const name = c.info.name ?? '';
  return new StoreError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(c.key)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(c.key, name),
  );
}

/** The body names a resourceVersion other than the stored one (an optimistic-lock miss). */
function stale(next: KubeObject, old: KubeObject): boolean {
  const given = next.metadata.resourceVersion;
  return given !== undefined && given !== '' && given !== old.metadata.resourceVersion;
}

function current(c: Call): KubeObject {
  const o = c.ctx.store.getRaw(c.key, c.info.namespace, c.info.name ?? '');
  if (o === undefined) throw notFound(c.key, c.info.name ?? '');
  return o;
}

export function handleGet(c: Call): void {
  respondObject(c, 200, current(c));
}

interface ContinueToken {
  rv: string;
  after: string;
}

export function handleList(c: Call): void {
  const limitText = q(c, 'limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw new HttpError(400, 'BadRequest', `invalid limit "${limitText ?? ''}"`);
  let token: ContinueToken | undefined;
  const cont = q(c, 'continue');
  if (cont !== null && cont !== '') {
    try {
      token = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as ContinueToken;
      if (typeof token.after !== 'string' || typeof token.rv !== 'string')
        throw new Error('bad token');
    } catch {
      throw new HttpError(400, 'BadRequest', 'continue key is not valid: illegal base64 data');
    }
  }
  const page = c.ctx.store.page(c.key, {
    ...(c.ri.namespaced && c.info.namespace !== undefined ? { namespace: c.info.namespace } : {}),
    ...(q(c, 'labelSelector') === null ? {} : { labelSelector: q(c, 'labelSelector') ?? '' }),
    ...(q(c, 'fieldSelector') === null ? {} : { fieldSelector: q(c, 'fieldSelector') ?? '' }),
    ...(limit === undefined || limit === 0 ? {} : { limit }),
    ...(token === undefined ? {} : { after: token.after }),
  });
  // Pages of one list share the resourceVersion of its first page, as upstream's snapshot does.
  const rv = token?.rv ?? page.resourceVersion;
  const next =
    page.nextAfter === undefined
      ? undefined
      : Buffer.from(JSON.stringify({ rv, after: page.nextAfter })).toString('base64url');
  const items = page.items.map((o) => stamp(o, c.apiVersion));
  respondList(
    c,
    items,
    rv,
    next === undefined ? undefined : { token: next, remaining: page.remaining },
  );
}

/** Admission + storage for a new object; shared by POST and apply-create. */
export function admitAndCreate(c: Call, o: KubeObject): KubeObject {
  checkNamespace(c);
  // The server assigns uids; one in the request is not kept.
  delete o.metadata.uid;
  // Names are generated before admission and the registry strategy see the object.
  if ((o.metadata.name ?? '') === '' && (o.metadata.generateName ?? '') !== '')
    o.metadata.name = `${o.metadata.generateName ?? ''}${c.ctx.store.nameSuffix()}`;
  applyDefaults(o, () => c.ctx.nextServiceIp());
  admitNew(c.ctx.store, c.key, o);
  validate(o, qualified(c.key));
  if (isDryRun(c)) {
    if (
      o.metadata.name !== undefined &&
      c.ctx.store.getRaw(c.key, o.metadata.namespace, o.metadata.name) !== undefined
    ) {
      throw new StoreError(
        409,
        'AlreadyExists',
        `${qualified(c.key)} "${o.metadata.name}" already exists`,
        detailsOf(c.key, o.metadata.name),
      );
    }
    return {
      ...o,
      metadata: {
        ...o.metadata,
        uid: o.metadata.uid ?? '00000000-0000-4000-8000-000000000000',
        creationTimestamp: nowIso(c.ctx),
      },
    };
  }
  return c.ctx.store.createRaw(c.key, o);
}

export async function handleCreate(c: Call): Promise<void> {
  const o = await readObject(c.req);
  checkFields(c, o, 'CreateOptions');
  reconcileIdentity(c, o, false);
  delete o.metadata.resourceVersion;
  trackUpdate(undefined, o, managerOf(c), c.apiVersion, nowIso(c.ctx));
  respondObject(c, 201, admitAndCreate(c, o));
}

/** Stores `next` over `old` (main resource or status), honouring dryRun. */
function write(
  c: Call,
  next: KubeObject,
  old: KubeObject,
  subresource: string | undefined,
): KubeObject {
  if (subresource === 'status') {
    const merged = { ...structuredClone(old), status: next['status'] };
    merged.metadata.resourceVersion = next.metadata.resourceVersion ?? old.metadata.resourceVersion;
    if (isDryRun(c)) return merged;
    return c.ctx.store.updateRaw(c.key, merged, { subresource: 'status' });
  }
  // On the main resource, status changes are ignored for kinds with a status subresource.
  if (hasStatus(c)) {
    if (old['status'] === undefined) delete next['status'];
    else next['status'] = old['status'];
  }
  // kube-apiserver's Store.Update checks the resourceVersion precondition before validating.
  if (stale(next, old)) throw modified(c);
  applyDefaults(next, () => c.ctx.nextServiceIp());
  validate(next, qualified(c.key));
  validateImmutableUpdate(next, old);
  trackUpdate(old, next, managerOf(c), c.apiVersion, nowIso(c.ctx));
  if (isDryRun(c)) return next;
  return c.ctx.store.updateRaw(c.key, next);
}

export async function handleUpdate(c: Call, subresource?: string): Promise<void> {
  const o = await readObject(c.req);
  checkFields(c, o, 'UpdateOptions');
  reconcileIdentity(c, o, true);
  const old = current(c);
  respondObject(c, 200, write(c, o, old, subresource));
}

export async function handlePatch(c: Call, subresource?: string): Promise<void> {
  const type = patchTypeOf(c.req.headers['content-type']);
  const doc = await readDocument(c.req);
  const old = c.ctx.store.getRaw(c.key, c.info.namespace, c.info.name ?? '');
  if (type === 'apply') {
    const manager = q(c, 'fieldManager');
    if (manager === null || manager === '') {
      throw new HttpError(
        400,
        'BadRequest',
        'PATCH requests with apply content type must have a fieldManager',
      );
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      throw new HttpError(400, 'BadRequest', 'apply patch must be an object');
    const applied = doc as KubeObject;
    applied.metadata ??= {};
    refuseUnknownForApply(c, applied);
    reconcileIdentity(c, applied, true);
    const force = boolParam(c.url.searchParams, 'force');
    const merged = serverSideApply({
      live: old,
      applied,
      manager,
      apiVersion: c.apiVersion,
      force,
      now: nowIso(c.ctx),
    });
    if (old === undefined) {
      respondObject(c, 201, admitAndCreate(c, merged));
      return;
    }
    merged.metadata.resourceVersion =
      applied.metadata.resourceVersion ?? old.metadata.resourceVersion;
    // A resourceVersion in the applied object is a precondition, checked first (dry runs too).
    if (stale(applied, old)) throw modified(c);
    const next = subresource === 'status' ? merged : merged;
    if (subresource !== 'status' && hasStatus(c)) next['status'] = old['status'];
    if (subresource !== 'status') {
      applyDefaults(next, () => c.ctx.nextServiceIp());
      validate(next, qualified(c.key));
      validateImmutableUpdate(next, old);
    }
    const stored = isDryRun(c)
      ? next
      : c.ctx.store.updateRaw(
          c.key,
          next,
          subresource === 'status' ? { subresource: 'status' } : undefined,
        );
    respondObject(c, 200, stored);
    return;
  }
  if (old === undefined) throw notFound(c.key, c.info.name ?? '');
  if (type === 'strategic' && c.ri.crd !== undefined) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      'strategic merge patch format is not supported',
    );
  }
  const patched = applyPatch(type, old, doc);
  if (patched === null || typeof patched !== 'object' || patched.metadata === undefined) {
    throw new HttpError(422, 'Invalid', 'patch produced an invalid object');
  }
  checkFields(c, patched, 'PatchOptions');
  reconcileIdentity(c, patched, true);
  // A resourceVersion in the patch is a precondition; otherwise the patch applies to the latest.
  if (
    patched.metadata.resourceVersion === old.metadata.resourceVersion ||
    patched.metadata.resourceVersion === undefined
  ) {
    patched.metadata.resourceVersion = old.metadata.resourceVersion;
  }
  respondObject(c, 200, write(c, patched, old, subresource));
}

async function deleteOptions(c: Call): Promise<DeleteOptions & { dryRun: boolean }> {
  const opts: DeleteOptions & { dryRun: boolean } = { dryRun: isDryRun(c) };
  const length = Number(c.req.headers['content-length'] ?? '0');
  if (length > 0 || c.req.headers['transfer-encoding'] !== undefined) {
    const body = (await readDocument(c.req)) as {
      propagationPolicy?: string;
      gracePeriodSeconds?: number;
      dryRun?: string[];
      orphanDependents?: boolean;
      preconditions?: { uid?: string; resourceVersion?: string };
    } | null;
    if (body !== null && typeof body === 'object') {
      if (body.propagationPolicy !== undefined)
        opts.propagationPolicy = body.propagationPolicy as DeleteOptions['propagationPolicy'];
      if (body.orphanDependents === true) opts.propagationPolicy = 'Orphan';
      if (body.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = body.gracePeriodSeconds;
      if (body.dryRun?.includes('All') === true) opts.dryRun = true;
      if (body.preconditions !== undefined) opts.preconditions = body.preconditions;
    }
  }
  const pp = q(c, 'propagationPolicy');
  if (pp !== null) opts.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  const gp = q(c, 'gracePeriodSeconds');
  if (gp !== null) opts.gracePeriodSeconds = Number(gp);
  if (
    opts.propagationPolicy !== undefined &&
    !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)
  ) {
    throw new HttpError(
      422,
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  return opts;
}

export async function handleDelete(c: Call): Promise<void> {
  const opts = await deleteOptions(c);
  const old = current(c);
  if (opts.dryRun) {
    respondObject(c, 200, old);
    return;
  }
  const last = c.ctx.store.deleteRaw(c.key, c.info.namespace, c.info.name ?? '', opts) ?? old;
  if (c.key.resource === 'pods' && c.key.group === '')
    c.ctx.logs.forget(c.info.namespace ?? '', c.info.name ?? '');
  respondObject(c, 200, last);
}

export async function handleDeleteCollection(c: Call): Promise<void> {
  const opts = await deleteOptions(c);
  const page = c.ctx.store.page(c.key, {
    ...(c.info.namespace === undefined ? {} : { namespace: c.info.namespace }),
    ...(q(c, 'labelSelector') === null ? {} : { labelSelector: q(c, 'labelSelector') ?? '' }),
    ...(q(c, 'fieldSelector') === null ? {} : { fieldSelector: q(c, 'fieldSelector') ?? '' }),
  });
  const deleted: KubeObject[] = [];
  for (const o of page.items) {
    if (!opts.dryRun)
      c.ctx.store.deleteRaw(c.key, o.metadata.namespace, o.metadata.name ?? '', opts);
    deleted.push(stamp(o, c.apiVersion));
  }
  sendJson(c.res, 200, {
    kind: `${c.ri.kind}List`,
    apiVersion: c.apiVersion,
    metadata: { resourceVersion: c.ctx.store.currentResourceVersion() },
    items: deleted,
  });
}

export { statusObject };
