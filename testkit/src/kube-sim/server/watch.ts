/**
 * Watch streams: chunked JSON lines `{"type":…,"object":…}`, starting from `resourceVersion`
 * (replaying the kept window), or with synthetic ADDED events when none is given; periodic
 * BOOKMARK events when `allowWatchBookmarks=true`; closed after `timeoutSeconds`. A version older
 * than the window yields an ERROR event carrying a 410 Gone Status, as upstream does.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
import type { KubeObject, WatchEventType } from '../store/types.ts';
import { StoreError } from '../store/types.ts';
import { stamp, type Call } from './context.ts';
import { statusObject, toStatus } from './status.ts';
import { toTable, wantsTable } from './table.ts';

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

export function handleWatch(c: Call): void {
  const p = c.url.searchParams;
  const table = wantsTable(c.req.headers.accept);
  const includeObject = p.get('includeObject');
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
  const write = (line: string): void => {
    if (!res.writableEnded) res.write(line);
  };
  const send = (type: WatchEventType, o: KubeObject): void => {
    if (table && type !== 'BOOKMARK') {
      const t = toTable(
        c.ri.kind,
        [stamp(o, c.apiVersion)],
        c.ctx.clock.now(),
        o.metadata.resourceVersion ?? '',
        includeObject,
      );
      write(`${JSON.stringify({ type, object: t })}\n`);
    } else write(encode(type, o, c.apiVersion));
  };
  let unsubscribe: () => void = () => undefined;
  const timers: {
    timeout?: ReturnType<typeof setTimeout>;
    bookmark?: ReturnType<typeof setTimeout>;
  } = {};
  const close = (): void => {
    unsubscribe();
    clearTimeout(timers.timeout);
    clearTimeout(timers.bookmark);
    c.ctx.streams.delete(res);
    if (!res.writableEnded) res.end();
  };
  c.ctx.streams.add(res);
  res.on('close', close);
  try {
    unsubscribe = c.ctx.store.watchRaw(c.key, send, {
      ...(c.ri.namespaced && c.info.namespace !== undefined ? { namespace: c.info.namespace } : {}),
      ...(p.get('labelSelector') === null ? {} : { labelSelector: p.get('labelSelector') ?? '' }),
      ...(fieldSelector === '' ? {} : { fieldSelector }),
      resourceVersion: rv,
      sendInitialEvents: rv === '' || rv === '0',
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
  const timeoutText = p.get('timeoutSeconds');
  const timeout =
    timeoutText === null ? c.ctx.watchTimeoutSeconds : Math.max(0, Number(timeoutText));
  timers.timeout = setTimeout(
    close,
    (Number.isFinite(timeout) ? timeout : c.ctx.watchTimeoutSeconds) * 1000,
  );
  if (p.get('allowWatchBookmarks') === 'true') {
    const tick = (): void => {
      if (res.writableEnded) return;
      // Timers run after microtasks, so every event up to the current version was written.
      write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { kind: c.ri.kind, apiVersion: c.apiVersion, metadata: { resourceVersion: c.ctx.store.currentResourceVersion() } } })}\n`,
      );
      timers.bookmark = setTimeout(tick, c.ctx.bookmarkIntervalMs);
    };
    timers.bookmark = setTimeout(tick, c.ctx.bookmarkIntervalMs);
  }
}
