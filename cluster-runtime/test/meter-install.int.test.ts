/**
 * The meter's install, finalizer and uninstall on the real control plane (kube-apiserver v1.36,
 * KWOK): the baseline step installs the meter without waiting for it to run and never turns the
 * finalizer on (the meter's leader does: meter-process.int.test.ts runs the real one; KWOK runs
 * no process, so here the test creates the param as the leader would); the
 * MutatingAdmissionPolicy then adds `nodeless.dev/metering` to tenant pods (with and without
 * finalizers of their own, exactly once) and not to system pods; `kubectl delete` leaves a pod
 * Terminating until the finalizer goes; uninstall deletes the Deployment, waits for its pods to
 * go, then lets a namespace deletion complete and new pods get no finalizer.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { meterSteps } from '../src/baseline/meter-steps.ts';
import { baselineSteps } from '../src/baseline/steps.ts';
import { createKubeClient, RESOURCES, type KubeClient } from '../src/client.ts';
import { meterSwitch } from '../src/metering/meter-install.ts';
import { METER_FINALIZER, METER_PARAM_NAME } from '../src/metering/meter-names.ts';
import { meterStatus } from '../src/metering/meter-status.ts';
import { stripMeteringFinalizer, uninstallMeter } from '../src/metering/meter-uninstall.ts';
import { recordingContext, runSteps } from './helpers.ts';

const NS = 'tenant-m';
const SYS = 'nodeless-system';
let cp: ControlPlane;
let client: KubeClient;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await cp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
const podManifest = (name: string, finalizers?: string[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(finalizers ? { finalizers } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
/** What admission makes of a pod (server dry run: nothing is stored). */
async function admitted(ns: string, manifest: object): Promise<V1Pod> {
  const out = await ok(
    ['create', '-n', ns, '--dry-run=server', '-o', 'json', '-f', '-'],
    JSON.stringify(manifest),
  );
  return JSON.parse(out) as V1Pod;
}
const getPod = (ns: string, name: string) => client.get<V1Pod>(RESOURCES.pods, name, ns);

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  client = createKubeClient(cp.kubeconfig);
  await ok(['create', 'namespace', NS]);
  await until('the default ServiceAccount', async () =>
    (await client.get(RESOURCES.serviceAccounts, 'default', NS)) ? true : undefined,
  );
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

const baseline = () =>
  baselineSteps({
    kubeconfig: () => cp.kubeconfig,
    sandboxes: ['kata-clh'],
    expectedNodes: 1,
    meter: {},
  });

describe('install through the baseline', () => {
  it('installs the meter without waiting for it, and leaves the finalizer off', async () => {
    const ctx = recordingContext();
    const started = Date.now();
    const outcome = await runSteps(baseline(), ctx);
    expect(outcome.at(-1)).toMatchObject({ key: 'cluster-baseline:meter', state: 'done' });
    expect(outcome.map((s) => s.key)).not.toContain('cluster-baseline:meter-finalizer');
    // Applied and observed by the Deployment controller: seconds, no Lease wait.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await client.get(RESOURCES.configMaps, METER_PARAM_NAME, SYS)).toBeUndefined();
    const status = await meterStatus(client);
    expect(status).toMatchObject({ installed: true, finalizerEnabled: false, state: 'absent' });
    expect(status.objects.filter((o) => !o.present).map((o) => o.object)).toEqual([
      `ConfigMap ${SYS}/${METER_PARAM_NAME}`,
    ]);
    expect((await admitted(NS, podManifest('p0'))).metadata?.finalizers).toBeUndefined();
  }, 120_000);

  it('changes nothing on a second run, and leaves the param the meter created alone', async () => {
    // What the meter's leader does when it first leads (meter/src/finalizer-switch.ts).
    await client.create(RESOURCES.configMaps, meterSwitch());
    const again = await runSteps(meterSteps(() => client, {}));
    expect(again.map((s) => s.state)).toEqual(['unchanged']);
    const status = await meterStatus(client);
    expect(status).toMatchObject({ installed: true, finalizerEnabled: true });
    expect(status.objects.every((o) => o.present)).toBe(true);
    // KWOK runs the meter's pods without their image: Ready, but no process (hence no Lease).
    await until('the meter replicas', async () =>
      (await meterStatus(client)).replicas.ready === 2 ? true : undefined,
    );
  }, 300_000);
});

describe('the metering finalizer', () => {
  beforeAll(async () => {
    await until('the policy to be in force', async () =>
      (await admitted(NS, podManifest('probe'))).metadata?.finalizers?.includes(METER_FINALIZER)
        ? true
        : undefined,
    );
  }, 120_000);

  it('is added once to a tenant pod, with or without finalizers of its own', async () => {
    const plain = await admitted(NS, podManifest('a'));
    expect(plain.metadata?.finalizers).toEqual([METER_FINALIZER]);
    const own = await admitted(NS, podManifest('b', ['example.com/keep']));
    expect(own.metadata?.finalizers).toEqual(['example.com/keep', METER_FINALIZER]);
    const already = await admitted(NS, podManifest('c', [METER_FINALIZER]));
    expect(already.metadata?.finalizers).toEqual([METER_FINALIZER]);
    const empty = await admitted(NS, podManifest('d', []));
    expect(empty.metadata?.finalizers).toEqual([METER_FINALIZER]);
  });

  it('is not added in system namespaces', async () => {
    expect((await admitted('kube-public', podManifest('s'))).metadata?.finalizers).toBeUndefined();
    expect((await admitted(SYS, podManifest('s'))).metadata?.finalizers).toBeUndefined();
  });

  it('keeps a deleted pod Terminating until it is removed', async () => {
    await ok(['create', '-n', NS, '-f', '-'], JSON.stringify(podManifest('t')));
    await ok(['delete', 'pod', '-n', NS, 't', '--wait=false', '--grace-period=1']);
    // Past its grace period KWOK has stopped it; only the finalizer keeps it.
    await new Promise((r) => setTimeout(r, 4_000));
    const held = await getPod(NS, 't');
    expect(held?.metadata?.deletionTimestamp).toBeDefined();
    expect(held?.metadata?.finalizers).toEqual([METER_FINALIZER]);
    const table = await ok(['get', 'pod', '-n', NS, 't', '--no-headers']);
    expect(table).toContain('Terminating');
    expect(await stripMeteringFinalizer(client, held as V1Pod)).toBe(true);
    await until('the pod to be gone', async () =>
      (await getPod(NS, 't')) === undefined ? true : undefined,
    );
  }, 60_000);
});

describe('uninstall', () => {
  it('lets a namespace deletion complete and adds no finalizer afterwards', async () => {
    await ok(['create', 'namespace', 'doomed']);
    await until('doomed’s ServiceAccount', async () =>
      (await client.get(RESOURCES.serviceAccounts, 'default', 'doomed')) ? true : undefined,
    );
    await ok(['create', '-n', 'doomed', '-f', '-'], JSON.stringify(podManifest('x')));
    expect((await getPod('doomed', 'x'))?.metadata?.finalizers).toEqual([METER_FINALIZER]);
    await ok(['delete', 'namespace', 'doomed', '--wait=false']);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await client.get(RESOURCES.namespaces, 'doomed')).toBeDefined();

    const done = await uninstallMeter(client, { settleMs: 1_000 });
    // The Deployment first; its (KWOK) pods gone before the param went.
    expect(done.meterStopped).toBe(true);
    expect(done.deleted.slice(0, 2)).toEqual([
      `Deployment ${SYS}/nodeless-meter`,
      `ConfigMap ${SYS}/${METER_PARAM_NAME}`,
    ]);
    expect(done.finalizersRemoved).toBeGreaterThanOrEqual(1);
    expect(done.deleted).toEqual(expect.arrayContaining(['ClusterRole nodeless-meter']));
    await until(
      'the namespace to be gone',
      async () => ((await client.get(RESOURCES.namespaces, 'doomed')) ? undefined : true),
      120_000,
    );
    const status = await meterStatus(client);
    expect(status).toMatchObject({ installed: false, finalizerEnabled: false, state: 'absent' });
    expect(status.objects.some((o) => o.present)).toBe(false);
    // The API server learns of the deleted policy through an informer: give it a moment.
    await until('new pods without the finalizer', async () =>
      (await admitted(NS, podManifest('after'))).metadata?.finalizers === undefined
        ? true
        : undefined,
    );
  }, 240_000);

  it('installed again, the finalizer is back as soon as a meter leads', async () => {
    const again = await runSteps(meterSteps(() => client, {}));
    expect(again.map((s) => s.state)).toEqual(['done']);
    expect(
      (await admitted(NS, podManifest('reinstalled-off'))).metadata?.finalizers,
    ).toBeUndefined();
    await client.create(RESOURCES.configMaps, meterSwitch());
    await until(
      'the finalizer on new pods again',
      async () =>
        (await admitted(NS, podManifest('reinstalled'))).metadata?.finalizers?.includes(
          METER_FINALIZER,
        )
          ? true
          : undefined,
      60_000,
    );
  }, 180_000);
});
