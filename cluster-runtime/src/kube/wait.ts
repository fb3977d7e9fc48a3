/**
 * Wait until a condition over a set of objects holds: list, evaluate, then watch from the
 * list's resourceVersion and re-evaluate on every event — the informer pattern, bounded by a
 * timeout and an AbortSignal. A watch that ends early (server timeout, 410 Gone) re-lists.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://github.com/kubernetes-client/javascript/blob/main/src/watch.ts
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export interface WatchSource<T> {
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  /**
   * Starts a watch from `resourceVersion`; `onEvent` per event; `onEnd` once when it ends
   * (error or not). Returns a stop function.
   */
  watch(
    resourceVersion: string,
    onEvent: (type: string, object: T) => void,
    onEnd: (error?: unknown) => void,
  ): Promise<() => void>;
}

export interface WaitOptions<T, R> {
  /** Returns the result once the condition holds, undefined while it does not. */
  until(objects: ReadonlyMap<string, T>): R | undefined;
  /** What is awaited, in plain words (used in the timeout message). */
  describe: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with the current set after the list and after every event (progress reporting). */
  onChange?(objects: ReadonlyMap<string, T>): void;
  /** Injected clock for tests; default Date.now. */
  now?: () => number;
}

/** The condition did not hold within the timeout; `last` is the final observed set. */
export class WaitTimeoutError<T> extends Error {
  constructor(
    message: string,
    readonly last: ReadonlyMap<string, T>,
  ) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

export function objectKey(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/** At most this many list+watch rounds, so a server that ends every watch at once cannot spin. */
const MAX_ROUNDS = 1000;

export async function waitUntil<T extends KubernetesObject, R>(
  source: WatchSource<T>,
  options: WaitOptions<T, R>,
): Promise<R> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  const objects = new Map<string, T>();
  const timeout = (): WaitTimeoutError<T> =>
    new WaitTimeoutError(
      `timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${options.describe}`,
      objects,
    );
  for (let round = 0; round < MAX_ROUNDS; round++) {
    options.signal?.throwIfAborted();
    if (now() >= deadline) throw timeout();
    const listed = await source.list();
    options.signal?.throwIfAborted();
    objects.clear();
    for (const o of listed.items) objects.set(objectKey(o), o);
    options.onChange?.(objects);
    const first = options.until(objects);
    if (first !== undefined) return first;
    const watchStarted = now();
    const outcome = await new Promise<{ done: true; value: R } | { done: false }>(
      (resolve, reject) => {
        let settled = false;
        let stop: (() => void) | undefined;
        const finish = (fn: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          stop?.();
          fn();
        };
        const onAbort = (): void =>
          finish(() => reject(options.signal?.reason ?? new Error('aborted')));
        const timer = setTimeout(
          () => finish(() => reject(timeout())),
          Math.max(0, deadline - now()),
        );
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.signal?.aborted) return onAbort();
        source
          .watch(
            listed.resourceVersion,
            (type, o) => {
              if (settled) return;
              if (type === 'ADDED' || type === 'MODIFIED') objects.set(objectKey(o), o);
              else if (type === 'DELETED') objects.delete(objectKey(o));
              else return; // BOOKMARK; ERROR ends the watch and we re-list.
              options.onChange?.(objects);
              const value = options.until(objects);
              if (value !== undefined) finish(() => resolve({ done: true, value }));
            },
            () => finish(() => resolve({ done: false })),
          )
          .then(
            (s) => {
              stop = s;
              if (settled) s();
            },
            (e: unknown) => finish(() => reject(e)),
          );
      },
    );
    if (outcome.done) return outcome.value;
    // A watch that ended at once (server error) is retried after a pause, not in a hot loop.
    if (now() - watchStarted < 1000) await pause(Math.min(500, deadline - now()), options.signal);
  }
  throw timeout();
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
