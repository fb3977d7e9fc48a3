/**
 * Content negotiation of responses, as kube-apiserver reads `Accept`: clauses in order, the
 * first one the server can answer wins. A clause may ask for a transformed object with
 * `as=<Kind>;g=meta.k8s.io;v=<v1|v1beta1>`: a `Table` (server-side printing, `kubectl get`),
 * a `PartialObjectMetadata` (one object's metadata) or a `PartialObjectMetadataList` (client-go's
 * metadata informers). Asking for the list form of one object (or the reverse) is 406 Not
 * Acceptable, as is an `Accept` no clause of which can be served.
 *
 * kube-sim writes JSON only: protobuf and YAML clauses are passed over for the next clause (a
 * client listing JSON as well, as client-go and kubectl do, gets JSON).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-metadata (PartialObjectMetadata)
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/response.go (transformResponseObject)
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/negotiation/negotiate.go
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../store/types.ts';
import { statusObject } from './status.ts';

export type Rendering =
  | { readonly as: 'Object' }
  | {
      readonly as: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
      readonly version: 'v1' | 'v1beta1';
    };

const TRANSFORMS = new Set(['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);
const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);
/** Served upstream; kube-sim answers them in JSON when no JSON clause is listed. */
const OTHER_TYPES = new Set(['application/vnd.kubernetes.protobuf', 'application/yaml']);

/** A clause's rendering; undefined when it asks for a transformation nobody serves. */
function clauseRendering(params: Map<string, string>): Rendering | undefined {
  const as = params.get('as');
  if (as === undefined) return { as: 'Object' };
  const g = params.get('g');
  const v = params.get('v');
  if (!TRANSFORMS.has(as) || g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1'))
    return undefined;
  return { as: as as 'Table', version: v };
}

/** The rendering the first servable clause of `accept` asks for; undefined: none (406). */
export function negotiate(accept: string | undefined): Rendering | undefined {
  if (accept === undefined || accept.trim() === '') return { as: 'Object' };
  let fallback: Rendering | undefined;
  for (const clause of accept.split(',')) {
    const [type = '', ...rawParams] = clause.split(';').map((p) => p.trim());
    const media = type.toLowerCase();
    const json = JSON_TYPES.has(media);
    if (!json && !OTHER_TYPES.has(media)) continue;
    const params = new Map(
      rawParams.map((p): [string, string] => {
        const i = p.indexOf('=');
        return i < 0 ? [p, ''] : [p.slice(0, i).trim(), p.slice(i + 1).trim()];
      }),
    );
    const rendering = clauseRendering(params);
    if (rendering === undefined) continue;
    if (json) return rendering;
    fallback ??= rendering;
  }
  return fallback;
}

/**
 * The Go type upstream's 406 messages name (`*core.ConfigMapList`, `*apps.Deployment`):
 * the internal package of the group, `unstructured` for custom resources.
 */
function goType(group: string, kind: string, custom: boolean): string {
  if (custom) return `*unstructured.Unstructured${kind.endsWith('List') ? 'List' : ''}`;
  const pkg = group === '' ? 'core' : (group.split('.')[0] ?? group);
  return `*${pkg}.${kind}`;
}

/**
 * Writes a 406 as upstream's fallback error writer does (indented JSON, no trailing newline).
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/responsewriters/writers.go (WriteRawJSON)
 */
function sendNotAcceptable(res: ServerResponse, message: string): void {
  const text = JSON.stringify(statusObject(406, 'NotAcceptable', message), null, 2);
  res.writeHead(406, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

/** Answers 406 for an `Accept` none of whose clauses can be served. */
export function refuseAccept(res: ServerResponse): void {
  sendNotAcceptable(
    res,
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

/**
 * Answers 406 when a clause asks for the list form of one object or the object form of a list;
 * returns true when it did.
 */
export function refuseShape(
  res: ServerResponse,
  rendering: Rendering,
  isList: boolean,
  target: { group: string; kind: string; custom: boolean },
): boolean {
  if (rendering.as === 'Object' || rendering.as === 'Table') return false;
  const type = goType(target.group, isList ? `${target.kind}List` : target.kind, target.custom);
  if (rendering.as === 'PartialObjectMetadata' && isList) {
    sendNotAcceptable(
      res,
      `you requested PartialObjectMetadata, but the requested object is a list (${type})`,
    );
    return true;
  }
  if (rendering.as === 'PartialObjectMetadataList' && !isList) {
    sendNotAcceptable(
      res,
      `you requested PartialObjectMetadataList, but the requested object is not a list (${type})`,
    );
    return true;
  }
  return false;
}

/** An object's metadata as `meta.k8s.io` PartialObjectMetadata. */
export function partialObject(o: KubeObject, version: string): KubeObject {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: o.metadata,
  };
}
