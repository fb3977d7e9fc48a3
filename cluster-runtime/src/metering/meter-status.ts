/**
 * What can honestly be said about the meter on a cluster: which of its objects exist, how many
 * replicas the Deployment has ready, and — the only proof that a meter *runs* — whether some
 * replica holds Lease `nodeless-meter` and renewed it within its duration. A Ready pod is not that
 * proof (on KWOK or any simulated kubelet a pod is Ready without a process), a renewed Lease is.
 * When the meter's pods cannot start because their image is not on the node (ErrImageNeverPull,
 * ErrImagePull, ImagePullBackOff, InvalidImageName) the status says so, with the remedy.
 *
 * @see https://kubernetes.io/docs/concepts/architecture/leases/
 * @see https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff
 */
import type { V1ConfigMap, V1Deployment, V1Lease, V1Pod } from '@kubernetes/client-node';
import { SYSTEM_NAMESPACE } from '../baseline/objects.ts';
import { RESOURCES, type KubeClient } from '../client.ts';
import { timeOf } from '../kinds/kind.ts';
import { meterFencePolicy, meteringPolicy } from './meter-admission.ts';
import { METER_DEPLOYMENT_NAME, METER_SELECTOR, meterImageArchive } from './meter-install.ts';
import { METER_LEASE_NAME, METER_PARAM_NAME } from './meter-names.ts';
import { meterRbacList } from './meter-rbac.ts';

/** running: the Lease was renewed within its duration; stale: it was not; absent: no holder. */
export type MeterState = 'running' | 'stale' | 'absent';

/** Waiting reasons that mean "the image is not on this node and cannot be pulled". */
export const IMAGE_PROBLEM_REASONS = [
  'ErrImageNeverPull',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
] as const;

export interface MeterObjectPresence {
  /** `Deployment nodeless-system/nodeless-meter` */
  object: string;
  present: boolean;
}

export interface MeterStatus {
  state: MeterState;
  /** The Deployment exists. */
  installed: boolean;
  /** The param ConfigMap exists: new tenant pods get the metering finalizer. */
  finalizerEnabled: boolean;
  objects: MeterObjectPresence[];
  /** The Deployment's `app.kubernetes.io/version` and container image, when it exists. */
  version?: string;
  image?: string;
  replicas: { desired: number; ready: number; available: number };
  lease?: { holder?: string; renewTime?: string; durationSeconds?: number };
  /** Pods that cannot get their image, with the kubelet's reason. */
  imageProblems: { pod: string; reason: string; message?: string }[];
}

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };

/** The state a Lease says, at `now` (ms). */
export function leaseState(lease: V1Lease | undefined, now: number): MeterState {
  const holder = lease?.spec?.holderIdentity;
  if (!holder) return 'absent';
  const renewed = timeOf(lease?.spec?.renewTime as Date | string | undefined);
  const duration = (lease?.spec?.leaseDurationSeconds ?? 15) * 1000;
  return renewed !== undefined && now - renewed <= duration ? 'running' : 'stale';
}

/** Image problems of the meter's pods (waiting reasons of any container). */
export function imageProblems(pods: readonly V1Pod[]): MeterStatus['imageProblems'] {
  const out: MeterStatus['imageProblems'] = [];
  for (const pod of pods) {
    for (const c of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      const w = c.state?.waiting;
      if (w?.reason && (IMAGE_PROBLEM_REASONS as readonly string[]).includes(w.reason)) {
        out.push({
          pod: pod.metadata?.name ?? '?',
          reason: w.reason,
          ...(w.message ? { message: w.message } : {}),
        });
      }
    }
  }
  return out;
}

const describe = (o: { kind?: string; metadata?: { name?: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Reads the meter's objects, Deployment, pods and Lease. */
export async function meterStatus(
  client: KubeClient,
  options: { now?: number; signal?: AbortSignal } = {},
): Promise<MeterStatus> {
  const { signal } = options;
  const typeOf = (o: { apiVersion?: string; kind?: string }) => ({
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
  });
  const param = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: METER_PARAM_NAME, namespace: SYSTEM_NAMESPACE },
  };
  const deploymentRef = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: METER_DEPLOYMENT_NAME, namespace: SYSTEM_NAMESPACE },
  };
  const objects: MeterObjectPresence[] = [];
  for (const o of [
    ...meterRbacList(),
    ...meterFencePolicy(),
    deploymentRef,
    ...meteringPolicy(),
    param,
  ]) {
    const live = await client.get(typeOf(o), o.metadata?.name ?? '', o.metadata?.namespace, signal);
    objects.push({ object: describe(o), present: live !== undefined });
  }
  const deployment = await client.get<V1Deployment>(
    RESOURCES.deployments,
    METER_DEPLOYMENT_NAME,
    SYSTEM_NAMESPACE,
    signal,
  );
  const lease = await client.get<V1Lease>(LEASE, METER_LEASE_NAME, SYSTEM_NAMESPACE, signal);
  const pods = deployment
    ? (
        await client.list<V1Pod>(RESOURCES.pods, {
          namespace: SYSTEM_NAMESPACE,
          labelSelector: Object.entries(METER_SELECTOR)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
          ...(signal ? { signal } : {}),
        })
      ).items
    : [];
  const image = deployment?.spec?.template?.spec?.containers?.[0]?.image;
  const version = deployment?.metadata?.labels?.['app.kubernetes.io/version'];
  const paramLive = await client.get<V1ConfigMap>(
    RESOURCES.configMaps,
    METER_PARAM_NAME,
    SYSTEM_NAMESPACE,
    signal,
  );
  return {
    state: leaseState(lease, options.now ?? Date.now()),
    installed: deployment !== undefined,
    finalizerEnabled: paramLive !== undefined,
    objects,
    ...(version ? { version } : {}),
    ...(image ? { image } : {}),
    replicas: {
      desired: deployment?.spec?.replicas ?? 0,
      ready: deployment?.status?.readyReplicas ?? 0,
      available: deployment?.status?.availableReplicas ?? 0,
    },
    ...(lease
      ? {
          lease: {
            ...(lease.spec?.holderIdentity ? { holder: lease.spec.holderIdentity } : {}),
            ...(lease.spec?.renewTime ? { renewTime: String(lease.spec.renewTime) } : {}),
            ...(lease.spec?.leaseDurationSeconds !== undefined
              ? { durationSeconds: lease.spec.leaseDurationSeconds }
              : {}),
          },
        }
      : {}),
    imageProblems: imageProblems(pods),
  };
}

/**
 * How to get the image onto the nodes: import the archive the app ships into each node's
 * containerd, or push it to a registry and install with that image. `archive` is the path of
 * the archive (default: its file name).
 *
 * @see https://docs.k3s.io/installation/airgap#manually-deploy-images-method
 * @see https://github.com/containers/skopeo/blob/main/docs/skopeo-copy.1.md (oci-archive: transport)
 */
export function meterImageLoadSteps(options: { archive?: string; version: string }): string {
  const archive = options.archive ?? meterImageArchive(options.version);
  return (
    `Load it from the archive the app ships (${archive}): copy it to each node and run ` +
    `\`sudo k3s ctr images import ${archive}\` (or put it in /var/lib/rancher/k3s/agent/images/ ` +
    `and restart k3s); or push it to a registry the cluster can pull from — ` +
    `\`skopeo copy oci-archive:${archive} docker://<registry>/nodeless/meter:${options.version}\` — ` +
    `and install with the image <registry>/nodeless/meter:${options.version}.`
  );
}

/** The remedy when the meter's pods cannot get their image. */
export function meterImageRemedy(options: {
  image: string;
  archive?: string;
  version: string;
}): string {
  return `The meter's image ${options.image} is not on the nodes. ${meterImageLoadSteps(options)}`;
}
