/**
 * The request pipeline: authenticate (401 on bad credentials) → route non-resource paths
 * (health, version, discovery, OpenAPI) → resolve the resource from the registry → authorize
 * with RBAC (403 naming user, verb, resource) → dispatch to the verb handler. Every error becomes
 * a `Status` response; no input can take the server down.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/controlling-access/
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../auth/authn.ts';
import { forbiddenMessage, type Attributes } from '../auth/rbac.ts';
import { apiVersionOf } from '../registry/registry.ts';
import { detailsOf } from '../store/types.ts';
import type { ApiContext, Call } from './context.ts';
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
} from './crud.ts';
import { nonResource, type VersionInfo } from './non-resource.ts';
import { parseRequestInfo } from './request-info.ts';
import {
  choosePretty,
  HttpError,
  sendPageNotFound,
  sendStatus,
  statusObject,
  toStatus,
} from './status.ts';
import {
  handleBinding,
  handleEviction,
  handleLog,
  handleMetrics,
  handleScale,
  handleSelfSubjectAccessReview,
  handleToken,
} from './subresources.ts';
import { handleWatch } from './watch.ts';

export type { VersionInfo } from './non-resource.ts';

/**
 * Deprecation warnings of served APIs.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/api/v1/endpoints/ (v1 Endpoints, deprecated in 1.33)
 */
const DEPRECATIONS: Readonly<Record<string, string>> = {
  '/v1/endpoints': 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
};

export function createRouter(
  ctx: ApiContext,
  version: VersionInfo,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, version, req, res).catch((err: unknown) => sendStatus(res, toStatus(err)));
  };
}

async function handle(
  ctx: ApiContext,
  version: VersionInfo,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://kube-sim');
  const method = req.method ?? 'GET';
  choosePretty(req, res, url);
  const user = ctx.authn.authenticate(req);
  if (user === undefined) {
    sendStatus(res, statusObject(401, 'Unauthorized', 'Unauthorized'));
    return;
  }
  const impersonated = impersonate(ctx, req, user);
  if (impersonated instanceof Error) {
    sendStatus(res, statusObject(403, 'Forbidden', impersonated.message, {}));
    return;
  }
  return serve(ctx, version, req, res, url, method, impersonated);
}

/**
 * `Impersonate-User` / `Impersonate-Group` headers (kubectl `--as`, `--as-group`): allowed when
 * the real user may `impersonate` users (system:masters always may).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
 */
function impersonate(ctx: ApiContext, req: IncomingMessage, user: UserInfo): UserInfo | Error {
  const as = req.headers['impersonate-user'];
  if (typeof as !== 'string' || as === '') return user;
  const attrs: Attributes = { verb: 'impersonate', apiGroup: '', resource: 'users', name: as };
  if (!ctx.authz.allowed(user, attrs)) return new Error(forbiddenMessage(user, attrs));
  const raw = req.headers['impersonate-group'];
  const groups =
    raw === undefined
      ? []
      : (Array.isArray(raw) ? raw : [raw]).flatMap((g) => g.split(',')).map((g) => g.trim());
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(as);
  if (sa !== null) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1] ?? ''}`);
  return { name: as, groups: [...new Set([...groups, 'system:authenticated'])] };
}

async function serve(
  ctx: ApiContext,
  version: VersionInfo,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  user: UserInfo,
): Promise<void> {
  const info = parseRequestInfo(method, url);
  if (!info.isResource) {
    const attrs: Attributes = { verb: info.verb, path: url.pathname };
    if (!ctx.authz.allowed(user, attrs)) {
      sendStatus(res, statusObject(403, 'Forbidden', forbiddenMessage(user, attrs), {}));
      return;
    }
    nonResource(ctx, version, req, res, url);
    return;
  }
  const ri = ctx.registry.lookup(info.group, info.version, info.resource);
  if (ri === undefined) {
    // No handler at all for an unserved group/version (Go's NotFound page); a served one
    // answers a Status for a resource it does not have.
    if (ctx.registry.inGroupVersion(info.group, info.version).length === 0)
      return sendPageNotFound(res);
    sendStatus(
      res,
      statusObject(404, 'NotFound', 'the server could not find the requested resource', {}),
    );
    return;
  }
  if (!ri.namespaced && info.namespace !== undefined) {
    sendStatus(
      res,
      statusObject(404, 'NotFound', 'the server could not find the requested resource', {}),
    );
    return;
  }
  const sub = info.subresource;
  const attrs: Attributes = {
    verb: info.verb,
    apiGroup: info.group,
    resource: info.resource,
    ...(sub === undefined ? {} : { subresource: sub }),
    ...(info.name === undefined ? {} : { name: info.name }),
    ...(info.namespace === undefined ? {} : { namespace: info.namespace }),
  };
  if (!ctx.authz.allowed(user, attrs)) {
    sendStatus(
      res,
      statusObject(
        403,
        'Forbidden',
        forbiddenMessage(user, attrs),
        detailsOf({ group: info.group, version: info.version, resource: info.resource }, info.name),
      ),
    );
    return;
  }
  const key = { group: ri.group, version: info.version, resource: ri.resource };
  // Deprecated APIs say so in a Warning header on every request (kubectl prints it).
  // @see https://kubernetes.io/blog/2020/09/03/warnings/
  const deprecated = DEPRECATIONS[`${ri.group}/${info.version}/${ri.resource}`];
  if (deprecated !== undefined) res.setHeader('Warning', `299 - "${deprecated}"`);
  const c: Call = {
    ctx,
    req,
    res,
    url,
    info,
    ri,
    key,
    user,
    apiVersion: apiVersionOf(ri.group, info.version),
  };
  const details = detailsOf(key, info.name);
  try {
    await dispatch(c);
  } catch (err) {
    sendStatus(res, toStatus(err, details));
  }
}

async function dispatch(c: Call): Promise<void> {
  const { info, ri } = c;
  if (ri.group === 'metrics.k8s.io') return handleMetrics(c);
  if (ri.group === 'authorization.k8s.io') {
    if (info.verb !== 'create')
      throw new HttpError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
        {},
      );
    return handleSelfSubjectAccessReview(c);
  }
  const sub = info.subresource;
  if (sub !== undefined) {
    const known = ri.subresources.find((s) => s.name === sub);
    if (known === undefined)
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource', {});
    switch (sub) {
      case 'status':
        if (info.verb === 'get') return handleGet(c);
        if (info.verb === 'update') return handleUpdate(c, 'status');
        if (info.verb === 'patch') return handlePatch(c, 'status');
        break;
      case 'scale':
        return handleScale(c);
      case 'log':
        if (info.verb === 'get') return handleLog(c);
        break;
      case 'binding':
        if (info.verb === 'create') return handleBinding(c);
        break;
      case 'eviction':
        if (info.verb === 'create') return handleEviction(c);
        break;
      case 'token':
        if (info.verb === 'create') return handleToken(c);
        break;
    }
    throw new HttpError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    );
  }
  if (!ri.verbs.includes(info.verb))
    throw new HttpError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    );
  switch (info.verb) {
    case 'get':
      return handleGet(c);
    case 'list':
      return handleList(c);
    case 'watch':
      return handleWatch(c);
    case 'create':
      if (info.name !== undefined)
        throw new HttpError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
          {},
        );
      return handleCreate(c);
    case 'update':
      return handleUpdate(c);
    case 'patch':
      return handlePatch(c);
    case 'delete':
      return handleDelete(c);
    case 'deletecollection':
      return handleDeleteCollection(c);
  }
  throw new HttpError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}
