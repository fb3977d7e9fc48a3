/**
 * `meter.*` behind the API (issue 15): the meter's status on any connectable cluster, and its
 * install and uninstall on clusters imported by kubeconfig and on the demo. Clusters Nodeless
 * installed get the meter from their baseline (install and upgrade are bootstrap steps), so
 * install/uninstall answer 409 there.
 *
 * Install from the UI applies what the baseline applies (cluster-runtime's meter objects, with
 * another image when the user pushed it to a registry) and answers the status at once: it never
 * applies the param that turns the finalizer on, nor waits for a meter — the meter's leader
 * creates the param when it first leads (meter/src/finalizer-switch.ts), so the finalizer is on
 * only once a meter runs to remove it, and an image loaded later turns it on by itself. When the
 * status shows the pods cannot get the image, the answer says how to load it.
 *
 * @see ../../../cluster-runtime/src/metering/meter-install.ts
 * @see ../../../cluster-runtime/src/baseline/meter-steps.ts
 * @see ../../../meter/src/finalizer-switch.ts
 */
import {
  METER_VERSION,
  meterImage,
  meterImageLoadSteps,
  meterImageRemedy,
  meterStatus,
  meterWorkloadObjects,
  systemNamespace,
  uninstallMeter,
  UnknownResourceError,
  type KubeClient,
  type MeterStatus,
} from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import type { ClusterSource } from '../clusters/contract.ts';
import { countHeldPods } from './held-pods.ts';
import type { MeterInstallInput, MeterStatusInput, MeterUninstallInput } from './schema.ts';
import type { MeterHeldPods, MeterStatusView, MeterUninstallResult } from './types.ts';

export interface MeterServiceOptions {
  /** Where the cluster came from; throws NotFoundError (404) for an unknown id. */
  source(clusterId: string): ClusterSource;
  /** Runs `fn` with the cluster's admin client (the workspace's connection and error words). */
  withClient<T>(clusterId: string, fn: (client: KubeClient) => Promise<T>): Promise<T>;
  /** Path of the meter image archive the app ships, when it has one (for the remedy text). */
  imageArchive?: () => string | undefined;
  now?: () => number;
  /** Pods per page of the held-pods list (tests page with 1); default held-pods.ts's. */
  heldPodsPageSize?: number;
}

const installable = (source: ClusterSource): boolean => source !== 'installed';

export class MeterService {
  readonly #o: MeterServiceOptions;

  constructor(options: MeterServiceOptions) {
    this.#o = options;
  }

  async status(input: MeterStatusInput, signal?: AbortSignal): Promise<MeterStatusView> {
    const source = this.#o.source(input.clusterId);
    return this.#o.withClient(input.clusterId, async (client) => {
      const s = await this.#read(client, signal);
      // Only without a Deployment: then nothing will ever release them (held-pods.ts).
      const held = s.installed ? undefined : await this.#held(client, signal);
      return this.#view(input.clusterId, source, s, held);
    });
  }

  /** Installs or upgrades the meter; answers the status afterwards. */
  async install(input: MeterInstallInput, signal?: AbortSignal): Promise<MeterStatusView> {
    const source = this.#owned(input.clusterId, 'install');
    const options = input.image ? { image: input.image } : {};
    return this.#o.withClient(input.clusterId, async (client) => {
      // An imported cluster may not have nodeless-system yet.
      for (const object of [systemNamespace(), ...meterWorkloadObjects(options)]) {
        try {
          await client.apply(object, signal ? { signal } : {});
        } catch (error) {
          if (error instanceof UnknownResourceError) {
            throw new TRPCError({
              code: 'PRECONDITION_FAILED',
              message:
                `This cluster does not serve ${object.kind} (${object.apiVersion}), which the meter's ` +
                'finalizer needs so that pods created and deleted while the meter is down are still ' +
                'billed. MutatingAdmissionPolicy is GA (on by default) from Kubernetes 1.36; upgrade the ' +
                'cluster, or on 1.34–1.35 enable the MutatingAdmissionPolicy feature gate and ' +
                'admissionregistration.k8s.io/v1 in the API server.',
              cause: error,
            });
          }
          throw error;
        }
      }
      return this.#view(input.clusterId, source, await this.#read(client, signal));
    });
  }

  async uninstall(input: MeterUninstallInput, signal?: AbortSignal): Promise<MeterUninstallResult> {
    this.#owned(input.clusterId, 'uninstall');
    return this.#o.withClient(input.clusterId, (client) =>
      uninstallMeter(client, {
        deleteLedger: input.deleteLedger === true,
        ...(signal ? { signal } : {}),
      }),
    );
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  #read(client: KubeClient, signal?: AbortSignal): Promise<MeterStatus> {
    return meterStatus(client, { now: this.#now(), ...(signal ? { signal } : {}) });
  }

  #held(client: KubeClient, signal?: AbortSignal): Promise<MeterHeldPods> {
    const size = this.#o.heldPodsPageSize;
    return countHeldPods(client, {
      ...(signal ? { signal } : {}),
      ...(size ? { pageSize: size } : {}),
    });
  }

  /** The source, or 409 for clusters whose baseline owns the meter. */
  #owned(clusterId: string, verb: string): ClusterSource {
    const source = this.#o.source(clusterId);
    if (!installable(source)) {
      throw new TRPCError({
        code: 'CONFLICT',
        message:
          `The meter of a cluster Nodeless installed is part of its baseline: the install steps ` +
          `install and upgrade it, so it cannot be ${verb}ed from here. Re-run the cluster's install ` +
          `to repair it.`,
      });
    }
    return source;
  }

  #view(
    clusterId: string,
    source: ClusterSource,
    s: MeterStatus,
    held?: MeterHeldPods,
  ): MeterStatusView {
    const version = s.version ?? METER_VERSION;
    const archive = this.#o.imageArchive?.();
    const withArchive = archive ? { archive } : {};
    const podsExist =
      s.replicas.desired > 0 && (s.replicas.ready > 0 || s.imageProblems.length > 0);
    const imageAvailable = s.imageProblems.length > 0 ? 'missing' : podsExist ? 'yes' : 'unknown';
    let remedy: string | undefined;
    if (s.imageProblems.length > 0) {
      remedy = meterImageRemedy({ image: s.image ?? meterImage(version), version, ...withArchive });
    } else if (!s.installed && installable(source)) {
      remedy = `The meter runs in the cluster from the image ${meterImage(METER_VERSION)}, which the nodes need first. ${meterImageLoadSteps({ version: METER_VERSION, ...withArchive })}`;
    } else if (!s.installed) {
      remedy = "Re-run the cluster's install: its baseline installs the meter.";
    } else if (s.state !== 'running') {
      remedy =
        'No meter holds its Lease, so pods are not being recorded; the meter turns its finalizer on ' +
        'when it first leads. Check its pods: kubectl -n nodeless-system get pods -l ' +
        'app.kubernetes.io/name=nodeless-meter; kubectl -n nodeless-system logs deploy/nodeless-meter.';
    } else if (!s.finalizerEnabled) {
      remedy =
        'The meter runs but its finalizer is not on yet: the leader creates ConfigMap ' +
        'nodeless-system/nodeless-meter when it starts leading. If it stays off, its log says why: ' +
        'kubectl -n nodeless-system logs deploy/nodeless-meter | grep finalizer-switch.';
    }
    return {
      clusterId,
      source,
      state: s.state,
      installed: s.installed,
      finalizerEnabled: s.finalizerEnabled,
      objects: s.objects,
      ...(s.version ? { version: s.version } : {}),
      ...(s.image ? { image: s.image } : {}),
      shippedVersion: METER_VERSION,
      replicas: s.replicas,
      ...(s.lease
        ? {
            lease: {
              ...(s.lease.holder ? { holder: s.lease.holder } : {}),
              ...(s.lease.renewTime ? { renewedAt: s.lease.renewTime } : {}),
              ...(s.lease.durationSeconds !== undefined
                ? { durationSeconds: s.lease.durationSeconds }
                : {}),
            },
          }
        : {}),
      imageAvailable,
      imageProblems: s.imageProblems,
      installable: installable(source),
      ...(remedy ? { remedy } : {}),
      ...(held ? { heldPods: withRelease(held, source) } : {}),
    };
  }
}

/** The held pods with how to release them, when there are any. */
function withRelease(held: MeterHeldPods, source: ClusterSource): MeterHeldPods {
  if (held.withFinalizer === 0) return held;
  const remedy = installable(source)
    ? "Release them with Release held pods (the meter's uninstall: it removes what is left of " +
      'the meter and strips the finalizer from every pod; their usage since the meter went is ' +
      'not recorded), or install the meter again: once it leads it records them and removes ' +
      'the finalizer itself.'
    : "Re-run the cluster's install: the meter its baseline restores records them and removes " +
      'the finalizer itself.';
  return { ...held, remedy };
}
