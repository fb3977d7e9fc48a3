/**
 * The Workloads section's row: one shape for Deployments, StatefulSets, Jobs, CronJobs and bare
 * pods (a pod no controller manages), so the list groups and sorts them together. Each kind's
 * projection is its own small module beside this one. Rows are slim — counts, names and words,
 * no spec or status blobs — so a watch cache of many workloads stays small.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/
 */
import type { PoolFullNotice } from './pool-full.ts';
import type { RolloutProgress } from './rollout-status.ts';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob' | 'Pod';

/**
 * The status as one word the UI can colour: `available` (all replicas ready), `progressing` (a
 * rollout or scale-up runs), `failed` (a condition says it cannot go on — the row's `reason`
 * names it), `paused`, `scaled-to-zero`, Job `running`/`complete`, CronJob `scheduled`/
 * `suspended`, bare pod `pending`/`running`/`complete`/`failed`.
 */
export type WorkloadState =
  | 'available'
  | 'progressing'
  | 'failed'
  | 'paused'
  | 'scaled-to-zero'
  | 'running'
  | 'pending'
  | 'complete'
  | 'scheduled'
  | 'suspended';

export interface WorkloadRow {
  uid: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** ms since the epoch (the AGE column's source). */
  createdAt?: number;
  /**
   * READY over desired: replicas (Deployment, StatefulSet), succeeded over completions (Job),
   * ready pod (bare pod, of 1), active jobs (CronJob: `desired` is 0, nothing is desired).
   */
  ready: number;
  desired: number;
  /** Billable size of its pods (`2x4`), see `templateSize`; absent: not sized. */
  size?: string;
  /** The RuntimeClass its pods run under (the sandbox). */
  sandbox?: string;
  images: string[];
  state: WorkloadState;
  /** The status in words: `Available`, `Progressing: 1 of 3 updated`, `Failed: BackoffLimitExceeded`. */
  status: string;
  /** The machine-readable reason of a failure, from its condition (`ProgressDeadlineExceeded`). */
  reason?: string;
  /** Worth a look (failed, unavailable, crash-looping, pods waiting for room). */
  warning: boolean;
  /** Deployment `spec.paused`. */
  paused: boolean;
  /**
   * How far it is (`current` of `max`, kubectl's sentence, `done`): always for Deployments and
   * StatefulSets (their rollout, {@link RolloutProgress}), a Job's completions while it runs.
   */
  progress?: RolloutProgress;
  /**
   * Changes exactly when a new revision is made (the rollout history then has a new entry): a
   * Deployment's revision number (`deployment.kubernetes.io/revision`), a StatefulSet's update
   * revision (the name of its ControllerRevision).
   */
  revision?: string;
  /** CronJob: when it last created a Job (ms). */
  lastScheduleAt?: number;
  /** Its pods wait because the pool is full (added by the workspace from the pod caches). */
  poolFull?: PoolFullNotice;
}

/** The fields every projection shares, from an object's metadata and its pod template. */
export interface WorkloadIdentity {
  uid: string;
  namespace: string;
  name: string;
  createdAt?: number;
}
