/**
 * How the watch cache reads the errors it meets. 410 Gone comes three ways: a LIST whose
 * `continue` token expired (KubeApiError 410), a WATCH refused before it starts (client-node
 * 1.4.0's `Watch` rejects a non-200 answer with a plain Error carrying `statusCode`), and —
 * most often — a watch that starts (200) and then sends an `ERROR` event whose object is a
 * Status with `code: 410` (`Expired`: the resourceVersion was compacted away).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses
 * @see https://github.com/kubernetes-client/javascript/blob/release-1.x/src/watch.ts
 */
import { KubeApiError } from '../kube/errors.ts';

/** The HTTP code of an error from the client or the watch, when it has one. */
export function errorCode(error: unknown): number | undefined {
  if (error instanceof KubeApiError) return error.code;
  if (typeof error === 'object' && error !== null) {
    const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
    if (typeof statusCode === 'number') return statusCode;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** True when the resourceVersion (or continue token) is too old: relist. */
export const isGone = (error: unknown): boolean => errorCode(error) === 410;

/** A watch `ERROR` event's Status, as an Error the owner can classify (code, reason). */
export class WatchStatusError extends Error {
  override readonly name = 'WatchStatusError';
  constructor(
    readonly code: number | undefined,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export function watchStatusError(status: unknown): WatchStatusError {
  const s = (typeof status === 'object' && status !== null ? status : {}) as {
    code?: unknown;
    reason?: unknown;
    message?: unknown;
  };
  const code = typeof s.code === 'number' ? s.code : undefined;
  const reason = typeof s.reason === 'string' ? s.reason : '';
  const message = typeof s.message === 'string' ? s.message : 'watch error event';
  return new WatchStatusError(code, reason, `watch: ${code ?? '?'} ${reason}: ${message}`);
}

/** The watch stream went quiet longer than the liveness bound (no event, no bookmark). */
export class WatchStalledError extends Error {
  override readonly name = 'WatchStalledError';
}
