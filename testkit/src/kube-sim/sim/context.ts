/**
 * What every simulated component shares: the store, the clock, seeded randomness, one cache per
 * resource type (like a SharedInformerFactory), the event recorder, and a stop list.
 */
import type { SimClock } from '../clock.ts';
import { StoreError, type KubeObject, type ObjectStore, type ResourceKey } from '../store/types.ts';
import { Cache } from './cache.ts';
import { EventRecorder } from './events.ts';
import { keyOf } from './model.ts';
import { mulberry32, type Random } from './prng.ts';
import { WorkQueue, type WorkResult } from './workqueue.ts';

export interface SimContext {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly random: Random;
  readonly seed: number;
  readonly events: EventRecorder;
  cache(resource: ResourceKey): Cache;
  queue(name: string, handler: (key: string) => WorkResult): WorkQueue;
  /** Registers cleanup to run on stop. */
  onStop(fn: () => void): void;
  /** Reports an unexpected error (kept, never thrown into the store's watch dispatch). */
  error(where: string, error: unknown): void;
  stop(): void;
}

export interface ContextOptions {
  store: ObjectStore;
  clock: SimClock;
  seed: number;
  maxEvents?: number;
  onError?: (where: string, error: unknown) => void;
}

export function createContext(options: ContextOptions): SimContext {
  const caches = new Map<string, Cache>();
  const stops: (() => void)[] = [];
  const random = mulberry32(options.seed);
  const error = (where: string, e: unknown): void => {
    if (options.onError) options.onError(where, e);
    else console.error(`kube-sim ${where}:`, e instanceof Error ? e.message : e);
  };
  const events = new EventRecorder(options.store, options.clock, {
    maxEvents: options.maxEvents ?? 20_000,
    onError: error,
  });
  const ctx: SimContext = {
    store: options.store,
    clock: options.clock,
    random,
    seed: options.seed,
    events,
    cache(resource) {
      const k = `${resource.group}/${resource.resource}`;
      let c = caches.get(k);
      if (!c) {
        c = new Cache(options.store, resource);
        caches.set(k, c);
      }
      return c;
    },
    queue(name, handler) {
      const q = new WorkQueue(handler, {
        clock: options.clock,
        onError: (key, e) => error(`${name} ${key}`, e),
      });
      stops.push(() => q.stop());
      return q;
    },
    onStop(fn) {
      stops.push(fn);
    },
    error,
    stop() {
      for (const fn of stops.splice(0).reverse()) fn();
      for (const c of caches.values()) c.stop();
      caches.clear();
      events.stop();
    },
  };
  return ctx;
}

/** Creates, treating AlreadyExists as success (idempotent bootstrap objects). */
export function ensure(store: ObjectStore, resource: ResourceKey, object: KubeObject): void {
  if (store.get(resource, object.metadata.namespace, object.metadata.name ?? '')) return;
  try {
    store.create(resource, object);
  } catch (e) {
    if (!(e instanceof StoreError && e.code === 409)) throw e;
  }
}

/** Deletes, treating NotFound as success. Returns the store's answer and whether the object is gone. */
export function deleteQuietly(
  store: ObjectStore,
  resource: ResourceKey,
  object: KubeObject,
  options?: Parameters<ObjectStore['delete']>[3],
): { result: KubeObject | undefined; removed: boolean } {
  try {
    const result = store.delete(
      resource,
      object.metadata.namespace,
      object.metadata.name ?? '',
      options,
    );
    const still = store.get(resource, object.metadata.namespace, object.metadata.name ?? '');
    return {
      result: still ?? result,
      removed: !still || still.metadata.uid !== object.metadata.uid,
    };
  } catch (e) {
    if (e instanceof StoreError && e.code === 404) return { result: undefined, removed: true };
    throw e;
  }
}

export { keyOf };
