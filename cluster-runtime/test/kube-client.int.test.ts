/**
 * The Kubernetes client against the real control plane (kube-apiserver v1.36.3 with KWOK
 * nodes): a watch outlives 30 s (the client-node pin), server-side apply with field manager
 * `nodeless`, delete preconditions, paged lists, a CRD reached through discovery with its
 * status subresource, eviction / token / scale subresources, readiness, timeout and abort.
 */
import type { V1ConfigMap, V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import {
  createKubeClient,
  FIELD_MANAGER,
  isConflict,
  KubeApiError,
  RESOURCES,
  UnknownResourceError,
  WaitTimeoutError,
  type KubeClient,
  type WatchEventType,
} from '../src/client.ts';
import { bootstrapKubeApi } from '../src/baseline/bootstrap-api.ts';

let cp: ControlPlane;
let client: KubeClient;

/** `lookup()` once discovery serves the kind: retried while it answers UnknownResourceError (≤ 30 s). */
async function servedSoon<T>(lookup: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await lookup();
    } catch (e) {
      if (!(e instanceof UnknownResourceError) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2, metrics: false });
  client = createKubeClient(cp.kubeconfig);
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kc' } });
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

const configMap = (name: string, data: Record<string, string> = {}): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'kc' },
  data,
});

describe('watch', () => {
  it('stays open past 30 s and still delivers events on the same stream', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'quiet' } });
    // The root-CA publisher writes kube-root-ca.crt into every new namespace: let it land first.
    await client.waitFor(RESOURCES.configMaps, {
      namespace: 'quiet',
      describe: 'kube-root-ca.crt',
      timeoutMs: 20_000,
      until: (m) => (m.has('quiet/kube-root-ca.crt') ? true : undefined),
    });
    const { resourceVersion } = await client.list(RESOURCES.configMaps, { namespace: 'quiet' });
    const events: [WatchEventType, string][] = [];
    let ended: { error: unknown } | undefined;
    const stop = await client.watch<V1ConfigMap>(
      RESOURCES.configMaps,
      { namespace: 'quiet', resourceVersion },
      (type, o) => events.push([type, o.metadata?.name ?? '']),
      (error) => (ended = { error }),
    );
    const openedAt = Date.now();
    // Nothing writes to this namespace: the stream idles past client-node 1.4.0/2.0.0's
    // 30 s abort (kubernetes-client/javascript#3020).
    await new Promise((r) => setTimeout(r, 33_000));
    expect(ended).toBeUndefined();
    await client.create(RESOURCES.configMaps, {
      ...configMap('late'),
      metadata: { name: 'late', namespace: 'quiet' },
    });
    const deadline = Date.now() + 5_000;
    while (!events.some(([t, n]) => t === 'ADDED' && n === 'late') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - openedAt).toBeGreaterThan(30_000);
    expect(events.filter(([t]) => t !== 'BOOKMARK')).toEqual([['ADDED', 'late']]);
    expect(ended).toBeUndefined();
    stop();
  }, 60_000);
});

describe('objects', () => {
  it('server-side applies as field manager nodeless, and re-applies idempotently', async () => {
    const applied = await client.apply(configMap('ssa', { a: '1' }));
    expect(applied.data).toEqual({ a: '1' });
    const managers = applied.metadata?.managedFields?.map((f) => [f.manager, f.operation]);
    expect(managers).toEqual([[FIELD_MANAGER, 'Apply']]);
    const again = await client.apply(configMap('ssa', { a: '1' }));
    expect(again.metadata?.resourceVersion).toBe(applied.metadata?.resourceVersion);
  });

  it('gets, creates, merge-patches and deletes with preconditions', async () => {
    expect(await client.get(RESOURCES.configMaps, 'absent', 'kc')).toBeUndefined();
    const created = await client.create(RESOURCES.configMaps, configMap('crud', { a: '1' }));
    const dup = await client.create(RESOURCES.configMaps, configMap('crud')).catch((e) => e);
    expect(isConflict(dup)).toBe(true);
    expect((dup as KubeApiError).reason).toBe('AlreadyExists');
    expect((dup as Error).message).toMatch(
      /^POST \/api\/v1\/namespaces\/kc\/configmaps: 409 AlreadyExists: /,
    );
    const patched = await client.mergePatch<V1ConfigMap>(
      RESOURCES.configMaps,
      'crud',
      { data: { b: '2' } },
      'kc',
    );
    expect(patched.data).toEqual({ a: '1', b: '2' });
    // A stale resourceVersion or another uid refuses the delete (409 Conflict).
    for (const precondition of [
      { resourceVersion: created.metadata?.resourceVersion ?? '' },
      { uid: '00000000-0000-0000-0000-000000000000' },
    ]) {
      const refused = await client
        .delete(RESOURCES.configMaps, 'crud', 'kc', precondition)
        .catch((e) => e);
      expect(refused).toBeInstanceOf(KubeApiError);
      expect((refused as KubeApiError).code).toBe(409);
    }
    const uid = created.metadata?.uid ?? '';
    expect(await client.delete(RESOURCES.configMaps, 'crud', 'kc', { uid })).toBe(true);
    expect(await client.delete(RESOURCES.configMaps, 'crud', 'kc')).toBe(false);
  });

  it('lists in pages', async () => {
    for (let i = 0; i < 5; i++) await client.apply(configMap(`page-${i}`));
    const names: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await client.list<V1ConfigMap>(RESOURCES.configMaps, {
        namespace: 'kc',
        limit: 2,
        ...(next ? { continue: next } : {}),
      });
      pages++;
      for (const cm of page.items) {
        expect(cm.kind).toBe('ConfigMap');
        names.push(cm.metadata?.name ?? '');
      }
      next = page.continue;
    } while (next);
    expect(names.filter((n) => n.startsWith('page-'))).toEqual(
      [0, 1, 2, 3, 4].map((i) => `page-${i}`),
    );
    expect(pages).toBeGreaterThan(2);
  });
});

describe('any kind through discovery', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.nodeless.dev' },
    spec: {
      group: 'example.nodeless.dev',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' } } },
                status: { type: 'object', properties: { phase: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
  const widget = { apiVersion: 'example.nodeless.dev/v1', kind: 'Widget' };

  it('names a kind the server does not serve instead of answering "not found"', async () => {
    await expect(client.get(widget, 'w', 'kc')).rejects.toBeInstanceOf(UnknownResourceError);
  });

  it('applies, reads, lists and updates the status of a custom resource', async () => {
    await client.apply(crd);
    await client.waitFor<
      typeof crd & { status?: { conditions?: { type: string; status: string }[] } },
      true
    >(RESOURCES.customResourceDefinitions, {
      fieldSelector: `metadata.name=${crd.metadata.name}`,
      describe: 'the Widget CRD to be established',
      timeoutMs: 30_000,
      until: (m) =>
        [...m.values()].some((c) =>
          c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'),
        )
          ? true
          : undefined,
    });
    // Established says the CRD's handler serves it; the group-version's discovery document is
    // published by another controller a moment later (apiextensions-apiserver's
    // DiscoveryController), so a client may still get a 404 from discovery right after.
    expect(await servedSoon(() => client.resource(widget))).toEqual({
      ...widget,
      plural: 'widgets',
      namespaced: true,
    });
    await client.apply({ ...widget, metadata: { name: 'w1', namespace: 'kc' }, spec: { size: 3 } });
    const read = await client.get<{ spec?: { size?: number } } & typeof widget>(widget, 'w1', 'kc');
    expect(read?.spec?.size).toBe(3);
    expect(
      (await client.list(widget, { namespace: 'kc' })).items.map((w) => w.metadata?.name),
    ).toEqual(['w1']);
    await client.patchSubresource(widget, 'w1', 'kc', 'status', { status: { phase: 'Ready' } });
    const status = await client.getSubresource<{ status?: { phase?: string } }>(
      widget,
      'w1',
      'kc',
      'status',
    );
    expect(status.status?.phase).toBe('Ready');
    expect(await client.delete(widget, 'w1', 'kc')).toBe(true);
  });
});

describe('subresources', () => {
  it('requests a token for a service account and reads a scale', async () => {
    const sa: V1ServiceAccount = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'robot', namespace: 'kc' },
    };
    await client.apply(sa);
    const answer = await client.createSubresource<{ status?: { token?: string } }>(
      RESOURCES.serviceAccounts,
      'robot',
      'kc',
      'token',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600 },
      },
    );
    expect(answer.status?.token).toMatch(/^eyJ/);
    await client.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled', namespace: 'kc' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'scaled' } },
        template: {
          metadata: { labels: { app: 'scaled' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    });
    const scale = await client.getSubresource<{ kind?: string; spec?: { replicas?: number } }>(
      RESOURCES.deployments,
      'scaled',
      'kc',
      'scale',
    );
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 } });
  });

  it("reads a running pod's log, then evicts it", async () => {
    await client.create<V1Pod>(RESOURCES.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'evictee', namespace: 'kc' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], terminationGracePeriodSeconds: 0 },
    });
    await client.waitFor<V1Pod, true>(RESOURCES.pods, {
      namespace: 'kc',
      fieldSelector: 'metadata.name=evictee',
      describe: 'the pod to run',
      timeoutMs: 30_000,
      until: (m) => ([...m.values()][0]?.status?.phase === 'Running' ? true : undefined),
    });
    // KWOK serves a container log as a kubelet would; the API server proxies it.
    expect(await client.readLog('kc', 'evictee', 'c')).toMatch(/\S/);
    await client.createSubresource(RESOURCES.pods, 'evictee', 'kc', 'eviction', {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'evictee', namespace: 'kc' },
    });
    const pod = await client.get<V1Pod>(RESOURCES.pods, 'evictee', 'kc');
    expect(pod === undefined || pod.metadata?.deletionTimestamp !== undefined).toBe(true);
  });
});

describe('readiness, timeout and abort', () => {
  it('answers /readyz', async () => {
    expect(await client.readyz()).toBe(true);
  });

  it('waits with a timeout that reports the last state, and stops on abort', async () => {
    const never = () => undefined;
    const timedOut = await client
      .waitFor(RESOURCES.configMaps, {
        namespace: 'kc',
        describe: 'nothing',
        timeoutMs: 300,
        until: never,
      })
      .catch((e) => e);
    expect(timedOut).toBeInstanceOf(WaitTimeoutError);
    expect([...(timedOut as WaitTimeoutError<V1ConfigMap>).last.keys()]).toContain('kc/ssa');
    const c = new AbortController();
    const waiting = client.waitFor(RESOURCES.configMaps, {
      namespace: 'kc',
      describe: 'nothing',
      timeoutMs: 30_000,
      until: never,
      signal: c.signal,
    });
    setTimeout(() => c.abort(new Error('cancelled by the user')), 200);
    await expect(waiting).rejects.toThrow('cancelled by the user');
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      client.list(RESOURCES.configMaps, { namespace: 'kc', signal: aborted.signal }),
    ).rejects.toThrow(/abort/i);
  });
});

describe("bootstrap readiness probes (host-bootstrap's KubeApi port)", () => {
  it('answers readiness and node views, and "not yet" for an API that is not there', async () => {
    const api = bootstrapKubeApi(cp.kubeconfig, cp.url);
    expect(await api.ready()).toBe(true);
    expect(await api.node('node-1')).toMatchObject({ name: 'node-1', ready: true });
    expect(await api.node('no-such-node')).toBeUndefined();
    const gone = bootstrapKubeApi(cp.kubeconfig, 'https://127.0.0.1:1', 1_000);
    expect(await gone.ready()).toBe(false);
    expect(await gone.node('node-1')).toBeUndefined();
  });
});
