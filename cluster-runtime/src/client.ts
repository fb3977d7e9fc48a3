/**
 * The Kubernetes API as cluster-runtime uses it: a client-node `KubeConfig` made from kubeconfig
 * text (no file, no `~/.kube` side effects) and a small typed facade — server-side apply with
 * field manager `nodeless`, get, list, create, merge patch, delete, subresources (eviction,
 * token, log) and watch-until-condition with a timeout and an AbortSignal.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://github.com/kubernetes-client/javascript (KubeConfig, Watch)
 */
import { KubeConfig, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { httpTransport, isNotFound, type Transport } from './kube/http.ts';
import { RESOURCES, resourcePath, resourceTypeOf, type ResourceType } from './kube/resources.ts';
import { waitUntil, type WaitOptions } from './kube/wait.ts';

export { KubeApiError, isNotFound } from './kube/http.ts';
export { RESOURCES, type ResourceType } from './kube/resources.ts';
export { WaitTimeoutError, objectKey, type WaitOptions } from './kube/wait.ts';

/** The field manager of everything Nodeless applies (visible in `managedFields`). */
export const FIELD_MANAGER = 'nodeless';

/** A KubeConfig from kubeconfig YAML text; reads no file and writes nothing. */
export function kubeConfigFromText(text: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  if (!kc.getCurrentCluster())
    throw new Error('the kubeconfig has no current context pointing at a cluster');
  return kc;
}

export interface ListOptions {
  /** Omit for cluster-scoped resources or to list across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only this incarnation of the object (precondition on metadata.uid). */
  uid?: string;
  signal?: AbortSignal;
}

export interface KubeClient {
  readonly config: KubeConfig;
  /** Server-side apply (field manager `nodeless`; `force` takes over conflicting fields). */
  apply<T extends KubernetesObject>(
    object: T,
    options?: { force?: boolean; signal?: AbortSignal },
  ): Promise<T>;
  /** The object, or undefined when it does not exist. */
  get<T extends KubernetesObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
    signal?: AbortSignal,
  ): Promise<T | undefined>;
  list<T extends KubernetesObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<{ items: T[]; resourceVersion: string }>;
  create<T extends KubernetesObject>(
    type: ResourceType,
    object: T,
    signal?: AbortSignal,
  ): Promise<T>;
  /** POST to a subresource (pods/eviction, serviceaccounts/token). */
  createSubresource<R>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    subresource: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<R>;
  /** JSON merge patch (RFC 7386). */
  mergePatch<T extends KubernetesObject>(
    type: ResourceType,
    name: string,
    patch: unknown,
    namespace?: string,
    signal?: AbortSignal,
  ): Promise<T>;
  /** Deletes; false when it was already gone. */
  delete(
    type: ResourceType,
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
  /** Lists, then watches, until `options.until` returns a value (or timeout/abort). */
  waitFor<T extends KubernetesObject, R>(
    type: ResourceType,
    options: Omit<ListOptions, 'signal'> & WaitOptions<T, R>,
  ): Promise<R>;
}

const json = <T>(text: string): T => JSON.parse(text) as T;

/** The facade over a kubeconfig (text or an already built KubeConfig). */
export function createKubeClient(
  kubeconfig: string | KubeConfig,
  transport?: Transport,
): KubeClient {
  const kc = typeof kubeconfig === 'string' ? kubeConfigFromText(kubeconfig) : kubeconfig;
  const t = transport ?? httpTransport(kc);
  const pathOf = (object: KubernetesObject): string => {
    const name = object.metadata?.name;
    if (!object.apiVersion || !object.kind || !name)
      throw new Error('an object needs apiVersion, kind and metadata.name');
    return resourcePath(resourceTypeOf(object.apiVersion, object.kind), {
      namespace: object.metadata?.namespace,
      name,
    });
  };
  const client: KubeClient = {
    config: kc,
    async apply(object, options = {}) {
      const text = await t.request('PATCH', pathOf(object), {
        query: { fieldManager: FIELD_MANAGER, force: options.force ?? true },
        body: object,
        contentType: 'application/apply-patch+yaml',
        signal: options.signal,
      });
      return json(text);
    },
    async get<T extends KubernetesObject>(
      type: ResourceType,
      name: string,
      namespace?: string,
      signal?: AbortSignal,
    ) {
      try {
        const text = await t.request('GET', resourcePath(type, { namespace, name }), { signal });
        return json<T>(text);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async list<T extends KubernetesObject>(type: ResourceType, options: ListOptions = {}) {
      const text = await t.request('GET', resourcePath(type, { namespace: options.namespace }), {
        query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
        signal: options.signal,
      });
      const list = json<{ items?: T[]; metadata?: { resourceVersion?: string } }>(text);
      // List items carry no apiVersion/kind on the wire; restore them for callers.
      const items = (list.items ?? []).map((o) => ({
        ...o,
        apiVersion: type.apiVersion,
        kind: type.kind,
      }));
      return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
    },
    async create(type, object, signal) {
      const text = await t.request(
        'POST',
        resourcePath(type, { namespace: object.metadata?.namespace }),
        { body: object, query: { fieldManager: FIELD_MANAGER }, signal },
      );
      return json(text);
    },
    async createSubresource<R>(
      type: ResourceType,
      name: string,
      namespace: string | undefined,
      subresource: string,
      body: unknown,
      signal?: AbortSignal,
    ) {
      const text = await t.request('POST', resourcePath(type, { namespace, name, subresource }), {
        body,
        signal,
      });
      return json<R>(text);
    },
    async mergePatch(type, name, patch, namespace, signal) {
      const text = await t.request('PATCH', resourcePath(type, { namespace, name }), {
        body: patch,
        contentType: 'application/merge-patch+json',
        query: { fieldManager: FIELD_MANAGER },
        signal,
      });
      return json(text);
    },
    async delete(type, name, namespace, options = {}) {
      try {
        await t.request('DELETE', resourcePath(type, { namespace, name }), {
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            ...(options.gracePeriodSeconds === undefined
              ? {}
              : { gracePeriodSeconds: options.gracePeriodSeconds }),
            ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
            ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
          },
          signal: options.signal,
        });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
    readLog(namespace, pod, container, signal) {
      return t.request(
        'GET',
        resourcePath(RESOURCES.pods, { namespace, name: pod, subresource: 'log' }),
        { query: { container }, accept: 'text/plain', signal },
      );
    },
    waitFor<T extends KubernetesObject, R>(
      type: ResourceType,
      options: Omit<ListOptions, 'signal'> & WaitOptions<T, R>,
    ) {
      const { namespace, labelSelector, fieldSelector } = options;
      const watcher = new Watch(kc);
      return waitUntil<T, R>(
        {
          list: () =>
            client.list<T>(type, {
              namespace,
              labelSelector,
              fieldSelector,
              signal: options.signal,
            }),
          async watch(resourceVersion, onEvent, onEnd) {
            const controller = await watcher.watch(
              resourcePath(type, { namespace }),
              { resourceVersion, labelSelector, fieldSelector, allowWatchBookmarks: true },
              (phase: string, object: unknown) =>
                onEvent(phase, {
                  ...(object as object),
                  apiVersion: type.apiVersion,
                  kind: type.kind,
                } as T),
              onEnd,
            );
            return () => controller.abort();
          },
        },
        options,
      );
    },
  };
  return client;
}
