/**
 * The sandbox-start record (meter-admission.ts's sandboxStartPolicy) on the real control plane
 * (kube-apiserver v1.36, KWOK as the kubelet): with the meter's switch on, a tenant pod whose
 * sandbox comes up gets condition `nodeless.dev/sandbox-started` carrying exactly
 * `PodReadyToStartContainers`' transition time, in the same status write; it stays when the pod
 * ends (the condition turned False: succeeded, or deleted and held Terminating by the metering
 * finalizer, as during a meter outage) and when the sandbox's condition moves later; pod-life
 * bills from it. System namespaces never get it, nor tenant pods once the switch is off.
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { createKubeClient, RESOURCES, type KubeClient } from '../src/client.ts';
import { meteringPolicy, SANDBOX_STARTED_REASON } from '../src/metering/meter-admission.ts';
import { meterSwitch } from '../src/metering/meter-install.ts';
import { METER_PARAM_NAME, SANDBOX_STARTED_CONDITION } from '../src/metering/meter-names.ts';
import { stripMeteringFinalizer } from '../src/metering/meter-uninstall.ts';
import { podLife } from '../src/metering/pod-life.ts';

const NS = 'tenant-sandbox';
const SYS = 'nodeless-system';
const READY_TO_START = 'PodReadyToStartContainers';
let cp: ControlPlane;
let client: KubeClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
async function ok(args: string[]): Promise<string> {
  const r = await cp.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const conditionOf = (pod: V1Pod | undefined, type: string): V1PodCondition | undefined =>
  pod?.status?.conditions?.find((c) => c.type === type);
/** RFC 3339 as the API server wrote it (the client may parse it into a Date). */
const timeText = (c: V1PodCondition | undefined): string | undefined =>
  c?.lastTransitionTime === undefined ? undefined : new Date(c.lastTransitionTime).toISOString();

let n = 0;
/** A pod that runs for ever, or `lifeSeconds` then succeeds (KWOK's pod-exit stage). */
async function createPod(namespace: string, lifeSeconds?: number): Promise<string> {
  const name = `p-${++n}`;
  await client.create(RESOURCES.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(lifeSeconds === undefined
        ? {}
        : { annotations: { 'pod-exit.stage.kwok.x-k8s.io/delay': `${lifeSeconds}s` } }),
    },
    spec: {
      restartPolicy: lifeSeconds === undefined ? 'Always' : 'Never',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: 'registry.invalid/app:1' }],
    },
  });
  return name;
}
const getPod = (namespace: string, name: string) =>
  client.get<V1Pod>(RESOURCES.pods, name, namespace);
/** The pod once its sandbox is up (PodReadyToStartContainers True). */
const sandboxUp = (namespace: string, name: string) =>
  until(`${namespace}/${name}'s sandbox`, async () => {
    const pod = await getPod(namespace, name);
    return conditionOf(pod, READY_TO_START)?.status === 'True' ? pod : undefined;
  });

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  client = createKubeClient(cp.kubeconfig);
  for (const name of [NS, SYS])
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const o of meteringPolicy()) await client.apply(o);
  await client.apply(meterSwitch());
  // Policies, bindings and the param reach admission through informers: probe until it bites.
  await until(
    'the sandbox-start policy to be in force',
    async () => {
      const pod = await sandboxUp(NS, await createPod(NS));
      return conditionOf(pod, SANDBOX_STARTED_CONDITION) ? true : undefined;
    },
    120_000,
  );
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

describe('with the switch on', () => {
  it('records the sandbox start exactly and keeps it once the pod has succeeded', async () => {
    const name = await createPod(NS, 3);
    const up = await sandboxUp(NS, name);
    const ready = conditionOf(up, READY_TO_START);
    // The same write that turned PodReadyToStartContainers True carries ours.
    expect(conditionOf(up, SANDBOX_STARTED_CONDITION)).toMatchObject({
      status: 'True',
      reason: SANDBOX_STARTED_REASON,
    });
    expect(timeText(conditionOf(up, SANDBOX_STARTED_CONDITION))).toBe(timeText(ready));

    const done = await until('the pod to succeed', async () => {
      const pod = await getPod(NS, name);
      return pod?.status?.phase === 'Succeeded' ? pod : undefined;
    });
    const after = conditionOf(done, READY_TO_START);
    expect(after?.status).toBe('False');
    expect(timeText(after)).not.toBe(timeText(ready));
    expect(timeText(conditionOf(done, SANDBOX_STARTED_CONDITION))).toBe(timeText(ready));
    // What a meter that never saw the pod alive bills it from.
    const sandboxStart = Math.floor(Date.parse(timeText(ready) ?? '') / 1000);
    expect(podLife(done as V1Pod)).toMatchObject({
      start: sandboxStart,
      startSource: 'sandbox-started',
    });
  });

  it('keeps it on a deleted pod held Terminating by the metering finalizer', async () => {
    const name = await createPod(NS);
    const ready = timeText(conditionOf(await sandboxUp(NS, name), READY_TO_START));
    await client.delete(RESOURCES.pods, name, NS);
    // KWOK's pod-stop stage: containers killed after the 1 s grace, the sandbox condition False.
    const stopped = await until('the pod to stop', async () => {
      const pod = await getPod(NS, name);
      return conditionOf(pod, READY_TO_START)?.status === 'False' ? pod : undefined;
    });
    expect(stopped.metadata?.deletionTimestamp).toBeDefined();
    expect(timeText(conditionOf(stopped, SANDBOX_STARTED_CONDITION))).toBe(ready);
    expect(podLife(stopped).startSource).toBe('sandbox-started');
    expect(await stripMeteringFinalizer(client, stopped)).toBe(true);
  });

  it('keeps the first sandbox start when the sandbox condition moves later', async () => {
    const name = await createPod(NS);
    const first = timeText(conditionOf(await sandboxUp(NS, name), SANDBOX_STARTED_CONDITION));
    // A recreated sandbox, written as the kubelet writes status: a strategic merge patch.
    const later = new Date(Date.parse(first ?? '') + 60_000).toISOString();
    const patch = {
      status: { conditions: [{ type: READY_TO_START, status: 'True', lastTransitionTime: later }] },
    };
    await ok([
      'patch',
      'pod',
      name,
      '-n',
      NS,
      '--subresource=status',
      '--type=strategic',
      '-p',
      JSON.stringify(patch),
    ]);
    const pod = await getPod(NS, name);
    expect(timeText(conditionOf(pod, READY_TO_START))).toBe(later);
    expect(timeText(conditionOf(pod, SANDBOX_STARTED_CONDITION))).toBe(first);
  });

  it('leaves pods of system namespaces alone', async () => {
    const pod = await sandboxUp(SYS, await createPod(SYS));
    expect(conditionOf(pod, SANDBOX_STARTED_CONDITION)).toBeUndefined();
  });
});

describe('with the switch off', () => {
  it('adds nothing to new tenant pods and leaves existing records', async () => {
    const recorded = await sandboxUp(NS, await createPod(NS));
    expect(conditionOf(recorded, SANDBOX_STARTED_CONDITION)).toBeDefined();
    await client.delete(RESOURCES.configMaps, METER_PARAM_NAME, SYS);
    // The binding learns of the deleted param through an informer: wait for one unmarked pod,
    // then every later one must be unmarked too.
    await until(
      'the switch to be off',
      async () => {
        const pod = await sandboxUp(NS, await createPod(NS));
        return conditionOf(pod, SANDBOX_STARTED_CONDITION) ? undefined : true;
      },
      60_000,
    );
    for (let i = 0; i < 3; i++) {
      const pod = await sandboxUp(NS, await createPod(NS));
      expect(conditionOf(pod, SANDBOX_STARTED_CONDITION)).toBeUndefined();
    }
    const still = await getPod(NS, recorded.metadata?.name ?? '');
    expect(conditionOf(still, SANDBOX_STARTED_CONDITION)).toEqual(
      conditionOf(recorded, SANDBOX_STARTED_CONDITION),
    );
  });
});
