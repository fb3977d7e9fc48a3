/**
 * The metering tests' own eyes on the pods: one list-then-watch of the churn's pods (by label,
 * all namespaces) that keeps every state of every pod, so the reference (metering-reference.ts)
 * sees the sandbox's start even after the kubelet turned the condition False, and the last
 * state before deletion. A watch that ends is resumed from the last resourceVersion seen; a
 * resume the server refuses (410 Gone) would lose states, so it is recorded as a gap and the
 * test fails on it rather than compare against a reference with holes.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { RESOURCES, type KubeClient } from '@nodeless/cluster-runtime';
import { referenceOf, type Reference } from './metering-reference.ts';

export interface ObservedPod {
  uid: string;
  namespace: string;
  name: string;
  /** Every state, oldest first (the list's, then each watch event's). */
  history: V1Pod[];
  deleted: boolean;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export const isRunning = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' &&
  (pod.status.containerStatuses ?? []).every((c) => c.state?.running !== undefined);

export class PodObserver {
  readonly pods = new Map<string, ObservedPod>();
  readonly gaps: string[] = [];
  #resourceVersion = '';
  #stop: (() => void) | undefined;
  #stopped = false;
  readonly #waiters = new Set<() => void>();

  private constructor(
    private readonly kube: KubeClient,
    private readonly labelSelector: string,
  ) {}

  /** Lists the pods the selector matches and watches them from there on. */
  static async start(kube: KubeClient, labelSelector: string): Promise<PodObserver> {
    const o = new PodObserver(kube, labelSelector);
    const list = await kube.list<V1Pod>(RESOURCES.pods, { labelSelector });
    for (const pod of list.items) o.#record(pod, false);
    o.#resourceVersion = list.resourceVersion;
    await o.#watch();
    return o;
  }

  async #watch(): Promise<void> {
    this.#stop = await this.kube.watch<V1Pod>(
      RESOURCES.pods,
      {
        labelSelector: this.labelSelector,
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
      },
      (type, pod) => {
        const rv = pod.metadata?.resourceVersion;
        if (type === 'ERROR') {
          this.gaps.push(`watch error: ${JSON.stringify(pod)}`);
          return;
        }
        if (rv) this.#resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        this.#record(pod, type === 'DELETED');
      },
      (error) => {
        if (this.#stopped) return;
        if (error) this.gaps.push(`watch ended: ${String(error)}`);
        // The server ends watches now and then (its timeout): resume where this one was.
        void this.#watch().catch((e: unknown) => this.gaps.push(`resume failed: ${String(e)}`));
      },
    );
  }

  #record(pod: V1Pod, deleted: boolean): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    let seen = this.pods.get(uid);
    if (!seen) {
      seen = {
        uid,
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        history: [],
        deleted: false,
      };
      this.pods.set(uid, seen);
    }
    seen.history.push(pod);
    if (deleted) seen.deleted = true;
    for (const wake of this.#waiters) wake();
  }

  /** The newest state of a pod by namespace and name (the current incarnation). */
  latest(namespace: string, name: string): V1Pod | undefined {
    let found: ObservedPod | undefined;
    for (const p of this.pods.values())
      if (p.namespace === namespace && p.name === name && !p.deleted) found = p;
    return found?.history[found.history.length - 1];
  }

  /** Whether the pod ended: deleted, or terminal with no metering finalizer left. */
  static done(p: ObservedPod, finalizer: string): boolean {
    if (p.deleted) return true;
    const last = p.history[p.history.length - 1];
    return (
      TERMINAL.has(last?.status?.phase ?? '') &&
      !(last?.metadata?.finalizers ?? []).includes(finalizer)
    );
  }

  /** Resolves once `predicate` holds over the observed pods (re-checked on every event). */
  waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      // Events can stop (everything settled) while the predicate depends on time: poll too.
      const poll = setInterval(check, 1000);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** The reference bill of every pod observed. */
  references(): Reference[] {
    return [...this.pods.values()].map((p) => referenceOf(p.history));
  }

  stop(): void {
    this.#stopped = true;
    this.#stop?.();
  }
}
