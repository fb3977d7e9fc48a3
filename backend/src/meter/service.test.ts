import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import {
  METER_FINALIZER,
  meterDeployment,
  UnknownResourceError,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { ClusterSource } from '../clusters/contract.ts';
import { countHeldPods } from './held-pods.ts';
import { MeterService } from './service.ts';

/**
 * A cluster holding `objects` (by kind/namespace/name), the meter's `pods` (a list in a namespace)
 * and `allPods` (a list across namespaces, paged by `limit`/`continue` as the API server does;
 * `lists` records those cluster-wide lists).
 */
function fakeClient(
  objects: KubernetesObject[],
  pods: V1Pod[] = [],
  refuse?: string,
  allPods: V1Pod[] = [],
): KubeClient {
  const key = (kind: string, name: string, ns?: string) => `${kind}/${ns ?? ''}/${name}`;
  const store = new Map(
    objects.map((o) => [key(o.kind ?? '', o.metadata?.name ?? '', o.metadata?.namespace), o]),
  );
  const applied: KubernetesObject[] = [];
  const lists: object[] = [];
  return {
    applied,
    get: (type: { kind: string }, name: string, ns?: string) =>
      Promise.resolve(store.get(key(type.kind, name, ns))),
    lists,
    list: (_type: unknown, o: { namespace?: string; limit?: number; continue?: string } = {}) => {
      if (o.namespace) return Promise.resolve({ items: pods, resourceVersion: '1' });
      lists.push({ ...o });
      const from = o.continue ? Number(o.continue) : 0;
      const to = o.limit ? from + o.limit : allPods.length;
      return Promise.resolve({
        items: allPods.slice(from, to),
        resourceVersion: '1',
        ...(to < allPods.length ? { continue: String(to) } : {}),
      });
    },
    apply: (o: KubernetesObject) => {
      if (o.kind === refuse) return Promise.reject(new UnknownResourceError(`no ${o.kind}`));
      applied.push(o);
      store.set(key(o.kind ?? '', o.metadata?.name ?? '', o.metadata?.namespace), o);
      return Promise.resolve(o);
    },
  } as unknown as KubeClient;
}

function service(source: ClusterSource, client: KubeClient, archive?: string): MeterService {
  return new MeterService({
    source: () => source,
    withClient: (_id, fn) => fn(client),
    imageArchive: () => archive,
    heldPodsPageSize: 1,
  });
}

/** A tenant pod, with our finalizer when `held`, being deleted when `deleting`. */
const tenantPod = (name: string, held: boolean, deleting = false): V1Pod => ({
  metadata: {
    name,
    namespace: 'team-a',
    finalizers: held ? ['example.com/keep', METER_FINALIZER] : ['example.com/keep'],
    ...(deleting ? { deletionTimestamp: new Date('2026-12-03T10:00:00Z') } : {}),
  },
});

const tenantPods = [
  tenantPod('held-terminating', true, true),
  tenantPod('held-running', true),
  tenantPod('other-terminating', false, true),
  tenantPod('held-terminating-2', true, true),
];

const pending = (reason: string): V1Pod => ({
  metadata: { name: 'nodeless-meter-abc' },
  status: {
    containerStatuses: [
      {
        name: 'meter',
        image: 'nodeless.dev/meter:0.1.0',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: {
          waiting: { reason, message: 'Container image is not present with pull policy of Never' },
        },
      },
    ],
  },
});

describe('MeterService', () => {
  it('answers 409 to install and uninstall on clusters Nodeless installed', async () => {
    const s = service('installed', fakeClient([]));
    await expect(s.install({ clusterId: 'c' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s.uninstall({ clusterId: 'c' })).rejects.toBeInstanceOf(TRPCError);
    const status = await s.status({ clusterId: 'c' });
    expect(status).toMatchObject({ installable: false, installed: false });
    expect(status.remedy).toContain("Re-run the cluster's install");
  });

  it('names the image problem and how to load the archive the app ships', async () => {
    const deployment = meterDeployment();
    deployment.status = { readyReplicas: 0 };
    const s = service(
      'imported',
      fakeClient([deployment], [pending('ErrImageNeverPull')]),
      '/opt/Nodeless/resources/meter/nodeless-meter-0.1.0.tar',
    );
    const status = await s.status({ clusterId: 'c' });
    expect(status.imageAvailable).toBe('missing');
    expect(status.imageProblems[0]?.reason).toBe('ErrImageNeverPull');
    expect(status.remedy).toContain('nodeless.dev/meter:0.1.0 is not on the nodes');
    expect(status.remedy).toContain(
      'sudo k3s ctr images import /opt/Nodeless/resources/meter/nodeless-meter-0.1.0.tar',
    );
    expect(status.remedy).toContain(
      'skopeo copy oci-archive:/opt/Nodeless/resources/meter/nodeless-meter-0.1.0.tar docker://<registry>/nodeless/meter:0.1.0',
    );
  });

  it('applies the namespace first and never the param: the meter turns the finalizer on', async () => {
    const client = fakeClient([]);
    let reads = 0;
    const counting = new Proxy(client, {
      get: (target, prop: keyof KubeClient) =>
        prop === 'get'
          ? (...a: Parameters<KubeClient['get']>) => (reads++, target.get(...a))
          : target[prop],
    });
    const status = await service('demo', counting).install({
      clusterId: 'c',
      image: 'r:5000/m:1',
    });
    const kinds = (client as unknown as { applied: KubernetesObject[] }).applied.map((o) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds).toContain('Deployment');
    expect(kinds).not.toContain('ConfigMap');
    expect(status).toMatchObject({ installed: true, finalizerEnabled: false, image: 'r:5000/m:1' });
    expect(status.remedy).toContain('turns its finalizer on when it first leads');
    // One status read after the apply, no polling for a Lease (the install does not wait).
    const once = reads;
    await service('demo', counting).status({ clusterId: 'c' });
    expect(reads - once).toBe(once);
  });

  it('says which Kubernetes it needs when the cluster serves no MutatingAdmissionPolicy', async () => {
    const s = service('imported', fakeClient([], [], 'MutatingAdmissionPolicy'));
    await expect(s.install({ clusterId: 'c' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('Kubernetes 1.36'),
    });
  });

  it('counts pods the finalizer holds once no meter Deployment exists, and how to release them', async () => {
    const client = fakeClient([], [], undefined, tenantPods);
    const status = await service('imported', client).status({ clusterId: 'c' });
    expect(status.installed).toBe(false);
    expect(status.heldPods).toMatchObject({ withFinalizer: 3, terminating: 2, complete: true });
    expect(status.heldPods?.remedy).toContain('Release held pods');
    expect(status.heldPods?.remedy).toContain('install the meter again');
    // One list across namespaces, page by page (4 pods, 1 a page).
    const lists = (client as unknown as { lists: { limit?: number }[] }).lists;
    expect(lists).toHaveLength(4);
    expect(lists.every((l) => l.limit === 1)).toBe(true);
  });

  it('on a cluster Nodeless installed, says to re-run its install (uninstall is not offered)', async () => {
    const status = await service('installed', fakeClient([], [], undefined, tenantPods)).status({
      clusterId: 'c',
    });
    expect(status.heldPods).toMatchObject({ withFinalizer: 3, terminating: 2 });
    expect(status.heldPods?.remedy).toContain("Re-run the cluster's install");
    expect(status.heldPods?.remedy).not.toContain('Release held pods');
  });

  it('says a true zero when no pod is held, with no remedy', async () => {
    const status = await service(
      'demo',
      fakeClient([], [], undefined, [tenantPod('other', false, true)]),
    ).status({
      clusterId: 'c',
    });
    expect(status.heldPods).toEqual({ withFinalizer: 0, terminating: 0, complete: true });
  });

  it('does not list every pod while the meter Deployment exists', async () => {
    const deployment = meterDeployment();
    deployment.status = { readyReplicas: 0, availableReplicas: 0 };
    const client = fakeClient([deployment], [], undefined, tenantPods);
    const status = await service('imported', client).status({ clusterId: 'c' });
    expect(status.installed).toBe(true);
    expect(status.heldPods).toBeUndefined();
    expect((client as unknown as { lists: object[] }).lists).toHaveLength(0);
  });

  it('stops at its page budget and says the counts are lower bounds', async () => {
    const client = fakeClient([], [], undefined, tenantPods);
    const held = await countHeldPods(client, { pageSize: 1, maxPages: 2 });
    expect(held).toEqual({ withFinalizer: 2, terminating: 1, complete: false });
  });
});
