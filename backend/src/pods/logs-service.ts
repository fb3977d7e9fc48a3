/**
 * `pods.logs`: the log stream of one pod's container, or of every pod of a workload merged and
 * labelled by pod. The pods are listed and then watched (by name, or by the workload's
 * selector), so a container that has not started says `waiting` and starts by itself, and a
 * redeploy's new pods join (`pod-added`) while the old ones leave (`pod-gone`).
 *
 * The cluster's shared connection is held (`workspace.withConnection`) for the whole life of
 * the subscription; when the subscriber goes, every upstream request — the watch and each log
 * body — is aborted, so no API-server connection outlives the stream.
 *
 * @see ./pod-tail.ts (one container's log), ./log-queue.ts (batching and backpressure)
 */
import { RESOURCES, type KubeClient, type WatchEventType } from '@nodeless/cluster-runtime';
import type { WorkspaceService } from '../clusters/workspace-service.ts';
import type { SubscribeOptions } from '../feed/types.ts';
import type { Pod } from './containers.ts';
import { LogQueue, type LogQueueOptions } from './log-queue.ts';
import type { LogsInput, LogsMessage } from './logs-types.ts';
import { PodTail, type PodTailOptions } from './pod-tail.ts';
import { workloadSelector } from './workload-pods.ts';

export interface LogsDeps {
  workspace: Pick<WorkspaceService, 'withConnection'>;
  queue?: LogQueueOptions;
  /** Wait before listing again after a watch ended; default 1 s. */
  relistMs?: number;
  open?: PodTailOptions['open'];
}

type Client = Pick<KubeClient, 'config' | 'get' | 'list' | 'watch'>;

/** The messages of one log view until it is done or `signal` aborts (subscriber gone). */
export async function* podLogs(
  deps: LogsDeps,
  input: LogsInput,
  signal: AbortSignal,
  transport?: SubscribeOptions,
): AsyncGenerator<LogsMessage, void, undefined> {
  const queue = new LogQueue(deps.queue);
  const stop = new AbortController();
  const all = AbortSignal.any([signal, stop.signal]);
  const run = deps.workspace
    .withConnection(input.clusterId, (connection) =>
      followPods(connection.client(), deps, input, queue, all),
    )
    .catch((error: unknown) => {
      if (!all.aborted) queue.send({ type: 'error', message: messageOf(error) });
    })
    .finally(() => queue.close());
  try {
    yield* queue.messages(all, transport?.writable);
  } finally {
    stop.abort();
    await run;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lists and watches the pods, one {@link PodTail} each, until every tail is done or abort. */
export async function followPods(
  client: Client,
  deps: LogsDeps,
  input: LogsInput,
  queue: LogQueue,
  signal: AbortSignal,
): Promise<void> {
  if ((input.pod === undefined) === (input.workload === undefined))
    throw new Error('Name a pod or a workload.');
  const single = input.pod !== undefined;
  const follow = input.follow ?? true;
  const selector = input.pod
    ? { fieldSelector: `metadata.name=${input.pod}` }
    : { labelSelector: await workloadSelector(client, input.namespace, workloadOf(input), signal) };
  const local = new AbortController();
  const scope = AbortSignal.any([signal, local.signal]);
  const tails = new Map<string, { tail: PodTail; stop: AbortController; uid: string }>();
  const finished = new Set<string>();
  let initial: Set<string> | undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const end = (reason: string): void => {
    queue.send({ type: 'ended', reason });
    local.abort();
    resolveDone();
  };
  const tailDone = (name: string, reason: string): void => {
    finished.add(name);
    if (single) return end(reason);
    // Not following: done once every pod there was at the start has been read.
    if (!follow && initial && [...initial].every((n) => finished.has(n))) end(reason);
  };
  const seen = (pod: Pod): void => {
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    const known = tails.get(name);
    if (known && known.uid !== uid) gone(name); // same name, new pod (StatefulSet)
    let entry = tails.get(name);
    if (!entry) {
      if (!follow && initial && !initial.has(name)) return;
      const stop = new AbortController();
      const tail = new PodTail(pod, {
        client,
        input,
        queue,
        signal: AbortSignal.any([scope, stop.signal]),
        onDone: (reason) => tailDone(name, reason),
        ...(deps.open ? { open: deps.open } : {}),
      });
      entry = { tail, stop, uid };
      tails.set(name, entry);
      if (!single) queue.send({ type: 'pod-added', pod: name });
    }
    entry.tail.update(pod);
  };
  function gone(name: string): void {
    const entry = tails.get(name);
    if (!entry) return;
    entry.stop.abort();
    tails.delete(name);
    if (single) return end('pod deleted');
    queue.send({ type: 'pod-gone', pod: name });
    finished.add(name);
    if (!follow && initial && [...initial].every((n) => finished.has(n))) end('not following');
  }

  const listed = async (): Promise<string> => {
    const list = await client.list<Pod & { apiVersion?: string; kind?: string }>(RESOURCES.pods, {
      namespace: input.namespace,
      ...selector,
      signal: scope,
    });
    const names = new Set(list.items.map((p) => p.metadata?.name ?? ''));
    initial ??= names;
    for (const name of [...tails.keys()]) if (!names.has(name)) gone(name);
    if (single && names.size === 0 && tails.size === 0) {
      queue.send({ type: 'error', message: `pods "${input.pod}" not found` });
      local.abort();
      resolveDone();
    }
    if (!single && !follow && names.size === 0) end('no pods');
    for (const pod of list.items) seen(pod);
    return list.resourceVersion;
  };

  const watchLoop = async (): Promise<void> => {
    while (!scope.aborted) {
      try {
        const resourceVersion = await listed();
        if (scope.aborted) return;
        await watchOnce(client, input.namespace, selector, resourceVersion, scope, (type, pod) =>
          type === 'DELETED' ? gone(pod.metadata?.name ?? '') : seen(pod),
        );
      } catch (error) {
        if (scope.aborted) return;
        queue.send({ type: 'error', message: messageOf(error) });
      }
      await pause(deps.relistMs ?? 1000, scope);
    }
  };

  const watching = watchLoop();
  await Promise.race([done, new Promise<void>((r) => scope.addEventListener('abort', () => r()))]);
  local.abort();
  for (const { stop } of tails.values()) stop.abort();
  await watching;
}

/** One watch from `resourceVersion` until it ends (server timeout, error) or `signal` aborts. */
async function watchOnce(
  client: Client,
  namespace: string,
  selector: { fieldSelector?: string; labelSelector?: string },
  resourceVersion: string,
  signal: AbortSignal,
  onPod: (type: WatchEventType, pod: Pod) => void,
): Promise<void> {
  let ended: () => void = () => undefined;
  const over = new Promise<void>((resolve) => (ended = resolve));
  const stop = await client.watch<Pod & { apiVersion?: string; kind?: string }>(
    RESOURCES.pods,
    { namespace, ...selector, resourceVersion },
    (type, pod) => {
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onPod(type, pod);
      // ERROR (e.g. 410 Gone): end this watch; the loop lists again.
      else if (type === 'ERROR') ended();
    },
    () => ended(),
  );
  const onAbort = (): void => ended();
  // Aborted while the watch was being opened: no 'abort' event is coming any more.
  if (signal.aborted) ended();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await over;
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop();
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function workloadOf(input: LogsInput): NonNullable<LogsInput['workload']> {
  if (!input.workload) throw new Error('Name a pod or a workload.');
  return input.workload;
}
