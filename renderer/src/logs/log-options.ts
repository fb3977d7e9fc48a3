/**
 * The viewer's choices and how they become a `pods.logs` request: which stream (pod or
 * workload, container, previous instance, tail, since) restarts it; how lines look
 * (timestamps, wrap) does not, so timestamps are always asked for and shown or hidden here.
 *
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/
 */
import type { LogsWorkloadKind, PodLogsInput } from '@nodeless/backend/api';

/** Whose logs: one pod (its containers known from its spec) or every pod of a workload. */
export type LogTarget =
  | { kind: 'pod'; namespace: string; pod: string; containers: readonly string[] }
  | {
      kind: 'workload';
      namespace: string;
      workload: { kind: LogsWorkloadKind; name: string };
      containers: readonly string[];
    };

/** What restarts the stream when changed. */
export interface StreamChoice {
  /** undefined: the backend's default container (kubectl's rule). */
  container: string | undefined;
  previous: boolean;
  /** undefined: all. */
  tailLines: number | undefined;
  /** undefined: from the start of what is kept. */
  sinceSeconds: number | undefined;
}

export const TAIL_CHOICES: readonly { label: string; value: number | undefined }[] = [
  { label: 'Last 100 lines', value: 100 },
  { label: 'Last 1,000 lines', value: 1000 },
  { label: 'Last 10,000 lines', value: 10_000 },
  { label: 'All lines', value: undefined },
];

export const SINCE_CHOICES: readonly { label: string; value: number | undefined }[] = [
  { label: 'Any time', value: undefined },
  { label: 'Last 5 minutes', value: 300 },
  { label: 'Last 15 minutes', value: 900 },
  { label: 'Last hour', value: 3600 },
  { label: 'Last 6 hours', value: 21_600 },
  { label: 'Last 24 hours', value: 86_400 },
];

export const DEFAULT_CHOICE: StreamChoice = {
  container: undefined,
  previous: false,
  tailLines: 1000,
  sinceSeconds: undefined,
};

/** The request for a target and choice (timestamps always on: toggling them is local). */
export function logsInput(clusterId: string, t: LogTarget, c: StreamChoice): PodLogsInput {
  const input: PodLogsInput = {
    clusterId,
    namespace: t.namespace,
    timestamps: true,
    follow: true,
  };
  if (t.kind === 'pod') input.pod = t.pod;
  else input.workload = { kind: t.workload.kind, name: t.workload.name };
  if (c.container !== undefined) input.container = c.container;
  if (c.previous) input.previous = true;
  if (c.tailLines !== undefined) input.tailLines = c.tailLines;
  if (c.sinceSeconds !== undefined) input.sinceSeconds = c.sinceSeconds;
  return input;
}

/** A stable key of what the stream depends on (the effect that opens it keys on this). */
export function streamKey(clusterId: string, t: LogTarget, c: StreamChoice): string {
  return JSON.stringify(logsInput(clusterId, t, c));
}

/** Number of pod colours in logs.css (`.pod-c0` … `.pod-c7`). */
export const POD_COLOURS = 8;

/** The timestamp as shown: RFC3339Nano cut to milliseconds, `T` and `Z` kept (it is UTC). */
export function shortTime(time: string | undefined): string {
  if (!time) return '';
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,3})?\d*(Z|[+-]\d\d:\d\d)$/.exec(time);
  return m ? `${m[1]}${(m[2] ?? '.').padEnd(4, '0')}${m[3]}` : time;
}

/**
 * The end of a stream in words. A previous instance's log is complete, not followed: its end
 * is just the end, whatever the backend's reason says.
 */
export function endedText(reason: string, previous: boolean, empty: boolean): string {
  if (previous)
    return empty
      ? 'The previous container wrote no lines.'
      : 'End of the previous container’s log.';
  return `The stream ended: ${reason.replace(/\.$/, '')}${empty ? ' (no lines).' : '.'}`;
}
