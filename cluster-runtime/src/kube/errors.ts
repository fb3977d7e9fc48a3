/**
 * Errors of the Kubernetes client. A non-2xx answer becomes a {@link KubeApiError}: it *is* a
 * client-node `ApiException` (code, body, headers — so code written against client-node's own
 * idiom keeps working) with the API server's `Status` reason and a readable message
 * (`PATCH /api/v1/nodes/n1: 409 Conflict: …`) instead of ApiException's dump of body and
 * headers.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 */
import { ApiException } from '@kubernetes/client-node';

export class KubeApiError extends ApiException<unknown> {
  constructor(
    code: number,
    /** The Status `reason` (`NotFound`, `Conflict`, `Forbidden`, …); empty when none. */
    readonly reason: string,
    message: string,
    readonly method: string,
    readonly path: string,
    body: unknown = undefined,
    headers: Record<string, string> = {},
  ) {
    super(code, message, body, headers);
    // ApiException's message embeds body and headers; ours says what failed and why.
    this.message = message;
    this.name = 'KubeApiError';
  }
}

/** The API server does not serve this kind (not a 404 of an object: `get` must not hide it). */
export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';
}

/** True for the API's 404 NotFound. */
export const isNotFound = (e: unknown): boolean => e instanceof KubeApiError && e.code === 404;

/** True for 409: AlreadyExists on create, Conflict on a failed precondition or SSA conflict. */
export const isConflict = (e: unknown): boolean => e instanceof KubeApiError && e.code === 409;

/** A KubeApiError from a response: the Status body's reason and message when there is one. */
export function statusError(
  code: number,
  text: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): KubeApiError {
  let reason = '';
  let message = text.trim();
  let body: unknown = text;
  try {
    const status = JSON.parse(text) as { reason?: unknown; message?: unknown };
    body = status;
    if (typeof status.reason === 'string') reason = status.reason;
    if (typeof status.message === 'string') message = status.message;
  } catch {
    // Not a Status object (a proxy's HTML page, say): keep the raw text.
  }
  return new KubeApiError(
    code,
    reason,
    `${method} ${path}: ${code}${reason ? ` ${reason}` : ''}: ${message || 'no message'}`,
    method,
    path,
    body,
    headers,
  );
}
