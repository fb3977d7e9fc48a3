/**
 * `GET pods/{name}/log` as kube-apiserver and the kubelet answer it: the container defaults to
 * the pod's only one (several → 400 naming them; the `kubectl.kubernetes.io/default-container`
 * annotation is kubectl's rule, not the API's), `previous`, `timestamps`, `sinceSeconds` /
 * `sinceTime` (at most one), `tailLines`, `limitBytes` (the body is cut at that many bytes,
 * mid-line if so) and `follow` (chunked, until the client goes, the pod is deleted or its
 * containers finish). A container that has not started is the kubelet's 400 "container … is
 * waiting to start: ContainerCreating"; `previous` without a terminated instance is its 400
 * "previous terminated container … not found". A pod without a node answers 200 with no body.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/pod/strategy.go (LogLocation)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kubelet_pods.go (validateContainerLogStatus)
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 */
import { notFound } from '../store/memory-store.ts';
import type { KubeObject } from '../store/types.ts';
import type { Call } from './context.ts';
import { boolParam } from './query.ts';
import { HttpError } from './status.ts';

type Rec = Record<string, unknown>;

const names = (list: unknown): string[] => ((list ?? []) as Rec[]).map((x) => String(x['name']));

/** The container the API reads: the named one (validated) or the pod's only one. */
function containerOf(pod: KubeObject, requested: string | null): string {
  const spec = (pod['spec'] ?? {}) as Rec;
  const containers = names(spec['containers']);
  const inits = names(spec['initContainers']);
  const podName = pod.metadata.name ?? '';
  if (requested === null || requested === '') {
    if (containers.length === 1) return containers[0] ?? '';
    if (containers.length === 0)
      throw new HttpError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${podName}`,
      );
    let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (inits.length > 0) message += ` or one of the init containers: [${inits.join(' ')}]`;
    throw new HttpError(400, 'BadRequest', message);
  }
  if (!containers.includes(requested) && !inits.includes(requested))
    throw new HttpError(
      400,
      'BadRequest',
      `container ${requested} is not valid for pod ${podName}`,
    );
  return requested;
}

/** A non-negative integer query parameter, or undefined; 400 for anything else. */
function intParam(p: URLSearchParams, name: string, min: number): number | undefined {
  const text = p.get(name);
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new HttpError(
      422,
      'Invalid',
      `PodLogOptions "" is invalid: ${name}: Invalid value: ${n}: must be ${min > 0 ? 'greater than 0' : 'greater than or equal to 0'}`,
    );
  return n;
}

/** Writes at most `limit` bytes in total (undefined: no limit); false once the limit is hit. */
function limited(limit: number | undefined, write: (chunk: Buffer) => void) {
  let left = limit ?? Infinity;
  return (text: string): boolean => {
    if (left <= 0) return false;
    let chunk = Buffer.from(text, 'utf8');
    if (chunk.length > left) chunk = chunk.subarray(0, left);
    left -= chunk.length;
    write(chunk);
    return left > 0;
  };
}

export function handleLog(c: Call): void {
  const o = c.ctx.store.getRaw(c.key, c.info.namespace, c.info.name ?? '');
  if (o === undefined) throw notFound(c.key, c.info.name ?? '');
  const p = c.url.searchParams;
  const container = containerOf(o, p.get('container'));
  const ns = c.info.namespace ?? '';
  const name = c.info.name ?? '';
  const sinceSeconds = intParam(p, 'sinceSeconds', 1);
  const sinceText = p.get('sinceTime');
  if (sinceSeconds !== undefined && sinceText !== null)
    throw new HttpError(
      422,
      'Invalid',
      'PodLogOptions "" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  const sinceTime =
    sinceSeconds !== undefined
      ? c.ctx.clock.now() - sinceSeconds * 1000
      : sinceText === null
        ? undefined
        : Date.parse(sinceText);
  if (sinceTime !== undefined && Number.isNaN(sinceTime))
    throw new HttpError(400, 'BadRequest', `parsing time "${sinceText ?? ''}" as RFC 3339`);
  const tailLines = intParam(p, 'tailLines', 0);
  const limitBytes = intParam(p, 'limitBytes', 1);
  const timestamps = boolParam(p, 'timestamps');
  const previous = boolParam(p, 'previous');
  const follow = boolParam(p, 'follow') && !previous;
  const spec = (o['spec'] ?? {}) as Rec;
  // Not scheduled: the API has no kubelet to ask and answers an empty log.
  const lines =
    typeof spec['nodeName'] === 'string' && spec['nodeName'] !== ''
      ? c.ctx.logs.read(ns, name, container, {
          ...(tailLines === undefined ? {} : { tailLines }),
          ...(sinceTime === undefined ? {} : { sinceTime }),
          timestamps,
          previous,
        })
      : [];
  c.res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    ...(follow ? { 'Transfer-Encoding': 'chunked' } : {}),
  });
  const res = c.res;
  const write = limited(limitBytes, (chunk) => res.write(chunk));
  const more = write(lines.map((l) => `${l}\n`).join(''));
  if (!follow || !more) {
    res.end();
    return;
  }
  c.ctx.streams.add(res);
  const stopLogs = c.ctx.logs.follow(
    ns,
    name,
    container,
    (line) => {
      if (!res.writableEnded && !write(`${line}\n`)) finish();
    },
    { timestamps },
  );
  // The stream ends when the pod goes away (or its containers finish), like the kubelet's.
  const stopWatch = c.ctx.store.watchRaw(
    c.key,
    (type, x) => {
      const phase = (x['status'] as Rec | undefined)?.['phase'];
      if (type === 'DELETED' || phase === 'Succeeded' || phase === 'Failed') finish();
    },
    { namespace: ns, fieldSelector: `metadata.name=${name}` },
  );
  function finish(): void {
    stopLogs();
    stopWatch();
    c.ctx.streams.delete(res);
    if (!res.writableEnded) res.end();
  }
  res.on('close', finish);
  const phase = (o['status'] as Rec | undefined)?.['phase'];
  if (phase === 'Succeeded' || phase === 'Failed') finish();
}
