/**
 * Resource discovery through client-node's `KubernetesObjectApi`: any kind the API server
 * serves — built-in or a CRD — is found by its apiVersion and kind (`GET /apis/<group>/<version>`,
 * cached per group-version; a kind missing from the cache is looked up again, so a CRD
 * installed after the first call is found).
 *
 * Only discovery and request building come from `KubernetesObjectApi`. Its read/list/patch
 * methods run every body through client-node's typed model serializer, which (1.x) drops fields
 * its generated models do not know (anything newer than the client's Kubernetes version),
 * turns timestamps into `Date`s (watch events carry strings — two shapes for one object), and
 * throws on a string timestamp sent back. Nodeless sends and receives the API's JSON as is.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris
 * @see https://github.com/kubernetes-client/javascript/blob/release-1.x/src/object.ts
 */
import {
  ApiException,
  KubernetesObjectApi,
  type HttpMethod,
  type RequestContext,
  type V1APIResource,
} from '@kubernetes/client-node';
import { statusError, UnknownResourceError } from './errors.ts';

/** What a caller names: the apiVersion (`v1`, `apps/v1`, `example.com/v1`) and the kind. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
}

/** A served resource: the URL segment and its scope, as discovery reports them. */
export interface ApiResource extends ResourceRef {
  plural: string;
  namespaced: boolean;
}

/** `/api/v1/namespaces/ns/pods/name/log` style paths for a discovered resource. */
export function resourcePath(
  r: ApiResource,
  options: { namespace?: string | undefined; name?: string; subresource?: string } = {},
): string {
  const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
  const { namespace, name, subresource } = options;
  if (r.namespaced && namespace === undefined && name !== undefined)
    throw new Error(`${r.kind} ${name}: a namespace is required`);
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${enc(namespace)}` : '';
  const named = name === undefined ? '' : `/${enc(name)}`;
  const sub = subresource === undefined || name === undefined ? '' : `/${subresource}`;
  return `${base}${ns}/${r.plural}${named}${sub}`;
}

const enc = (s: string): string => encodeURIComponent(s);

/** `KubernetesObjectApi` with its discovery and request plumbing opened up. */
export class Discovery extends KubernetesObjectApi {
  /** The served resource for `ref`; throws {@link UnknownResourceError} when not served. */
  async lookup(ref: ResourceRef): Promise<ApiResource> {
    let found: V1APIResource | undefined;
    try {
      found = await this.resource(ref.apiVersion, ref.kind);
    } catch (e) {
      if (e instanceof ApiException && e.code === 404)
        throw new UnknownResourceError(`the API server does not serve ${ref.apiVersion}`);
      if (e instanceof ApiException) {
        // The Status in the body says why (a 403 names the missing permission).
        const text = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
        throw statusError(e.code, text, 'GET', this.apiVersionPath(ref.apiVersion), e.headers);
      }
      throw e;
    }
    // The list also names subresources (`pods/status` has kind Pod): take the resource itself.
    const list = this.apiVersionResourceCache[ref.apiVersion]?.resources ?? [];
    const own = list.find((r) => r.kind === ref.kind && !r.name.includes('/')) ?? found;
    if (!own || own.name.includes('/'))
      throw new UnknownResourceError(
        `the API server does not serve ${ref.kind} in ${ref.apiVersion}`,
      );
    return {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      plural: own.name,
      namespaced: own.namespaced,
    };
  }

  /** An authenticated request context for `path` (query and body are the caller's). */
  async context(path: string, method: HttpMethod): Promise<RequestContext> {
    const ctx = this.configuration.baseServer.makeRequestContext(path, method);
    await this.configuration.authMethods.default?.applySecurityAuthentication(ctx);
    return ctx;
  }
}
