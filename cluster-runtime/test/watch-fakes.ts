/**
 * Test doubles for the watch cache's units: a scripted KubeClient (only `list` and `watch`, the
 * two calls a cache makes) and manual timers. Not a mock of the API server's semantics — tests
 * script each answer and assert what the cache asked and did.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type {
  KubeClient,
  ListOptions,
  ListResult,
  WatchEventType,
  WatchOptions,
} from '../src/kube/client-api.ts';
import { KubeApiError } from '../src/kube/errors.ts';
import type { CacheTimers } from '../src/watch/types.ts';

export interface WatchCall {
  options: WatchOptions;
  emit(type: WatchEventType, object: KubernetesObject): void;
  end(error?: unknown): void;
  stopped: boolean;
}

export type ListAnswer = ListResult<KubernetesObject> | Error;

export class FakeClient {
  readonly lists: ListOptions[] = [];
  readonly watches: WatchCall[] = [];
  /** Answers for the next LIST calls, in order; when empty, `listDefault`. */
  readonly listAnswers: ListAnswer[] = [];
  listDefault: ListAnswer = { items: [], resourceVersion: '1' };
  /** When set, the next WATCH is refused with this error (as client-node calls `done`). */
  refuseNextWatch: unknown;

  /** The `i`th watch started (fails the test when there is none). */
  watch(i: number): WatchCall {
    const call = this.watches[i];
    if (!call) throw new Error(`no watch #${i} (${this.watches.length} started)`);
    return call;
  }

  get client(): KubeClient {
    const list = async (_type: unknown, options: ListOptions = {}) => {
      this.lists.push(options);
      const answer = this.listAnswers.shift() ?? this.listDefault;
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const watch = async (
      _type: unknown,
      options: WatchOptions,
      onEvent: (type: WatchEventType, object: KubernetesObject) => void,
      onEnd: (error?: unknown) => void,
    ) => {
      let ended = false;
      const call: WatchCall = {
        options,
        stopped: false,
        emit: (type, object) => {
          if (!ended) onEvent(type, object);
        },
        end: (error) => {
          if (ended) return;
          ended = true;
          onEnd(error);
        },
      };
      this.watches.push(call);
      const refuse = this.refuseNextWatch;
      this.refuseNextWatch = undefined;
      // client-node 1.4.0 calls done(err) before its promise resolves when the request fails.
      if (refuse !== undefined) call.end(refuse);
      return () => {
        call.stopped = true;
        call.end(new Error('aborted'));
      };
    };
    return { list, watch } as unknown as KubeClient;
  }
}

export const gone = (): KubeApiError =>
  new KubeApiError(410, 'Expired', 'GET /api/v1/pods: 410 Expired: too old', 'GET', '/api/v1/pods');

export function pod(
  uid: string,
  rv: string,
  extra: Record<string, unknown> = {},
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { uid, name: `p-${uid}`, namespace: 'ns', resourceVersion: rv },
    ...extra,
  };
}

/** Timers that run only when the test advances the clock. */
export class ManualTimers implements CacheTimers {
  #now = 0;
  #seq = 0;
  readonly #due = new Map<number, { at: number; fn: () => void }>();
  randomValue = 0.5;

  now = (): number => this.#now;
  random = (): number => this.randomValue;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.#seq;
    this.#due.set(id, { at: this.#now + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.#due.delete(handle as number);
  };
  /** Pending timer delays from now, sorted. */
  pending(): number[] {
    return [...this.#due.values()].map((t) => t.at - this.#now).sort((a, b) => a - b);
  }
  /** The delay of the next timer (fails the test when there is none). */
  next(): number {
    const [first] = this.pending();
    if (first === undefined) throw new Error('no timer pending');
    return first;
  }
  /** Moves the clock and fires due timers in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flush();
      const next = [...this.#due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > target) break;
      this.#due.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = target;
    await flush();
  }
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
