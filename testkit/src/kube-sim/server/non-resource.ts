/**
 * The paths that name no resource: health checks, `/version`, discovery (aggregated and
 * legacy) and OpenAPI. Anything else is Go's plain-text 404 page, as kube-apiserver's mux
 * answers it.
 *
 * @see https://kubernetes.io/docs/reference/using-api/health-checks/
 * @see https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  aggregated,
  AGGREGATED_V2,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  resourceList,
  wantsAggregated,
} from '../discovery/discovery.ts';
import { openApiResponse } from '../openapi/openapi.ts';
import type { ApiContext } from './context.ts';
import { sendPageNotFound } from './status.ts';

/**
 * `/version`, as `k8s.io/apimachinery/pkg/version.Info` (1.36 adds the emulation and
 * compatibility versions).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/version/types.go
 */
export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor: string;
  emulationMinor: string;
  minCompatibilityMajor: string;
  minCompatibilityMinor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

function sendText(
  res: ServerResponse,
  code: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendDiscovery(res: ServerResponse, body: object, aggregatedForm: boolean): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(200, {
    'Content-Type': aggregatedForm ? AGGREGATED_V2 : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...(aggregatedForm ? { Vary: 'Accept' } : {}),
  });
  res.end(text);
}

/** Creates the request handler for the HTTPS server. */

function crdVersions(
  ctx: ApiContext,
  crd: string,
): Array<{ name?: string; schema?: { openAPIV3Schema?: Record<string, unknown> } }> {
  const o = ctx.store.getRaw(
    { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
    undefined,
    crd,
  );
  return ((o?.['spec'] as { versions?: [] } | undefined)?.versions ?? []) as Array<{
    name?: string;
    schema?: { openAPIV3Schema?: Record<string, unknown> };
  }>;
}

export function nonResource(
  ctx: ApiContext,
  version: VersionInfo,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const accept = req.headers.accept;
  if (
    path === '/healthz' ||
    path === '/livez' ||
    path === '/readyz' ||
    /^\/(healthz|livez|readyz)\//.test(path)
  ) {
    if (url.searchParams.has('verbose'))
      return sendText(res, 200, `[+]ping ok\n[+]etcd ok\n${path.slice(1)} check passed\n`);
    return sendText(res, 200, 'ok');
  }
  // Written with json.MarshalIndent (two spaces, no trailing newline), unlike API objects.
  // @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/responsewriters/writers.go (WriteRawJSON)
  if (path === '/version')
    return sendText(res, 200, JSON.stringify(version, null, 2), 'application/json');
  if (path === '/api') {
    return wantsAggregated(accept)
      ? sendDiscovery(res, aggregated(ctx.registry, true), true)
      : sendDiscovery(res, legacyApiVersions(), false);
  }
  if (path === '/apis') {
    return wantsAggregated(accept)
      ? sendDiscovery(res, aggregated(ctx.registry, false), true)
      : sendDiscovery(res, legacyGroupList(ctx.registry), false);
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'api' && parts.length === 2) {
    const list = resourceList(ctx.registry, '', parts[1] ?? '');
    if (list !== undefined) return sendDiscovery(res, list, false);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const g = legacyGroup(ctx.registry, parts[1] ?? '');
    if (g !== undefined) return sendDiscovery(res, g, false);
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const list = resourceList(ctx.registry, parts[1] ?? '', parts[2] ?? '');
    if (list !== undefined) return sendDiscovery(res, list, false);
  }
  if (parts[0] === 'openapi') {
    const doc = openApiResponse(ctx.registry, path, url, (crd) => crdVersions(ctx, crd));
    if (doc !== undefined) {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(doc),
        ETag: `"${Buffer.byteLength(doc)}"`,
      });
      res.end(doc);
      return;
    }
  }
  sendPageNotFound(res);
}
