/**
 * The pod logs contract (issue "Pod operations", point 1): what the renderer's log viewer asks
 * for and what the backend's `pods.logs` subscription sends. Lines are batched by the backend
 * (about every 100 ms) so a chatty container costs one message per batch, not one per line.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/
 */

/** The workload kinds whose pods can be followed together. */
export type LogsWorkloadKind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob';

export interface LogsInput {
  clusterId: string;
  namespace: string;
  /** One pod… */
  pod?: string;
  /** …or every pod of a workload, merged and labelled by pod; follows new pods after a redeploy. */
  workload?: { kind: LogsWorkloadKind; name: string };
  /** Default: the pod's only container, or its `kubectl.kubernetes.io/default-container`, or its first. */
  container?: string;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
  /** 100 | 1000 | 10000 | undefined = all. */
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  /** Default true. */
  follow?: boolean;
  /** Bytes read from each container's log at most (the API's `limitBytes`), e.g. for a bounded download. */
  limitBytes?: number;
}

export interface LogLine {
  pod: string;
  container: string;
  /** RFC3339Nano when timestamps */
  time?: string;
  text: string;
}

export type LogsMessage =
  /** Batched by the backend (~100 ms). */
  | { type: 'lines'; lines: LogLine[] }
  /** The container has not started: "waiting to start: ContainerCreating"; the stream starts by itself once it runs. */
  | { type: 'waiting'; pod: string; container: string; reason: string }
  /** Workload mode: a pod of the workload appeared (its lines follow) … */
  | { type: 'pod-added'; pod: string }
  /** … or went. */
  | { type: 'pod-gone'; pod: string }
  /** Stream ended (pod deleted, container exited, not following). */
  | { type: 'ended'; reason: string }
  /** RBAC refusal etc. in words. */
  | { type: 'error'; message: string };
