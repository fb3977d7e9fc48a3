/**
 * Writes objects and lists in the rendering the request's `Accept` negotiates (see media.ts):
 * the object itself, a `Table`, or `PartialObjectMetadata(List)`.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/response.go (transformResponseObject)
 */
import type { KubeObject } from '../store/types.ts';
import { stamp, type Call } from './context.ts';
import { negotiate, partialObject, refuseAccept, refuseShape, type Rendering } from './media.ts';
import { sendJson } from './status.ts';
import { toTable } from './table.ts';

/** The negotiated rendering; undefined when a 406 was already written. */
function rendering(c: Call, isList: boolean): Rendering | undefined {
  const r = negotiate(c.req.headers.accept);
  if (r === undefined) {
    refuseAccept(c.res);
    return undefined;
  }
  const target = { group: c.ri.group, kind: c.ri.kind, custom: c.ri.crd !== undefined };
  return refuseShape(c.res, r, isList, target) ? undefined : r;
}

function table(c: Call, r: Rendering, items: KubeObject[], rv: string, next?: string): object {
  const t = toTable(
    c.ri.kind,
    items,
    c.ctx.clock.now(),
    rv,
    c.url.searchParams.get('includeObject'),
    next,
  );
  return r.as === 'Table' && r.version === 'v1beta1'
    ? { ...t, apiVersion: 'meta.k8s.io/v1beta1' }
    : t;
}

/** Writes one object (as stored, in the request's version) with `code`. */
export function respondObject(c: Call, code: number, o: KubeObject): void {
  const r = rendering(c, false);
  if (r === undefined) return;
  const out = stamp(o, c.apiVersion);
  if (r.as === 'Table')
    return sendJson(c.res, code, table(c, r, [out], o.metadata.resourceVersion ?? ''));
  if (r.as === 'PartialObjectMetadata') return sendJson(c.res, code, partialObject(out, r.version));
  sendJson(c.res, code, out);
}

/** Writes a list page: items, its resourceVersion and, when more remain, continue and count. */
export function respondList(
  c: Call,
  items: KubeObject[],
  rv: string,
  next?: { token: string; remaining: number | undefined },
): void {
  const r = rendering(c, true);
  if (r === undefined) return;
  if (r.as === 'Table') return sendJson(c.res, 200, table(c, r, items, rv, next?.token));
  const metadata = {
    resourceVersion: rv,
    ...(next === undefined
      ? {}
      : {
          continue: next.token,
          ...(next.remaining === undefined ? {} : { remainingItemCount: next.remaining }),
        }),
  };
  if (r.as === 'PartialObjectMetadataList') {
    sendJson(c.res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${r.version}`,
      metadata,
      items: items.map((o) => partialObject(o, r.version)),
    });
    return;
  }
  sendJson(c.res, 200, { kind: `${c.ri.kind}List`, apiVersion: c.apiVersion, metadata, items });
}
