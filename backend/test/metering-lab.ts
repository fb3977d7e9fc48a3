/**
 * What the metering acceptance files share (issue 15): the real control plane imported into a
 * test backend (lab-backend.ts), the meter running as a process with its ServiceAccount's token
 * (testkit's startMeter: the product's entry point and flags), the finalizer's admission policy
 * switched on as the install does (policy, then the param once a meter leads), prices with no
 * minimum so a 1-second pod bills 1 second, and the pods' own watch (metering-observer.ts).
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  createKubeClient,
  METER_FINALIZER,
  meteringPolicy,
  meterSwitch,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { afterAll, beforeAll } from 'vitest';
import type { ControlPlaneOptions } from '../../testkit/src/control-plane/index.ts';
import { startMeter, type StartedMeter } from '../../testkit/src/meter/index.ts';
import type { UsageTable } from '../src/usage/contract.ts';
import { startLabBackend, type LabBackend } from './lab-backend.ts';
import { CHURN_LABEL, ensureNamespaces } from './metering-churn.ts';
import { PodObserver } from './metering-observer.ts';
import { client } from './support.ts';

/** Prices the tests bill with: entered, no minimum (the reference is the life itself). */
export const TEST_PRICES = {
  mode: 'entered',
  currency: 'EUR',
  minimumSeconds: 0,
  perVcpuHour: '0.04048',
  perGibHour: '0.004445',
} as const;
/** {@link TEST_PRICES} in nano-units per hour, for the reference's cost. */
export const TEST_NANOS = { nanosPerVcpuHour: 40_480_000, nanosPerGibHour: 4_445_000 };

export interface MeteringLab {
  lab: LabBackend;
  kube: KubeClient;
  meter: StartedMeter;
  observer: PodObserver;
  /** The churn label value of this file's pods. */
  run: string;
  /** Syncs the ledger into the backend, then reads its bill of [from, to). */
  bill(from: number, to: number, by?: 'pod' | 'namespace'): Promise<UsageTable>;
  /** The backend's CSV of the pod table of [from, to). */
  csv(from: number, to: number): Promise<string>;
  stop(): Promise<void>;
}

const iso = (s: number) => new Date(s * 1000).toISOString();

/** Waits until admission adds the finalizer to a tenant pod (policies apply asynchronously). */
async function waitFinalizerPolicy(kube: KubeClient, namespace: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const probe = await kube.apply<V1Pod>(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'metering-probe', namespace },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/probe:1' }] },
      },
      { dryRun: true },
    );
    if ((probe.metadata?.finalizers ?? []).includes(METER_FINALIZER)) return;
    if (Date.now() > deadline) throw new Error('the metering finalizer policy never took effect');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function startMeteringLab(
  prefix: string,
  controlPlane: ControlPlaneOptions,
): Promise<MeteringLab> {
  const lab = await startLabBackend(prefix, { controlPlane });
  const stops: Array<() => Promise<unknown>> = [() => lab.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const kube = createKubeClient(lab.cp.kubeconfig);
    const meter = await startMeter(lab.cp, { identity: `${prefix}-meter` });
    stops.push(() => meter.stop());
    await meter.waitForEvent('leading', 90_000);
    // As the install: the policy, then the switch once a meter leads (it removes finalizers).
    for (const o of meteringPolicy()) await kube.apply(o);
    await kube.apply(meterSwitch());
    await ensureNamespaces(kube, ['metering-probe']);
    await waitFinalizerPolicy(kube, 'metering-probe');
    await client(lab.backend).usage.prices.set.mutate({ clusterId: lab.clusterId, ...TEST_PRICES });
    const run = prefix;
    const observer = await PodObserver.start(kube, `${CHURN_LABEL}=${run}`);
    stops.push(async () => observer.stop());
    const api = () => client(lab.backend);
    const range = (from: number, to: number) => ({
      clusterId: lab.clusterId,
      from: iso(from),
      to: iso(to),
    });
    return {
      lab,
      kube,
      meter,
      observer,
      run,
      async bill(from, to, by = 'pod') {
        await api().usage.sync.mutate({ clusterId: lab.clusterId });
        return api().usage.table.query({ ...range(from, to), by });
      },
      async csv(from, to) {
        return (await api().usage.csv.query({ ...range(from, to), by: 'pod' })).text;
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * One lab for the calling test file: started before its tests, stopped after them (vitest
 * hooks). Call at the file's top level; the returned function gives the running lab in a test.
 */
export function useMeteringLab(
  prefix: string,
  controlPlane: ControlPlaneOptions,
): () => MeteringLab {
  let lab: MeteringLab | undefined;
  beforeAll(async () => {
    lab = await startMeteringLab(prefix, controlPlane);
  });
  afterAll(async () => {
    await lab?.stop();
  });
  return () => {
    if (!lab) throw new Error(`the ${prefix} metering lab did not start`);
    return lab;
  };
}

/** Whether every pod the observer saw was created with the metering finalizer. */
export function missingFinalizer(observer: PodObserver): string[] {
  return [...observer.pods.values()]
    .filter((p) => !(p.history[0]?.metadata?.finalizers ?? []).includes(METER_FINALIZER))
    .map((p) => `${p.namespace}/${p.name}`);
}

/** Every observed pod ended and was released by the meter (gone, or terminal without it). */
export function allRecorded(observer: PodObserver, count: number): boolean {
  if (observer.pods.size < count) return false;
  for (const p of observer.pods.values()) if (!PodObserver.done(p, METER_FINALIZER)) return false;
  return true;
}
