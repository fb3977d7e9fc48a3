/**
 * Internal errors (HTTP 500) never quote internal text to the caller: a stack-overflow message,
 * a temp path or an excerpt of a local file says nothing useful to the person at the window
 * and may say too much to whoever sent the request. The response carries a generic sentence
 * and a short correlation id; the backend log carries the same id with the detail (redacted
 * by the logger like every line).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log/logger.ts';

const ids = new WeakMap<object, string>();
const reported = new WeakSet<object>();

/** The id of one failure, the same each time it is asked for (log line and response). */
export function correlationIdOf(error: object): string {
  let id = ids.get(error);
  if (id === undefined) {
    id = randomBytes(6).toString('hex');
    ids.set(error, id);
  }
  return id;
}

/** What a 500 says, in full. */
export function internalErrorMessage(id: string): string {
  return `Something went wrong inside Nodeless (reference ${id}). The backend log has the details under that reference.`;
}

/** `Name: message` of what was thrown, for the log only. */
export function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/** Marks `error` as logged, so the transport's onError does not log it a second time. */
export function markReported(error: object): void {
  reported.add(error);
}

/** Logs an internal error once, with its correlation id (for failures outside procedures). */
export function reportInternalError(
  logger: Logger,
  error: { code: string } & object,
  fields: Record<string, unknown>,
): void {
  if (error.code !== 'INTERNAL_SERVER_ERROR' || reported.has(error)) return;
  reported.add(error);
  try {
    logger.log('error', 'api.internal_error', {
      ...fields,
      correlationId: correlationIdOf(error),
      error: describeCause(error),
    });
  } catch {
    // Never let logging turn into a second failure.
  }
}
