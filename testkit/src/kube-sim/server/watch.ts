/**
 * Watch streams: chunked JSON lines `{"type":…,"object":…}`, in the rendering `Accept`
 * negotiates (the object, a one-row Table, or PartialObjectMetadata). Where a watch starts:
 * - no `resourceVersion` (or `0`), no `sendInitialEvents`: a synthetic ADDED for every current
 *   object, then changes;
 * - `resourceVersion=N`: every change after N (replaying the kept window); a version older than
 *   the window yields an ERROR event carrying a 410 Expired Status;
 * - `sendInitialEvents=true` (a watch-list, what client-go ≥ 1.35 reflectors and kubectl
 *   `wait` send, with `resourceVersionMatch=NotOlderThan` and `allowWatchBookmarks=true`): the
 *   current objects, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"` at the
 *   current version, then changes; `sendInitialEvents=false`: changes only.
 * With `allowWatchBookmarks`, BOOKMARK events come 2 s before the watch's deadline and every
 * `bookmarkIntervalMs` (upstream: about every minute). Closed after `timeoutSeconds`.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#streaming-lists
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/storage/cacher/cache_watcher.go (nextBookmarkTime)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/internalversion/validation/validation.go (validateWatchOptions)
 */
import type { KubeObject, WatchEventType } from '../store/types.ts';
import { StoreError } from '../store/types.ts';
import { stamp, type Call } from './context.ts';
import { negotiate, partialObject, refuseAccept, type Rendering } from './media.ts';
import { boolParam, optionalBoolParam } from './query.ts';
import { HttpError, statusObject, toStatus } from './status.ts';
import { toTable } from './table.ts';

/** Serialised events shared between watchers of the same object version. */
const cache = new WeakMap<KubeObject, Map<string, string>>();

function encode(type: WatchEventType, o: KubeObject, apiVersion: string): string {
  let perVersion = cache.get(o);
  if (perVersion === undefined) cache.set(o, (perVersion = new Map()));
  const k = `${type}|${apiVersion}`;
  let line = perVersion.get(k);
  if (line === undefined) {
    line = `${JSON.stringify({ type, object: stamp(o, apiVersion) })}\n`;
    perVersion.set(k, line);
  }
  return line;
}

export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

interface FieldError {
  reason: 'FieldValueForbidden' | 'FieldValueNotSupported';
  message: string;
  field: string;
}

/** 422 for watch options upstream refuses (validateWatchOptions), causes as field.Error writes them. */
function checkOptions(p: URLSearchParams, sendInitialEvents: boolean | undefined): void {
  const match = p.get('resourceVersionMatch') ?? '';
  const field = 'resourceVersionMatch';
  const errors: FieldError[] = [];
  const forbidden = (detail: string): void => {
    errors.push({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
  };
  if (sendInitialEvents !== undefined && match !== 'NotOlderThan')
    forbidden('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
  if (match !== '' && sendInitialEvents === undefined)
    forbidden('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  if (match !== '' && match !== 'NotOlderThan')
    errors.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${match}": supported values: "NotOlderThan"`,
      field,
    });
  if (errors.length === 0) return;
  const texts = errors.map((e) => `${e.field}: ${e.message}`);
  const text = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
  throw new HttpError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${text}`, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: errors,
  });
}

/** Renders one event's object as negotiated; undefined drops it (as upstream does). */
function render(c: Call, r: Rendering, type: WatchEventType, o: KubeObject): string | undefined {
  if (r.as === 'Object' || type === 'BOOKMARK') return encode(type, o, c.apiVersion);
  if (r.as === 'PartialObjectMetadataList') return undefined;
  const out = stamp(o, c.apiVersion);
  const object =
    r.as === 'PartialObjectMetadata'
      ? partialObject(out, r.version)
      : toTable(
          c.ri.kind,
          [out],
          c.ctx.clock.now(),
          o.metadata.resourceVersion ?? '',
          c.url.searchParams.get('includeObject'),
        );
  return `${JSON.stringify({ type, object })}\n`;
}

export function handleWatch(c: Call): void {
  const p = c.url.searchParams;
  const r = negotiate(c.req.headers.accept);
  if (r === undefined) return refuseAccept(c.res);
  const sendInitialEvents = optionalBoolParam(p, 'sendInitialEvents');
  checkOptions(p, sendInitialEvents);
  const bookmarks = boolParam(p, 'allowWatchBookmarks');
  const rv = p.get('resourceVersion') ?? '';
  const name = c.info.name;
  const fieldSelector = [
    p.get('fieldSelector') ?? '',
    name === undefined ? '' : `metadata.name=${name}`,
  ]
    .filter((s) => s !== '')
    .join(',');
  const res = c.res;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  const write = (line: string | undefined): void => {
    if (line !== undefined && !res.writableEnded) res.write(line);
  };
  const send = (type: WatchEventType, o: KubeObject): void => write(render(c, r, type, o));
  const bookmark = (
    annotations?: Record<string, string>,
    resourceVersion = c.ctx.store.currentResourceVersion(),
  ): void =>
    write(
      `${JSON.stringify({
        type: 'BOOKMARK',
        object: {
          kind: c.ri.kind,
          apiVersion: c.apiVersion,
          metadata: {
            resourceVersion,
            ...(annotations === undefined ? {} : { annotations }),
          },
        },
      })}\n`,
    );
  let unsubscribe: () => void = () => undefined;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const close = (): void => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    c.ctx.streams.delete(res);
    if (!res.writableEnded) res.end();
  };
  c.ctx.streams.add(res);
  res.on('close', close);
  const initial = sendInitialEvents ?? (rv === '' || rv === '0');
  try {
    unsubscribe = c.ctx.store.watchRaw(c.key, send, {
      ...(c.ri.namespaced && c.info.namespace !== undefined ? { namespace: c.info.namespace } : {}),
      ...(p.get('labelSelector') === null ? {} : { labelSelector: p.get('labelSelector') ?? '' }),
      ...(fieldSelector === '' ? {} : { fieldSelector }),
      // A watch-list starts from the current state whatever version it names (NotOlderThan).
      resourceVersion: sendInitialEvents === undefined ? rv : '',
      sendInitialEvents: initial,
    });
  } catch (err) {
    const status =
      err instanceof StoreError && err.code === 410
        ? statusObject(410, 'Expired', err.message)
        : toStatus(err);
    write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    close();
    return;
  }
  if (sendInitialEvents === true && bookmarks) {
    // The store delivers events in a microtask queued during watchRaw: this one runs after
    // the initial events, and names the version they were taken at.
    const at = c.ctx.store.currentResourceVersion();
    queueMicrotask(() => bookmark({ [INITIAL_EVENTS_END]: 'true' }, at));
  }
  const timeoutText = p.get('timeoutSeconds');
  const parsed = timeoutText === null ? c.ctx.watchTimeoutSeconds : Number(timeoutText);
  const timeoutMs =
    (Number.isFinite(parsed) ? Math.max(0, parsed) : c.ctx.watchTimeoutSeconds) * 1000;
  timers.push(setTimeout(close, timeoutMs));
  if (bookmarks) {
    // Timers run after microtasks, so every event up to the current version was written.
    if (timeoutMs > 2000) timers.push(setTimeout(() => bookmark(), timeoutMs - 2000));
    const tick = (): void => {
      if (res.writableEnded) return;
      bookmark();
      timers.push(setTimeout(tick, c.ctx.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, c.ctx.bookmarkIntervalMs));
  }
}
