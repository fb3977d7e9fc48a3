/**
 * The install with the real meter (testkit's startMeter: the meter program as a process with its
 * ServiceAccount's token and the production flags) on the real control plane: the baseline
 * installs the meter without waiting for it and leaves the finalizer off; the meter, once it
 * leads, creates the param itself (with only its own RBAC), then tenant pods get the finalizer;
 * a pod deleted with kubectl stays until the meter has recorded it and removed the finalizer, and
 * its record is in the ledger; a CronJob's run (a Job it controls) is billed to the CronJob
 * (the meter's Job watch, with its RBAC); the param is owned by the Deployment, so deleting the
 * Deployment deletes the switch. The meter's fence (a ValidatingAdmissionPolicy, evaluated by
 * the real kube-apiserver) refuses the meter's token any ConfigMap write in nodeless-system that
 * is not the ledger's or the switch, while the meter keeps recording under it; its logs hold no
 * token.
 */
import type { V1ConfigMap, V1CronJob, V1Deployment, V1Job, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { startMeter, type StartedMeter } from '../../testkit/src/meter/index.ts';
import { baselineSteps } from '../src/baseline/steps.ts';
import { createKubeClient, RESOURCES, type KubeClient } from '../src/client.ts';
import { chunkFromConfigMap, LEDGER_LABEL, RECORDS_KEY } from '../src/metering/ledger-configmap.ts';
import { METER_FENCE_NAME, METER_PARAM_VERSION_KEY } from '../src/metering/meter-admission.ts';
import { METER_VERSION } from '../src/metering/meter-install.ts';
import { METER_FINALIZER, METER_NAME, METER_PARAM_NAME } from '../src/metering/meter-names.ts';
import { uninstallMeter } from '../src/metering/meter-uninstall.ts';
import { PARAMS_NAME } from '../src/policies/params.ts';
import { serviceAccountKubeconfig } from '../src/tenants/token-kubeconfig.ts';
import { runSteps } from './helpers.ts';

const NS = 'tenant-p';
let cp: ControlPlane;
let client: KubeClient;
let meter: StartedMeter | undefined;

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  client = createKubeClient(cp.kubeconfig);
}, 900_000);
afterAll(async () => {
  await meter?.stop().catch(() => undefined);
  await cp?.stop();
});

describe('the meter installed by the baseline, run as a process', () => {
  it('turns the finalizer on once the meter leads, and releases a deleted pod once recorded', async () => {
    const steps = baselineSteps({
      kubeconfig: () => cp.kubeconfig,
      sandboxes: ['kata-clh'],
      expectedNodes: 1,
      meter: {},
    });
    // The install finishes without a meter, and leaves the finalizer off.
    const outcome = await runSteps(steps);
    expect(outcome.at(-1)).toMatchObject({ key: 'cluster-baseline:meter', state: 'done' });
    const param = () =>
      client.get<V1ConfigMap>(RESOURCES.configMaps, METER_PARAM_NAME, 'nodeless-system');
    expect(await param()).toBeUndefined();

    // The meter, with only its own RBAC, creates the param when it leads.
    meter = await startMeter(cp, { identity: 'meter-proc-1' });
    await meter.waitForEvent('leader-acquired', 60_000);
    expect(await meter.waitForEvent('finalizer-switch', 30_000)).toMatchObject({
      outcome: 'created',
    });
    expect((await param())?.data).toEqual({ [METER_PARAM_VERSION_KEY]: METER_VERSION });

    await cp.kubectl(['create', 'namespace', NS]);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'short', namespace: NS },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    };
    const created = await until('the pod to be admitted with the finalizer', async () => {
      const p = await client.create<V1Pod>(RESOURCES.pods, pod).catch(() => undefined);
      if (p && !p.metadata?.finalizers?.includes(METER_FINALIZER)) {
        await client.delete(RESOURCES.pods, 'short', NS, { gracePeriodSeconds: 0 });
        // Policies reach admission through informers: try again until it is in force.
        await until('the unfinalized pod to go', async () =>
          (await client.get(RESOURCES.pods, 'short', NS)) ? undefined : true,
        );
        return undefined;
      }
      return p;
    });
    await until('the pod to run', async () =>
      (await client.get<V1Pod>(RESOURCES.pods, 'short', NS))?.status?.phase === 'Running'
        ? true
        : undefined,
    );
    const r = await cp.kubectl([
      'delete',
      'pod',
      '-n',
      NS,
      'short',
      '--grace-period=2',
      '--wait=true',
      '--timeout=90s',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(await client.get(RESOURCES.pods, 'short', NS)).toBeUndefined();
    const uid = created.metadata?.uid ?? '';
    const recorded = await until('the pod’s final record in the ledger', async () => {
      const { items } = await client.list<V1ConfigMap>(RESOURCES.configMaps, {
        namespace: 'nodeless-system',
        labelSelector: `${LEDGER_LABEL}=records`,
      });
      const lines = items.flatMap((c) => (c.data?.[RECORDS_KEY] ?? '').split('\n'));
      return lines.some((l) => l.includes(uid) && l.includes('"final":true')) ? true : undefined;
    });
    expect(recorded).toBe(true);
  }, 400_000);

  it('bills the pod of a CronJob’s Job to the CronJob (the meter watches Jobs)', async () => {
    const template = {
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx' }] },
    };
    // Suspended: the run is made here, as the CronJob controller would, not waited for.
    const cron = await client.create<V1CronJob>(RESOURCES.cronJobs, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly-report', namespace: NS },
      spec: { schedule: '0 3 * * *', suspend: true, jobTemplate: { spec: { template } } },
    });
    await client.create<V1Job>(RESOURCES.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-report-1',
        namespace: NS,
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'nightly-report',
            uid: cron.metadata?.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { backoffLimit: 0, template },
    });
    // The real Job controller makes the pod; it names its Job only.
    const pod = await until('the Job’s pod to run', async () => {
      const { items } = await client.list<V1Pod>(RESOURCES.pods, {
        namespace: NS,
        labelSelector: 'job-name=nightly-report-1',
      });
      return items.find((p) => p.status?.phase === 'Running');
    });
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Job',
      name: 'nightly-report-1',
    });
    const name = pod.metadata?.name ?? '';
    const r = await cp.kubectl(['delete', 'pod', '-n', NS, name, '--wait=true', '--timeout=90s']);
    expect(r.code, r.stderr).toBe(0);
    const uid = pod.metadata?.uid ?? '';
    const record = await until('the run’s final record in the ledger', async () => {
      const { items } = await client.list<V1ConfigMap>(RESOURCES.configMaps, {
        namespace: 'nodeless-system',
        labelSelector: `${LEDGER_LABEL}=records`,
      });
      return items
        .flatMap((c) => chunkFromConfigMap(c).records)
        .find((l) => l.uid === uid && l.final);
    });
    expect(record.owner).toEqual({ kind: 'CronJob', name: 'nightly-report' });
  }, 180_000);

  it("refuses the meter's token every other ConfigMap write in nodeless-system", async () => {
    const SYS = 'nodeless-system';
    const { kubeconfig } = await serviceAccountKubeconfig(client, {
      namespace: SYS,
      serviceAccount: METER_NAME,
      expiresSeconds: 600,
    });
    const asMeter = createKubeClient(kubeconfig);
    /** The refusal of a write: the policy's 403 with its name, or undefined when it went through. */
    const refusal = (write: () => Promise<unknown>) =>
      write().then(
        () => undefined,
        (e: unknown) => e as Error & { code?: number },
      );
    const params = await client.get<V1ConfigMap>(RESOURCES.configMaps, PARAMS_NAME, SYS);
    expect(params?.data?.['runtimeClassName']).toBe('kata-clh');
    // RBAC allows all of these (create cannot be limited by name): only the fence refuses them.
    const attempts: Array<[string, () => Promise<unknown>]> = [
      [
        'update serverless-policy-params',
        () =>
          asMeter.replace(RESOURCES.configMaps, {
            ...params,
            data: { ...params?.data, runtimeClassName: 'runc' },
          }),
      ],
      [
        'label serverless-policy-params as ledger',
        () =>
          asMeter.replace(RESOURCES.configMaps, {
            ...params,
            metadata: { ...params?.metadata, labels: { [LEDGER_LABEL]: 'records' } },
          }),
      ],
      [
        'delete serverless-policy-params',
        () => asMeter.delete(RESOURCES.configMaps, PARAMS_NAME, SYS),
      ],
      [
        'create an unlabelled ConfigMap',
        () =>
          asMeter.create(RESOURCES.configMaps, {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'not-the-ledger', namespace: SYS },
            data: { a: 'b' },
          }),
      ],
    ];
    for (const [what, write] of attempts) {
      // In force since the baseline applied it, minutes ago: no wait for its informer.
      const e = await refusal(write);
      expect(e?.code, what).toBe(403);
      expect(e?.message, what).toContain(`ValidatingAdmissionPolicy '${METER_FENCE_NAME}'`);
      expect(e?.message, what).toContain('the meter may write only ledger ConfigMaps');
    }
    const after = await client.get<V1ConfigMap>(RESOURCES.configMaps, PARAMS_NAME, SYS);
    expect(after?.data).toEqual(params?.data);
    expect(after?.metadata?.labels).toEqual(params?.metadata?.labels);
    expect(await client.get(RESOURCES.configMaps, 'not-the-ledger', SYS)).toBeUndefined();

    // A ledger object (labelled) the same token may create and delete: the fence is that narrow.
    const probe = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'nodeless-ledger-fence-probe',
        namespace: SYS,
        labels: { [LEDGER_LABEL]: 'probe' },
      },
    };
    await asMeter.create(RESOURCES.configMaps, probe);
    expect(await asMeter.delete(RESOURCES.configMaps, 'nodeless-ledger-fence-probe', SYS)).toBe(
      true,
    );

    // The meter itself wrote under the fence (its chunks above) and was never refused by it,
    // and no line it wrote holds a token (a JWT: three base64url parts, the first `eyJ`).
    const logs = meter?.logs ?? [];
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.includes(METER_FENCE_NAME))).toEqual([]);
    expect(logs.filter((l) => /eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(l))).toEqual([]);
  }, 120_000);

  it('garbage-collects the switch with its owner, the Deployment (kubectl delete deploy)', async () => {
    const d = await client.get<V1Deployment>(
      RESOURCES.deployments,
      'nodeless-meter',
      'nodeless-system',
    );
    const live = await client.get<V1ConfigMap>(
      RESOURCES.configMaps,
      METER_PARAM_NAME,
      'nodeless-system',
    );
    expect(live?.metadata?.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nodeless-meter', uid: d?.metadata?.uid },
    ]);
    const r = await cp.kubectl(['-n', 'nodeless-system', 'delete', 'deploy', 'nodeless-meter']);
    expect(r.code, r.stderr).toBe(0);
    await until('the switch to be garbage-collected', async () =>
      (await client.get(RESOURCES.configMaps, METER_PARAM_NAME, 'nodeless-system'))
        ? undefined
        : true,
    );
  }, 120_000);

  it('uninstalls while the meter is stopped, keeping the ledger', async () => {
    await meter?.stop();
    meter = undefined;
    const done = await uninstallMeter(client, { settleMs: 500 });
    // The stopped meter released its Lease: the switch went without waiting out the Lease.
    expect(done.meterStopped).toBe(true);
    expect(done.ledgerObjects).toBe(0);
    const { items } = await client.list(RESOURCES.configMaps, {
      namespace: 'nodeless-system',
      labelSelector: LEDGER_LABEL,
    });
    expect(items.length).toBeGreaterThan(0);
  }, 120_000);
});
