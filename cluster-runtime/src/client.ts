/**
 * The Kubernetes API as Nodeless uses it, on `@kubernetes/client-node`: one client per cluster
 * config — its `KubeConfig` authenticates (CA, client certificate, token, exec plugins), its
 * `KubernetesObjectApi` discovers any kind (CRDs included), its `Watch` streams — behind a small
 * typed surface: server-side apply with field manager `nodeless`, get, list (paged), create,
 * replace (PUT with a resourceVersion precondition),
 * merge patch, delete with preconditions, subresources (eviction, token, log, status, scale),
 * watch, and wait-until-condition with a timeout and an AbortSignal.
 *
 * Pinned to client-node 1.4.0, the newest release that keeps healthy watches open on our
 * Node (≥ 20.19): 2.0.0 ends every watch after 30 s (`AbortSignal.timeout(30000)` on the whole
 * request, kubernetes-client/javascript#3020); 2.0.1 replaces it with an inactivity timer
 * (still a fixed, private 30 s: a quiet resource with bookmarks about once a minute would
 * still be cut) and fetches with undici 8, which needs Node ≥ 22.19. 1.4.0's watch builds the same 30 s signal
 * and then overwrites it with its own controller's, so nothing bounds the stream (and nothing
 * bounds the wait for its headers either: `waitUntil`'s deadline covers that). Over 1.3.0 it
 * keeps exec-plugin environments out of `process.env` and gives every KubeConfig its own
 * authenticators — 1.3.0 shares one exec token cache, keyed by user name, across all
 * clusters. `test/kube-client.int.test.ts` proves a watch outlives 30 s.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 * @see https://github.com/kubernetes-client/javascript (KubeConfig, KubernetesObjectApi, Watch)
 */
import {
  createConfiguration,
  HttpMethod,
  ServerConfiguration,
  Watch,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { kubeConfigFromText } from './kube/config.ts';
import type {
  ApplyOptions,
  KubeClient,
  KubeClientOptions,
  ListOptions,
  WatchEventType,
  WatchOptions,
} from './kube/client-api.ts';
import { Discovery, resourcePath, type ResourceRef } from './kube/discovery.ts';
import { isNotFound, statusError } from './kube/errors.ts';
import { RESOURCES } from './kube/resources.ts';
import { AgentPool } from './kube/agent-pool.ts';
import { DEFAULT_TIMEOUT_MS, send, timeoutHttpLibrary } from './kube/transport.ts';
import { waitUntil, type WaitOptions } from './kube/wait.ts';

export { kubeConfigFromText } from './kube/config.ts';
export { resourcePath, type ApiResource, type ResourceRef } from './kube/discovery.ts';
export { isConflict, isNotFound, KubeApiError, UnknownResourceError } from './kube/errors.ts';
export { DEFAULT_PAGE_SIZE, listPages } from './kube/list-pages.ts';
export { RESOURCES } from './kube/resources.ts';
export { WaitTimeoutError, objectKey, type WaitOptions } from './kube/wait.ts';
export type {
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  KubeClientOptions,
  ListOptions,
  ListResult,
  WatchEventType,
  WatchOptions,
} from './kube/client-api.ts';

/** The field manager of everything Nodeless applies (visible in `managedFields`). */
export const FIELD_MANAGER = 'nodeless';

interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal | undefined;
}

const json = <T>(text: string): T => JSON.parse(text) as T;

/** The client of a kubeconfig (text or an already built KubeConfig). */
export function createKubeClient(
  kubeconfig: string | KubeConfig,
  options: KubeClientOptions = {},
): KubeClient {
  const kc = typeof kubeconfig === 'string' ? kubeConfigFromText(kubeconfig) : kubeconfig;
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster with a server URL');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // This client's keep-alive connections, per TLS identity: shared by nothing else.
  const pool = new AgentPool();
  const discovery = new Discovery(
    createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kc },
      httpApi: timeoutHttpLibrary(timeoutMs, pool),
    }),
  );

  async function request(method: HttpMethod, path: string, o: RequestOptions = {}) {
    const ctx = await discovery.context(path, method);
    for (const [k, v] of Object.entries(o.query ?? {}))
      if (v !== undefined) ctx.setQueryParam(k, String(v));
    ctx.setHeaderParam('Accept', o.accept ?? 'application/json');
    if (o.body !== undefined) {
      ctx.setHeaderParam('Content-Type', o.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(o.body));
    }
    const r = await send(ctx, { signal: o.signal, timeoutMs, pool });
    if (r.status >= 200 && r.status < 300) return r.text;
    throw statusError(r.status, r.text, method, path, r.headers);
  }

  const pathOf = async (
    type: ResourceRef,
    where: { namespace?: string | undefined; name?: string; subresource?: string },
  ) => resourcePath(await discovery.lookup(type), where);

  const objectPath = (object: KubernetesObject) => {
    const name = object.metadata?.name;
    if (!object.apiVersion || !object.kind || !name)
      throw new Error('an object needs apiVersion, kind and metadata.name');
    return pathOf(
      { apiVersion: object.apiVersion, kind: object.kind },
      { namespace: object.metadata?.namespace, name },
    );
  };

  const client: KubeClient = {
    config: kc,
    resource: (type) => discovery.lookup(type),
    async apply<T extends KubernetesObject>(object: T, o: ApplyOptions = {}) {
      // JSON is YAML: the apply content type accepts it as is.
      const text = await request(HttpMethod.PATCH, await objectPath(object), {
        query: {
          fieldManager: o.fieldManager ?? FIELD_MANAGER,
          force: o.force ?? true,
          dryRun: o.dryRun ? 'All' : undefined,
          fieldValidation: o.fieldValidation,
        },
        body: object,
        contentType: 'application/apply-patch+yaml',
        signal: o.signal,
      });
      return json<T>(text);
    },
    async get<T extends KubernetesObject>(
      type: ResourceRef,
      name: string,
      namespace?: string,
      signal?: AbortSignal,
    ) {
      try {
        return json<T>(
          await request(HttpMethod.GET, await pathOf(type, { namespace, name }), { signal }),
        );
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async list<T extends KubernetesObject>(type: ResourceRef, o: ListOptions = {}) {
      const text = await request(HttpMethod.GET, await pathOf(type, { namespace: o.namespace }), {
        query: {
          labelSelector: o.labelSelector,
          fieldSelector: o.fieldSelector,
          limit: o.limit,
          continue: o.continue,
        },
        signal: o.signal,
      });
      const list = json<{
        items?: T[] | null;
        metadata?: { resourceVersion?: string; continue?: string };
      }>(text);
      // List items carry no apiVersion/kind on the wire; restore them for callers.
      const items = (list.items ?? []).map((item) => ({
        ...item,
        apiVersion: type.apiVersion,
        kind: type.kind,
      }));
      const next = list.metadata?.continue;
      return {
        items,
        resourceVersion: list.metadata?.resourceVersion ?? '',
        ...(next ? { continue: next } : {}),
      };
    },
    async create<T extends KubernetesObject>(type: ResourceRef, object: T, signal?: AbortSignal) {
      const path = await pathOf(type, { namespace: object.metadata?.namespace });
      const text = await request(HttpMethod.POST, path, {
        body: object,
        query: { fieldManager: FIELD_MANAGER },
        signal,
      });
      return json<T>(text);
    },
    async replace<T extends KubernetesObject>(type: ResourceRef, object: T, signal?: AbortSignal) {
      const name = object.metadata?.name;
      if (!name) throw new Error('an object to replace needs metadata.name');
      const path = await pathOf(type, { namespace: object.metadata?.namespace, name });
      const text = await request(HttpMethod.PUT, path, {
        body: object,
        query: { fieldManager: FIELD_MANAGER },
        signal,
      });
      return json<T>(text);
    },
    async createSubresource<R>(
      type: ResourceRef,
      name: string,
      namespace: string | undefined,
      subresource: string,
      body: unknown,
      signal?: AbortSignal,
    ) {
      const path = await pathOf(type, { namespace, name, subresource });
      return json<R>(await request(HttpMethod.POST, path, { body, signal }));
    },
    async getSubresource<R>(
      type: ResourceRef,
      name: string,
      namespace: string | undefined,
      subresource: string,
      signal?: AbortSignal,
    ) {
      const path = await pathOf(type, { namespace, name, subresource });
      return json<R>(await request(HttpMethod.GET, path, { signal }));
    },
    async patchSubresource<R>(
      type: ResourceRef,
      name: string,
      namespace: string | undefined,
      subresource: string,
      patch: unknown,
      signal?: AbortSignal,
    ) {
      const path = await pathOf(type, { namespace, name, subresource });
      const text = await request(HttpMethod.PATCH, path, {
        body: patch,
        contentType: 'application/merge-patch+json',
        query: { fieldManager: FIELD_MANAGER },
        signal,
      });
      return json<R>(text);
    },
    async mergePatch<T extends KubernetesObject>(
      type: ResourceRef,
      name: string,
      patch: unknown,
      namespace?: string,
      signal?: AbortSignal,
    ) {
      const text = await request(HttpMethod.PATCH, await pathOf(type, { namespace, name }), {
        body: patch,
        contentType: 'application/merge-patch+json',
        query: { fieldManager: FIELD_MANAGER },
        signal,
      });
      return json<T>(text);
    },
    async delete(type, name, namespace, o = {}) {
      const preconditions = {
        ...(o.uid ? { uid: o.uid } : {}),
        ...(o.resourceVersion ? { resourceVersion: o.resourceVersion } : {}),
      };
      try {
        await request(HttpMethod.DELETE, await pathOf(type, { namespace, name }), {
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            ...(o.gracePeriodSeconds === undefined
              ? {}
              : { gracePeriodSeconds: o.gracePeriodSeconds }),
            ...(o.propagationPolicy ? { propagationPolicy: o.propagationPolicy } : {}),
            ...(Object.keys(preconditions).length ? { preconditions } : {}),
          },
          signal: o.signal,
        });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
    async readLog(namespace, pod, container, signal) {
      const path = await pathOf(RESOURCES.pods, { namespace, name: pod, subresource: 'log' });
      // As kubectl asks: kube-apiserver (1.36) refuses `Accept: text/plain` here with a 406,
      // though it answers with plain text.
      const accept = 'application/json, */*';
      return request(HttpMethod.GET, path, { query: { container }, accept, signal });
    },
    async watch<T extends KubernetesObject>(
      type: ResourceRef,
      o: WatchOptions,
      onEvent: (type: WatchEventType, object: T) => void,
      onEnd: (error?: unknown) => void,
    ) {
      const path = await pathOf(type, { namespace: o.namespace });
      const controller = await new Watch(kc).watch(
        path,
        {
          resourceVersion: o.resourceVersion,
          labelSelector: o.labelSelector,
          fieldSelector: o.fieldSelector,
          allowWatchBookmarks: o.allowWatchBookmarks ?? true,
        },
        (phase: string, object: T) => onEvent(phase as WatchEventType, object),
        (error: unknown) => onEnd(error ?? undefined),
      );
      return () => controller.abort();
    },
    waitFor<T extends KubernetesObject, R>(
      type: ResourceRef,
      o: Omit<ListOptions, 'signal' | 'limit' | 'continue'> & WaitOptions<T, R>,
    ) {
      const { namespace, labelSelector, fieldSelector } = o;
      return waitUntil<T, R>(
        {
          list: () =>
            client.list<T>(type, { namespace, labelSelector, fieldSelector, signal: o.signal }),
          watch: (resourceVersion, onEvent, onEnd) =>
            client.watch<T>(
              type,
              { namespace, labelSelector, fieldSelector, resourceVersion },
              onEvent,
              onEnd,
            ),
        },
        o,
      );
    },
    async readyz(signal) {
      try {
        await request(HttpMethod.GET, '/readyz', { accept: 'text/plain', signal });
        return true;
      } catch {
        signal?.throwIfAborted();
        return false;
      }
    },
  };
  return client;
}
