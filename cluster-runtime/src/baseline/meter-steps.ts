/**
 * The meter as two steps of the cluster baseline (issue 15), install and upgrade alike
 * (server-side apply of what drifted; a new METER_VERSION changes the Deployment's image and
 * labels, so the step applies and the Deployment rolls):
 *
 * 1. `cluster-baseline:meter` — RBAC, the Deployment, the finalizer policy and binding.
 *    Verify checks what can be checked on every substrate: each object reads back as applied,
 *    and the Deployment controller has observed its generation. It does NOT wait for the
 *    rollout: a Ready replica proves nothing where the kubelet is simulated (KWOK), and where
 *    the image was not loaded the rollout never ends — the next step says which.
 * 2. `cluster-baseline:meter-finalizer` — the param ConfigMap that turns the finalizer on,
 *    applied last and only once a meter can remove finalizers: some replica holds Lease
 *    `nodeless-meter` and renewed it within its duration. Until then pods get no finalizer (so
 *    nothing waits on a meter that is not there); if the meter's pods cannot get their image the
 *    step fails at once with the remedy (how to load the archive), else after `leaseTimeoutMs`.
 *
 * @see ../metering/meter-install.ts
 * @see ../metering/meter-status.ts
 */
import type { V1Deployment } from '@kubernetes/client-node';
import type { CheckResult, StepContext } from '@nodeless/common';
import { RESOURCES, type KubeClient } from '../client.ts';
import {
  METER_DEPLOYMENT_NAME,
  METER_VERSION,
  meterImage,
  meterSwitch,
  meterWorkloadObjects,
  type MeterInstallOptions,
} from '../metering/meter-install.ts';
import { METER_LEASE_NAME } from '../metering/meter-names.ts';
import { meterImageRemedy, meterStatus, type MeterStatus } from '../metering/meter-status.ts';
import type { ClusterStep } from '../steps/types.ts';
import { manifestStep } from './manifest-step.ts';
import { SYSTEM_NAMESPACE } from './objects.ts';

export interface BaselineMeterOptions extends MeterInstallOptions {
  /** How long the finalizer step waits for a meter to hold its Lease; default 300 s. */
  leaseTimeoutMs?: number;
  /** How often it looks; default 2 s. */
  pollMs?: number;
  /** Path of the image archive the app ships, for the remedy text. */
  imageArchive?: string;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

/** `2/2 ready`, `0/2 ready`: the rollout in words. */
export function rolloutText(status: MeterStatus): string {
  return `${status.replicas.ready}/${status.replicas.desired} replicas ready`;
}

/** The meter's objects (without the switch): applied, and observed by the Deployment controller. */
export function meterStep(client: () => KubeClient, options: BaselineMeterOptions): ClusterStep {
  const base = manifestStep({
    key: 'cluster-baseline:meter',
    phase: 'cluster-baseline',
    title: `Install the meter ${options.version ?? METER_VERSION}`,
    client,
    objects: () => meterWorkloadObjects(options),
  });
  const verify = async (ctx: StepContext): Promise<CheckResult> => {
    const applied = await base.verify(ctx);
    if (!applied.satisfied) return applied;
    const c = client();
    // The controller's observedGeneration catching up is seconds; give it a bounded wait.
    for (let i = 0; i < 30; i++) {
      const d = await c.get<V1Deployment>(
        RESOURCES.deployments,
        METER_DEPLOYMENT_NAME,
        SYSTEM_NAMESPACE,
        ctx.signal,
      );
      if ((d?.status?.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 1)) {
        const status = await meterStatus(c, { signal: ctx.signal });
        return { satisfied: true, detail: `${applied.detail}; ${rolloutText(status)}` };
      }
      await (options.sleep ?? defaultSleep)(1_000, ctx.signal);
    }
    return {
      satisfied: false,
      detail: `Deployment ${SYSTEM_NAMESPACE}/${METER_DEPLOYMENT_NAME} was not observed by the Deployment controller (is kube-controller-manager running?)`,
    };
  };
  return { ...base, verify };
}

/** The param ConfigMap, once a meter holds the Lease (see the module comment). */
export function meterFinalizerStep(
  client: () => KubeClient,
  options: BaselineMeterOptions,
): ClusterStep {
  const base = manifestStep({
    key: 'cluster-baseline:meter-finalizer',
    phase: 'cluster-baseline',
    title: 'Turn on the metering finalizer once the meter runs',
    client,
    objects: () => [meterSwitch(options)],
  });
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  return {
    ...base,
    async apply(ctx) {
      const c = client();
      const timeoutMs = options.leaseTimeoutMs ?? 300_000;
      const deadline = now() + timeoutMs;
      const version = options.version ?? METER_VERSION;
      for (;;) {
        const status = await meterStatus(c, { now: now(), signal: ctx.signal });
        if (status.state === 'running') {
          ctx.log(`meter ${status.lease?.holder ?? ''} holds the Lease; enabling the finalizer`);
          break;
        }
        if (status.imageProblems.length > 0) {
          const p = status.imageProblems[0];
          throw new Error(
            `The meter cannot start: pod ${p?.pod} is in ${p?.reason}. ` +
              meterImageRemedy({
                image: status.image ?? options.image ?? meterImage(version),
                version,
                ...(options.imageArchive ? { archive: options.imageArchive } : {}),
              }),
          );
        }
        ctx.progress(
          status.replicas.ready,
          status.replicas.desired,
          `waiting for the meter: ${rolloutText(status)}, Lease ${status.state}`,
        );
        if (now() >= deadline) {
          throw new Error(
            `No meter holds Lease ${SYSTEM_NAMESPACE}/${METER_LEASE_NAME} after ${Math.round(timeoutMs / 1000)} s ` +
              `(${rolloutText(status)}, Lease ${status.state}); the finalizer stays off so no pod waits for a meter ` +
              `that is not there. Check the meter's pods: kubectl -n ${SYSTEM_NAMESPACE} logs deploy/${METER_DEPLOYMENT_NAME}.`,
          );
        }
        await sleep(options.pollMs ?? 2_000, ctx.signal);
      }
      await base.apply(ctx);
    },
  };
}

/** Both meter steps in order. */
export function meterSteps(client: () => KubeClient, options: BaselineMeterOptions): ClusterStep[] {
  return [meterStep(client, options), meterFinalizerStep(client, options)];
}
