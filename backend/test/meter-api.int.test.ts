/**
 * `meter.*` on the real control plane imported as the app imports a kubeconfig: the status of a
 * cluster without the meter says how to load the image; install applies the meter (with the
 * image the user names) at once, without waiting for a meter, and leaves the finalizer off; a
 * meter (testkit's startMeter: the real program with the meter's ServiceAccount) turns it on by
 * itself when it leads — nobody installs again; a bad image is a 400 on `image`; uninstall
 * removes everything, the ledger only when asked.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import {
  createKubeClient,
  LEDGER_LABEL,
  RESOURCES,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMeter, type StartedMeter } from '../../testkit/src/meter/index.ts';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { client, mutate } from './support.ts';

const SYS = 'nodeless-system';
const IMAGE = 'registry.example:5000/nodeless/meter:0.1.0';
let lab: LabBackend;
let kube: KubeClient;
let meter: StartedMeter | undefined;
const api = () => client(lab.backend);

beforeAll(async () => {
  lab = await startLabBackend('meter-api');
  kube = createKubeClient(lab.cp.kubeconfig);
}, 600_000);
afterAll(async () => {
  await meter?.stop().catch(() => undefined);
  await lab?.stop();
});

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

  it('installs with the named image at once, leaving the finalizer off while no meter runs', async () => {
    const started = Date.now();
    const s = await api().meter.install.mutate({ clusterId: lab.clusterId, image: IMAGE });
    // No Lease wait: the answer is the status right after the apply.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(s).toMatchObject({ installed: true, finalizerEnabled: false, image: IMAGE });
    expect(s.state).not.toBe('running');
    expect(s.remedy).toContain('No meter holds its Lease');
    expect(s.remedy).toContain('turns its finalizer on when it first leads');
    const d = await kube.get<V1Deployment>(RESOURCES.deployments, 'nodeless-meter', SYS);
    expect(d?.spec?.template.spec?.containers[0]?.image).toBe(IMAGE);
    expect(s.objects.filter((o) => !o.present).map((o) => o.object)).toEqual([
      `ConfigMap ${SYS}/nodeless-meter`,
    ]);
  }, 120_000);

  it('has the finalizer on once a meter leads, with no second install', async () => {
    meter = await startMeter(lab.cp, { identity: 'meter-api-test' });
    await meter.waitForEvent('finalizer-switch', 90_000);
    const s = await api().meter.status.query({ clusterId: lab.clusterId });
    expect(s).toMatchObject({ installed: true, finalizerEnabled: true, state: 'running' });
    expect(s.lease?.holder).toBe('meter-api-test');
    expect(s.objects.every((o) => o.present)).toBe(true);
    expect(s.remedy).toBeUndefined();
    // Installing again (an upgrade) keeps it on.
    const again = await api().meter.install.mutate({ clusterId: lab.clusterId, image: IMAGE });
    expect(again.finalizerEnabled).toBe(true);
  }, 120_000);

  it('uninstalls everything, and the ledger only when asked', async () => {
    // Graceful: the meter releases its Lease (no Deployment owns this process-mode meter).
    await meter?.stop();
    meter = undefined;
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
    expect(kept.meterStopped).toBe(true);
    // The Deployment first (no meter left to turn the finalizer back on). The switch it owns
    // is gone too: garbage-collected with it while uninstall waited, or deleted after.
    expect(kept.deleted[0]).toBe(`Deployment ${SYS}/nodeless-meter`);
    expect(await kube.get(RESOURCES.configMaps, 'nodeless-meter', SYS)).toBeUndefined();
    expect(await kube.get(RESOURCES.configMaps, 'nodeless-ledger-000000000001', SYS)).toBeDefined();
    // The test's chunk, and what the meter that ran wrote (its state).
    const ledger = await kube.list(RESOURCES.configMaps, {
      namespace: SYS,
      labelSelector: LEDGER_LABEL,
    });
    expect(ledger.items.length).toBeGreaterThanOrEqual(1);
    const dropped = await api().meter.uninstall.mutate({
      clusterId: lab.clusterId,
      deleteLedger: true,
    });
    expect(dropped).toMatchObject({ ledgerObjects: ledger.items.length, deleted: [] });
    const s = await api().meter.status.query({ clusterId: lab.clusterId });
    expect(s).toMatchObject({ installed: false, finalizerEnabled: false, state: 'absent' });
    expect(s.objects.some((o) => o.present)).toBe(false);
  }, 120_000);
});
