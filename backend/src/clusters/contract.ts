/**
 * The cluster workspace's API contract: what the `workspace.*` procedures take and return and
 * what their subscriptions push. The renderer imports these types (type-only) through
 * `@nodeless/backend/api`; the backend's connections, watch caches and feeds produce them.
 *
 * Every cluster the app knows is used the same way — installed by Nodeless, imported from a
 * kubeconfig, or the demo — so nothing here depends on where a cluster came from except the
 * label a view shows.
 *
 * Quantities are integers (millicores, bytes), never floats.
 *
 * @see ../../../../shared/DESIGN.md §1 (one generic keyed feed), §7 (sections)
 */
import type {
  EventRow,
  HpaFeedRow,
  NodeRow,
  PodRow,
  PoolFullNotice,
  WorkloadRow,
} from '@nodeless/cluster-runtime';

export type {
  HpaFeedRow,
  HpaRow,
  PoolFullNotice,
  Shortage,
  WorkloadKind,
  WorkloadRow,
  WorkloadState,
} from '@nodeless/cluster-runtime';

/** Where a cluster came from. Only the label differs (common's DEMO_LABEL for the demo). */
export type ClusterSource = 'installed' | 'imported' | 'demo';

/** A cluster the workspace can open. */
export interface WorkspaceCluster {
  id: string;
  name: string;
  source: ClusterSource;
  /** Every API server address known for the cluster (several for HA), in failover order. */
  servers: string[];
  /** For imported clusters: the kubeconfig context it was imported from. */
  context?: string;
}

/**
 * `workspace.clusterEvents`: the whole list of {@link WorkspaceCluster}s, first when a window
 * subscribes, then again whenever it changes (an import, a removal — in any window or through
 * the API —, the demo registered or dropped, an install that made a cluster connectable, a
 * rename). The list is short, so it is sent whole: a window replaces what it holds.
 */
export interface WorkspaceClustersEvent {
  type: 'clusters';
  clusters: WorkspaceCluster[];
}

/** Why a connection cannot serve, in words a user can act on. */
export type ConnectionProblemCode =
  | 'unreachable' // no server answered (connection refused, timeout, DNS)
  | 'tls' // the server's certificate does not match the kubeconfig's CA
  | 'unauthorized' // 401: credentials wrong or expired
  | 'forbidden' // 403: RBAC refused; `message` names the verb and resource
  | 'plugin-missing' // an exec credential plugin is not on the user's PATH
  | 'plugin-failed' // an exec credential plugin ran and failed
  | 'malformed' // the stored kubeconfig cannot be read
  | 'removed'; // the cluster was removed from Nodeless: the subscription ends after this status

export interface ConnectionProblem {
  code: ConnectionProblemCode;
  /** What happened, e.g. `403: cannot list pods in the namespace "shop" (user "dev")`. */
  message: string;
  /** What to do about it. */
  remedy: string;
}

/**
 * A connection's state. `stale`: it served before and lost its server; the views keep the last
 * known data, marked stale, and recover by themselves when a server answers again.
 */
export interface ConnectionStatus {
  state: 'connecting' | 'live' | 'stale' | 'failed';
  /** The server URL in use (or last in use). */
  server?: string;
  problem?: ConnectionProblem;
  /** ms since the epoch when the state last changed. */
  since: number;
}

/**
 * One message of a keyed feed. A subscriber first receives a snapshot (`reset`, `rows` chunks,
 * `synced`), then coalesced changes (`rows` upserts and `deleted`). After the backend's watch
 * relists (410, reconnect) or when a slow subscriber fell too far behind, a new snapshot starts
 * with `reset`: the subscriber replaces what it holds.
 */
export type FeedMessage<R extends { uid: string }> =
  | { type: 'reset'; total: number }
  | { type: 'rows'; rows: R[] }
  | { type: 'deleted'; uids: string[] }
  | { type: 'synced' }
  | { type: 'status'; status: ConnectionStatus };

/**
 * A pod row of the workspace: kubectl's columns ({@link PodRow}) plus what the pod takes from
 * its machine (its requests, pod-level where set, plus the sandbox overhead) — the capacity
 * pool's input, also shown in the pod's details.
 */
export interface WorkspacePodRow extends PodRow {
  request?: PoolAmount;
  /** Container images, kept for bare pods only (the Workloads row shows them). */
  images?: string[];
}

/**
 * The kinds a window can subscribe to (more arrive with later issues). `workloads`: one row per
 * Deployment, StatefulSet, Job (not owned by a CronJob), CronJob and bare pod, with its size,
 * sandbox, status in words, progress and pool-full notice ({@link WorkloadRow}); `hpas`: the
 * HorizontalPodAutoscalers (kubectl's columns, plus the editor's model, metrics against their
 * targets and conditions in words: {@link HpaFeedRow}).
 */
export interface FeedRows {
  pods: WorkspacePodRow;
  nodes: NodeRow;
  events: EventRow;
  workloads: WorkloadRow;
  hpas: HpaFeedRow;
}
export type FeedKind = keyof FeedRows;

/** vCPU and memory of the capacity pool, as integers. */
export interface PoolAmount {
  cpuMilli: number;
  memoryBytes: number;
}

/**
 * The capacity pool: what the Ready, schedulable machines offer to pods (allocatable), what
 * pod sizes plus sandbox overhead take, and what is free.
 */
export interface CapacityPool {
  total: PoolAmount;
  taken: PoolAmount;
  free: PoolAmount;
  /** Per size of the table (label like `2x4`): how many more pods of that size fit. */
  fits: { size: string; count: number }[];
}

export type OverviewWarningKind =
  'pool-full' | 'pending-pods' | 'failed-pods' | 'machines-not-ready' | 'metrics-missing';

export interface OverviewWarning {
  kind: OverviewWarningKind;
  message: string;
  /** How many objects it concerns, where that applies. */
  count?: number;
  /** `pool-full`: the figures behind the sentence (pods by size, what is short, free room). */
  poolFull?: PoolFullNotice;
}

/** The Overview section. Machines are shown as machines, never as "nodes". */
export interface Overview {
  status: ConnectionStatus;
  /** `gitVersion` of the API server, once reached. */
  version?: string;
  machines: { total: number; ready: number };
  pool: CapacityPool;
  pods: { total: number; running: number; pending: number; failed: number; succeeded: number };
  /** Usage metrics (metrics.k8s.io) are there; when false, usage is said to be missing, never 0. */
  metricsAvailable: boolean;
  warnings: OverviewWarning[];
}

/** One pod in full for its details pane: the object without managedFields, and its events. */
export interface PodDetail {
  row: WorkspacePodRow;
  /** The pod as the API returns it, minus `metadata.managedFields`. */
  object: Record<string, unknown>;
  /** Events of this pod (both APIs), newest first, joined through the involved-object uid index. */
  events: EventRow[];
}

/** A context found in a kubeconfig to import. */
export interface KubeconfigContextChoice {
  name: string;
  cluster: string;
  server: string;
  user: string;
  /** How the user authenticates: certificate, token, exec plugin (its command), basic, none. */
  auth: 'certificate' | 'token' | 'exec' | 'basic' | 'none';
  /** For `exec`: the plugin's command, so a missing one can be named before import. */
  execCommand?: string;
  /** True for the kubeconfig's `current-context`. */
  current: boolean;
  /** Why this context cannot be imported (no cluster, no user, no valid server URL). */
  problem?: string;
}
