/**
 * Parses a request URL into what the API server acts on, like upstream's RequestInfoFactory:
 * `/api/v1/namespaces/ns/pods/name/log` → group '', version v1, namespace ns, resource pods,
 * name, subresource log, and the verb from the method (+ list/watch/deletecollection). A GET
 * without a name is a watch when the `watch` parameter is true as upstream converts booleans
 * (`?watch=True` too); a GET of a named object stays a get whatever `watch` says. The
 * deprecated `/watch/` path prefix (`/api/v1/watch/namespaces/ns/pods[/name]`) watches.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/request/requestinfo.go
 */
import { boolParam } from './query.ts';

export interface RequestInfo {
  isResource: boolean;
  path: string;
  verb: string;
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const nonResource = (): RequestInfo => ({
    isResource: false,
    path,
    verb: method.toLowerCase(),
    group: '',
    version: '',
    resource: '',
  });
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else return nonResource();
  const watchPrefix = rest[0] === 'watch' && method === 'GET';
  if (watchPrefix) rest = rest.slice(1);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    // /api/v1/namespaces/<name> is the namespace object itself.
  }
  const resource = rest[0] ?? '';
  const name = rest[1];
  const subresource = rest[2];
  let verb: string;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watchPrefix) verb = 'watch';
      else if (name !== undefined) verb = 'get';
      else verb = boolParam(url.searchParams, 'watch') ? 'watch' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = method.toLowerCase();
  }
  return {
    isResource: true,
    path,
    verb,
    group,
    version,
    ...(namespace === undefined ? {} : { namespace }),
    resource,
    ...(name === undefined ? {} : { name }),
    ...(subresource === undefined ? {} : { subresource }),
  };
}
