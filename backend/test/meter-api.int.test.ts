/**
 * `meter.*` on the real control plane imported as the app imports a kubeconfig: the status of a
 * cluster without the meter says how to load the image; install applies the meter (with the
 * image the user names) and leaves the finalizer off while no meter holds the Lease, turns it on
 * when installed again once one does; a bad image is a 400 on `image`; uninstall removes
 * everything, the ledger only when asked.
 */
import type { V1Deployment, V1Lease } from '@kubernetes/client-node';
import {
  createKubeClient,
  LEDGER_LABEL,
  METER_LEASE_NAME,
  RESOURCES,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { client, mutate } from './support.ts';

const SYS = 'nodeless-system';
const IMAGE = 'registry.example:5000/nodeless/meter:0.1.0';
let lab: LabBackend;
let kube: KubeClient;
let renewer: ReturnType<typeof setInterval> | undefined;
const api = () => client(lab.backend);

beforeAll(async () => {
  lab = await startLabBackend('meter-api');
  kube = createKubeClient(lab.cp.kubeconfig);
}, 600_000);
afterAll(async () => {
  if (renewer) clearInterval(renewer);
  await lab?.stop();
});

/** Renews the Lease every 2 s, as the leader does (KWOK runs no meter process). */
function playMeter(): void {
  const renew = () =>
    kube.apply<V1Lease>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: METER_LEASE_NAME, namespace: SYS },
      spec: {
        holderIdentity: 'meter-api-test',
        leaseDurationSeconds: 15,
        renewTime: new Date().toISOString().replace('Z', '000Z') as unknown as Date,
      },
    });
  void renew();
  renewer = setInterval(() => void renew().catch(() => undefined), 2_000);
}

describe('meter API', () => {
  it('says how to load the image on a cluster without the meter', async () => {
    const s = await api().meter.status.query({ clusterId: lab.clusterId });
    expect(s).toMatchObject({
      source: 'imported',
      installed: false,
      finalizerEnabled: false,
      state: 'absent',
      installable: true,
      imageAvailable: 'unknown',
      shippedVersion: '0.1.0',
    });
    expect(s.remedy).toContain('k3s ctr images import nodeless-meter-0.1.0.tar');
    expect(s.remedy).toContain(
      'skopeo copy oci-archive:nodeless-meter-0.1.0.tar docker://<registry>/nodeless/meter:0.1.0',
    );
  });

  it('refuses an image that is not an image reference, naming the field', async () => {
    const res = await mutate(lab.backend, 'meter.install', {
      clusterId: lab.clusterId,
      image: 'nodeless meter; rm -rf /',
    });
    expect(res.status, res.body).toBe(400);
    expect(res.body).toContain('image');
  });

  it('installs with the named image and keeps the finalizer off until a meter holds the Lease', async () => {
    const s = await api().meter.install.mutate({ clusterId: lab.clusterId, image: IMAGE });
    expect(s).toMatchObject({ installed: true, finalizerEnabled: false, image: IMAGE });
    expect(s.state).not.toBe('running');
    expect(s.remedy).toContain('No meter holds its Lease');
    const d = await kube.get<V1Deployment>(RESOURCES.deployments, 'nodeless-meter', SYS);
    expect(d?.spec?.template.spec?.containers[0]?.image).toBe(IMAGE);
    expect(s.objects.filter((o) => !o.present).map((o) => o.object)).toEqual([
      `ConfigMap ${SYS}/nodeless-meter`,
    ]);
  }, 120_000);

  it('turns the finalizer on when installed again once a meter runs', async () => {
    playMeter();
    const s = await api().meter.install.mutate({ clusterId: lab.clusterId, image: IMAGE });
    expect(s).toMatchObject({ installed: true, finalizerEnabled: true, state: 'running' });
    expect(s.lease?.holder).toBe('meter-api-test');
    expect(s.objects.every((o) => o.present)).toBe(true);
    expect(s.remedy).toBeUndefined();
  }, 120_000);

  it('uninstalls everything, and the ledger only when asked', async () => {
    if (renewer) clearInterval(renewer);
    await kube.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'nodeless-ledger-000000000001',
        namespace: SYS,
        labels: { [LEDGER_LABEL]: 'records' },
      },
      data: {},
    });
    const kept = await api().meter.uninstall.mutate({
      clusterId: lab.clusterId,
      deleteLedger: false,
    });
    expect(kept.ledgerObjects).toBe(0);
    expect(kept.deleted).toEqual(
      expect.arrayContaining([
        `ConfigMap ${SYS}/nodeless-meter`,
        `Deployment ${SYS}/nodeless-meter`,
      ]),
    );
    expect(await kube.get(RESOURCES.configMaps, 'nodeless-ledger-000000000001', SYS)).toBeDefined();
    const dropped = await api().meter.uninstall.mutate({
      clusterId: lab.clusterId,
      deleteLedger: true,
    });
    expect(dropped).toMatchObject({ ledgerObjects: 1, deleted: [] });
    const s = await api().meter.status.query({ clusterId: lab.clusterId });
    expect(s).toMatchObject({ installed: false, finalizerEnabled: false, state: 'absent' });
    expect(s.objects.some((o) => o.present)).toBe(false);
  }, 120_000);
});
