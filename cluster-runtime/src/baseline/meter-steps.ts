/**
 * The meter as a step of the cluster baseline (issue 15), install and upgrade alike (server-side
 * apply of what drifted; a new METER_VERSION changes the Deployment's image and labels, so the
 * step applies and the Deployment rolls): `cluster-baseline:meter` — RBAC, the Deployment, the
 * finalizer policy and its binding.
 *
 * Verify checks what can be checked on every substrate: each object reads back as applied, and
 * the Deployment controller has observed its generation. It does NOT wait for the rollout nor
 * for a meter to hold its Lease: a Ready replica proves nothing where the kubelet is simulated
 * (KWOK), and where the image was not loaded the rollout never ends. When the meter's pods
 * already say they cannot get their image, the step's detail says so, with the remedy (how to
 * load the archive) — and the install still completes.
 *
 * The param ConfigMap that turns the admission finalizer on is NOT applied here: the meter's
 * leader creates it (meter/src/finalizer-switch.ts), so the finalizer is on only once a meter has
 * actually run and can remove it; the install never waits on it; and an install whose image was
 * loaded later turns the finalizer on by itself.
 *
 * @see ../metering/meter-install.ts
 * @see ../metering/meter-status.ts
 * @see ../../../meter/src/finalizer-switch.ts
 */
import type { V1Deployment } from '@kubernetes/client-node';
import type { CheckResult, StepContext } from '@nodeless/common';
import { RESOURCES, type KubeClient } from '../client.ts';
import {
  METER_DEPLOYMENT_NAME,
  METER_VERSION,
  meterImage,
  meterWorkloadObjects,
  type MeterInstallOptions,
} from '../metering/meter-install.ts';
import { meterImageRemedy, meterStatus, type MeterStatus } from '../metering/meter-status.ts';
import type { ClusterStep } from '../steps/types.ts';
import { manifestStep } from './manifest-step.ts';
import { SYSTEM_NAMESPACE } from './objects.ts';

export interface BaselineMeterOptions extends MeterInstallOptions {
  /** Path (or name) of the image archive the app ships, for the remedy text. */
  imageArchive?: string;
  /** Pause between reads of the Deployment's observedGeneration (tests inject). */
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

/** What the status says beyond the rollout: the finalizer, or the image problem and its remedy. */
function statusText(status: MeterStatus, options: BaselineMeterOptions): string {
  const problem = status.imageProblems[0];
  if (problem) {
    const version = options.version ?? METER_VERSION;
    return (
      `pod ${problem.pod} is in ${problem.reason}: ` +
      meterImageRemedy({
        image: status.image ?? options.image ?? meterImage(version),
        version,
        ...(options.imageArchive ? { archive: options.imageArchive } : {}),
      }) +
      ' The metering finalizer turns on once a meter runs.'
    );
  }
  return status.finalizerEnabled
    ? 'finalizer on'
    : 'the finalizer turns on when a meter first leads';
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
        const detail = `${applied.detail}; ${rolloutText(status)}, ${statusText(status, options)}`;
        if (status.imageProblems.length > 0) ctx.log(detail);
        return { satisfied: true, detail };
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

/** The meter's baseline steps (one: the finalizer's switch is the meter's own, see above). */
export function meterSteps(client: () => KubeClient, options: BaselineMeterOptions): ClusterStep[] {
  return [meterStep(client, options)];
}
