/**
 * `meter.*` on the real control plane imported as the app imports a kubeconfig: the status of a
 * cluster without the meter says how to load the image; install applies the meter (with the
 * image the user names) at once, without waiting for a meter, and leaves the finalizer off; a
 * meter (testkit's startMeter: the real program with the meter's ServiceAccount) turns it on by
 * itself when it leads — nobody installs again; a bad image is a 400 on `image`; uninstall
 * removes everything, the ledger only when asked; once the meter's Deployment is deleted by hand,
 * the status counts the pods its finalizer still holds (a deleted one stuck Terminating) and
 * uninstall releases them.
 */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  createKubeClient,
  LEDGER_LABEL,
  METER_FINALIZER,
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

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await lab.cp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

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

  it('flags pods the finalizer holds after `kubectl delete deploy`, and uninstall releases them', async () => {
    const NS = 'tenant-held';
    // The meter (leading: the switch is on, owned by the Deployment) stops, so nothing records
    // the pods below nor removes their finalizer.
    await meter?.stop();
    meter = undefined;
    await kubectl(['create', 'namespace', NS]);
    await until('the default ServiceAccount', async () =>
      (await kube.get(RESOURCES.serviceAccounts, 'default', NS)) ? true : undefined,
    );
    const pod = (name: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      });
    await kubectl(['create', '-n', NS, '-f', '-'], pod('held'));
    await kubectl(['create', '-n', NS, '-f', '-'], pod('kept'));
    const admitted = await kube.get<V1Pod>(RESOURCES.pods, 'held', NS);
    expect(admitted?.metadata?.finalizers).toContain(METER_FINALIZER);
    await kubectl(['delete', 'pod', '-n', NS, 'held', '--wait=false', '--grace-period=1']);
    await kubectl(['delete', 'deployment', '-n', SYS, 'nodeless-meter']);

    const s = await api().meter.status.query({ clusterId: lab.clusterId });
    expect(s.installed).toBe(false);
    expect(s.heldPods).toMatchObject({ withFinalizer: 2, terminating: 1, complete: true });
    expect(s.heldPods?.remedy).toContain('Release held pods');
    const held = await kube.get<V1Pod>(RESOURCES.pods, 'held', NS);
    expect(held?.metadata?.deletionTimestamp).toBeDefined();

    const released = await api().meter.uninstall.mutate({ clusterId: lab.clusterId });
    expect(released.finalizersRemoved).toBe(2);
    await until('the held pod to be gone', async () =>
      (await kube.get(RESOURCES.pods, 'held', NS)) ? undefined : true,
    );
    const after = await api().meter.status.query({ clusterId: lab.clusterId });
    expect(after.heldPods).toEqual({ withFinalizer: 0, terminating: 0, complete: true });
    // The meter back for the uninstall case below (it deletes the Deployment first).
    await api().meter.install.mutate({ clusterId: lab.clusterId, image: IMAGE });
  }, 180_000);

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
