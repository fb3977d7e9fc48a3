import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { meterDeployment, UnknownResourceError, type KubeClient } from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { ClusterSource } from '../clusters/contract.ts';
import { MeterService } from './service.ts';

/** A cluster holding `objects` (by kind/namespace/name) and the meter's `pods`. */
function fakeClient(objects: KubernetesObject[], pods: V1Pod[] = [], refuse?: string): KubeClient {
  const key = (kind: string, name: string, ns?: string) => `${kind}/${ns ?? ''}/${name}`;
  const store = new Map(
    objects.map((o) => [key(o.kind ?? '', o.metadata?.name ?? '', o.metadata?.namespace), o]),
  );
  const applied: KubernetesObject[] = [];
  return {
    applied,
    get: (type: { kind: string }, name: string, ns?: string) =>
      Promise.resolve(store.get(key(type.kind, name, ns))),
    list: () => Promise.resolve({ items: pods, resourceVersion: '1' }),
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
  });
}

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
});
