/**
 * The surface of Nodeless's Kubernetes client (implemented in ../client.ts on client-node).
 * Positional arguments follow the shape the callers have used since the first facade, so
 * baseline, smoke test and day-2 code did not change when client-node took over.
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { ApiResource, ResourceRef } from './discovery.ts';
import type { WaitOptions } from './wait.ts';

export interface KubeClientOptions {
  /** Per request (not for watches); default 30 s. */
  timeoutMs?: number;
}

export interface ListOptions {
  /** Omit for cluster-scoped resources or to list across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the answer's `continue` fetches the next page. */
  limit?: number;
  continue?: string;
  signal?: AbortSignal;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  /** Set when more pages remain (with `limit`). */
  continue?: string;
}

/**
 * Options of {@link KubeClient.apply}.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
export interface ApplyOptions {
  /** Take over fields another manager owns (default true: Nodeless's own objects). */
  force?: boolean;
  /** `dryRun=All`: admission and validation run, nothing is stored. */
  dryRun?: boolean;
  /** How the server treats unknown or duplicate fields (server default: Warn). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /**
   * Apply as another field manager than `nodeless` (default): for fields that a second apply of
   * the same object by `nodeless`, which leaves them out, must not remove (a tenant's label on
   * a Namespace that the baseline also applies).
   */
  fieldManager?: string;
  signal?: AbortSignal;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only this incarnation of the object (precondition on metadata.uid). */
  uid?: string;
  /** Delete only if unchanged since this resourceVersion (precondition). */
  resourceVersion?: string;
  signal?: AbortSignal;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion (the list's); omit for "now" with synthetic ADDEDs. */
  resourceVersion?: string;
  /** Ask for BOOKMARK events (default true). */
  allowWatchBookmarks?: boolean;
}

/** `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR` (object is then a Status). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface KubeClient {
  readonly config: KubeConfig;
  /** The served resource (plural, scope) of a kind, by discovery (cached per client). */
  resource(type: ResourceRef): Promise<ApiResource>;
  /** Server-side apply (field manager `nodeless`; `force` takes over conflicting fields). */
  apply<T extends KubernetesObject>(object: T, options?: ApplyOptions): Promise<T>;
  /** The object, or undefined when it does not exist. */
  get<T extends KubernetesObject>(
    type: ResourceRef,
    name: string,
    namespace?: string,
    signal?: AbortSignal,
  ): Promise<T | undefined>;
  list<T extends KubernetesObject>(
    type: ResourceRef,
    options?: ListOptions,
  ): Promise<ListResult<T>>;
  create<T extends KubernetesObject>(
    type: ResourceRef,
    object: T,
    signal?: AbortSignal,
  ): Promise<T>;
  /**
   * PUT (the `update` verb): replaces the object. A `metadata.resourceVersion` in it is a
   * precondition — a stale one is a 409 KubeApiError (optimistic concurrency).
   *
   * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply
   */
  replace<T extends KubernetesObject>(
    type: ResourceRef,
    object: T,
    signal?: AbortSignal,
  ): Promise<T>;
  /** POST to a subresource (pods/eviction, serviceaccounts/token). */
  createSubresource<R>(
    type: ResourceRef,
    name: string,
    namespace: string | undefined,
    subresource: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<R>;
  /** GET a subresource (status, scale). */
  getSubresource<R>(
    type: ResourceRef,
    name: string,
    namespace: string | undefined,
    subresource: string,
    signal?: AbortSignal,
  ): Promise<R>;
  /** JSON merge patch of a subresource (status, scale). */
  patchSubresource<R>(
    type: ResourceRef,
    name: string,
    namespace: string | undefined,
    subresource: string,
    patch: unknown,
    signal?: AbortSignal,
  ): Promise<R>;
  /** JSON merge patch (RFC 7386). */
  mergePatch<T extends KubernetesObject>(
    type: ResourceRef,
    name: string,
    patch: unknown,
    namespace?: string,
    signal?: AbortSignal,
  ): Promise<T>;
  /** Deletes; false when it was already gone. A failed precondition is a 409 KubeApiError. */
  delete(
    type: ResourceRef,
    name: string,
    namespace?: string,
    options?: DeleteOptions,
  ): Promise<boolean>;
  /** A container's log as text. */
  readLog(
    namespace: string,
    pod: string,
    container?: string,
    signal?: AbortSignal,
  ): Promise<string>;
  /**
   * Watches until stopped (the returned function) or the server ends it: `onEnd` is called
   * once, with the error when there was one. No retry here: callers decide (re-list on 410).
   */
  watch<T extends KubernetesObject>(
    type: ResourceRef,
    options: WatchOptions,
    onEvent: (type: WatchEventType, object: T) => void,
    onEnd: (error?: unknown) => void,
  ): Promise<() => void>;
  /** Lists, then watches, until `options.until` returns a value (or timeout/abort). */
  waitFor<T extends KubernetesObject, R>(
    type: ResourceRef,
    options: Omit<ListOptions, 'signal' | 'limit' | 'continue'> & WaitOptions<T, R>,
  ): Promise<R>;
  /** True when `/readyz` answers 200; false when it does not or cannot be reached. */
  readyz(signal?: AbortSignal): Promise<boolean>;
}
