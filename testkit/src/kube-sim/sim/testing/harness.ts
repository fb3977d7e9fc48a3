/**
 * Test harness for the simulation: a store, an accelerated clock, the simulation, and helpers to
 * wait on conditions (polling real time briefly; never fixed sleeps) and read typed objects.
 */
import { acceleratedClock, type SimClock } from '../../clock.ts';
import type { KubeObject, ResourceKey } from '../../store/types.ts';
import { startSimulation, type Simulation, type SimulationOptions } from '../index.ts';
import { R, type Pod } from '../model.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import { TestStore } from './memory-store.ts';

type Store = TestStore | MemoryStore;

export interface Harness {
  store: Store;
  clock: SimClock;
  sim: Simulation;
  errors: string[];
  stop(): Promise<void>;
  pods(namespace?: string): Pod[];
  create<T extends object>(resource: ResourceKey, object: T): KubeObject;
  get<T>(resource: ResourceKey, namespace: string | undefined, name: string): T | undefined;
}

/**
 * `storeKind`: 'memory' (default) is the API side's MemoryStore with asynchronous watches;
 * 'double' is this folder's TestStore, which also implements graceful pod deletion
 * (deletionTimestamp on bound pods). KUBE_SIM_TEST_STORE=double runs the whole suite on it.
 */
export function harness(
  options: Partial<SimulationOptions> & { scale?: number; storeKind?: 'memory' | 'double' } = {},
): Harness {
  const clock = options.clock ?? acceleratedClock(options.scale ?? 100);
  const kind =
    options.storeKind ?? (process.env['KUBE_SIM_TEST_STORE'] === 'double' ? 'double' : 'memory');
  const store: Store =
    kind === 'memory'
      ? new MemoryStore({ now: () => clock.now() })
      : new TestStore(() => clock.now());
  const errors: string[] = [];
  const sim = startSimulation({
    seed: 42,
    ...options,
    store,
    clock,
    onError: (where, e) => errors.push(`${where}: ${e instanceof Error ? e.message : String(e)}`),
  });
  return {
    store,
    clock,
    sim,
    errors,
    stop: () => sim.stop(),
    pods: (namespace) =>
      store.list(R.pods, namespace ? { namespace } : undefined) as unknown as Pod[],
    create: (resource, object) => store.create(resource, object as unknown as KubeObject),
    get: <T>(resource: ResourceKey, namespace: string | undefined, name: string) =>
      store.get(resource, namespace, name) as unknown as T | undefined,
  };
}

/** Resolves when `check` returns a truthy value; rejects with `what` after `timeoutMs` real ms. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 10_000,
  onPoll?: () => void,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    onPoll?.();
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function container(name: string, image: string, extra: Record<string, unknown> = {}) {
  return { name, image, ...extra };
}

export function resources(cpu: string, memory: string) {
  return { resources: { requests: { cpu, memory }, limits: { cpu, memory } } };
}

export function podCond(p: Pod, type: string): string | undefined {
  return p.status?.conditions?.find((c) => c.type === type)?.status;
}
