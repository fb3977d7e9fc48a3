/**
 * What `meter.*` answers (the renderer imports these, type-only, through `@nodeless/backend/api`).
 * Times are RFC 3339 text; counts are integers.
 */
import type { ClusterSource } from '../clusters/contract.ts';

/** running: a replica renewed Lease `nodeless-meter` within its duration; stale: not; absent: no holder. */
export type MeterRunState = 'running' | 'stale' | 'absent';

export interface MeterStatusView {
  clusterId: string;
  source: ClusterSource;
  state: MeterRunState;
  /** The Deployment exists. */
  installed: boolean;
  /** New tenant pods get the `nodeless.dev/metering` finalizer (the param ConfigMap exists). */
  finalizerEnabled: boolean;
  /** Each of the meter's objects and whether the cluster has it. */
  objects: { object: string; present: boolean }[];
  /** The installed version and image (from the Deployment), and the version this app ships. */
  version?: string;
  image?: string;
  shippedVersion: string;
  replicas: { desired: number; ready: number; available: number };
  lease?: { holder?: string; renewedAt?: string; durationSeconds?: number };
  /**
   * Whether the nodes have the image: `missing` when a meter pod waits in ErrImageNeverPull,
   * ErrImagePull, ImagePullBackOff or InvalidImageName (`problems` names them); `unknown` when no
   * meter pod exists to tell.
   */
  imageAvailable: 'yes' | 'missing' | 'unknown';
  imageProblems: { pod: string; reason: string; message?: string }[];
  /** Whether `meter.install` / `meter.uninstall` may be used (imported clusters and the demo). */
  installable: boolean;
  /** What to do, in words (how to load the image, or why the UI cannot install here). */
  remedy?: string;
  /**
   * Pods still carrying the metering finalizer though no meter Deployment exists to remove it;
   * present only then (held-pods.ts says why not on a Deployment with no available replica).
   */
  heldPods?: MeterHeldPods;
}

/**
 * Pods the metering finalizer holds with no meter to release them.
 *
 * @see ./held-pods.ts
 */
export interface MeterHeldPods {
  /** Pods carrying `nodeless.dev/metering`. */
  withFinalizer: number;
  /** Of those, pods being deleted: Terminating until the finalizer goes. */
  terminating: number;
  /** False when the bounded scan stopped before the list's end: both counts are lower bounds. */
  complete: boolean;
  /** How to release them: uninstall (strips the finalizer) or a meter again (records them). */
  remedy?: string;
}

export interface MeterUninstallResult {
  deleted: string[];
  finalizersRemoved: number;
  ledgerObjects: number;
  /** The meter's pods were gone and its Lease lapsed before its finalizer switch was deleted. */
  meterStopped: boolean;
}
