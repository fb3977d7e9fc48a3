/**
 * Where a followed log stream stood, so a stream the server closed while the container still
 * runs can be reopened without losing or repeating lines. The API server or the kubelet may end
 * a follow stream on their own (kubelet `streamingConnectionIdleTimeout`, an API server restart,
 * a failover to another server); kubectl then simply exits, but a log pane should go on.
 *
 * Reopening asks for `sinceTime` (whole seconds: the parameter is a metav1.Time, RFC 3339 without
 * fractions) and drops what was already shown: lines older than the last one seen, and lines of
 * that same timestamp already seen. Timestamps are the kubelet's RFC3339Nano (trailing zeros
 * trimmed), so they are compared as numbers, never as strings ("…:05Z" sorts after "…:05.1Z"
 * as text).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#read-log-of-the-specified-pod
 * @see https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/ (streamingConnectionIdleTimeout)
 */
import { rfc3339 } from '@nodeless/common';

/** Lines remembered at the newest timestamp (a burst within one nanosecond is rare). */
const MAX_SAME_STAMP = 1_000;

/** [seconds since the epoch, nanoseconds] of an RFC 3339 timestamp, or undefined. */
export function stampOf(time: string): [number, number] | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m?.[1] || !m[3]) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(ms)) return undefined;
  return [ms / 1000, Number((m[2] ?? '').padEnd(9, '0'))];
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

export class LogResume {
  #last: [number, number] | undefined;
  #seen = new Set<string>();
  #resuming = false;

  /** The `sinceTime` to reopen from, or undefined when nothing with a timestamp was seen. */
  sinceTime(): string | undefined {
    if (!this.#last) return undefined;
    return rfc3339(this.#last[0]);
  }

  /** A reopened stream starts: its first lines may repeat what was shown. */
  reopen(): void {
    this.#resuming = this.#last !== undefined;
  }

  /**
   * Whether to show a line of the stream (and remember it). Lines without a timestamp are
   * always shown (nothing to compare with).
   */
  accept(time: string | undefined, text: string): boolean {
    const stamp = time === undefined ? undefined : stampOf(time);
    if (!stamp) return true;
    const order = this.#last ? compare(stamp, this.#last) : 1;
    if (this.#resuming) {
      if (order < 0) return false;
      if (order === 0 && this.#seen.has(text)) return false;
      if (order > 0) this.#resuming = false;
    }
    if (order > 0) {
      this.#last = stamp;
      this.#seen = new Set();
    }
    if (order >= 0 && this.#seen.size < MAX_SAME_STAMP) this.#seen.add(text);
    return true;
  }
}
