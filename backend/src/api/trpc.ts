/**
 * tRPC setup: the error shape (field errors on every 400) and the one base procedure all
 * routes use, which maps service errors to HTTP codes and logs each call (path, outcome,
 * duration, redacted input).
 *
 * @see https://trpc.io/docs/server/error-formatting
 * @see https://trpc.io/docs/server/middlewares
 * @see https://trpc.io/docs/server/subscriptions#sse
 */
import { isSshError } from '@nodeless/host-bootstrap';
import { BootstrapError } from '@nodeless/host-bootstrap/bootstrap';
import { KubeconfigTargetError, ReservedNamespaceError } from '@nodeless/cluster-runtime';
import { initTRPC, TRPCError } from '@trpc/server';
import { PreconditionError } from '../bootstrap/errors.ts';
import {
  ConfirmationRequiredError,
  InputError,
  NotFoundError,
  joinFieldErrors,
} from '../inventory/errors.ts';
import type { FieldErrors } from '../inventory/types.ts';
import { ConflictError } from '../onboarding/errors.ts';
import type { ApiContext } from './context.ts';
import { fieldErrorsFromIssues, hasIssues } from './field-errors.ts';
import {
  correlationIdOf,
  describeCause,
  internalErrorMessage,
  markReported,
} from './internal-errors.ts';

/** Field errors of a failed call, from schema issues or from a service {@link InputError}. */
function fieldErrorsOf(error: TRPCError): FieldErrors | null {
  if (error.code !== 'BAD_REQUEST') return null;
  if (hasIssues(error.cause)) return fieldErrorsFromIssues(error.cause.issues);
  if (error.cause instanceof InputError) return error.cause.fieldErrors;
  return null;
}

const t = initTRPC.context<ApiContext>().create({
  // Never send stack traces to the client: errors say what happened, not where.
  isDev: false,
  sse: {
    // Pings keep proxies and idle timers from closing a quiet inventory feed.
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 20_000 },
  },
  errorFormatter({ shape, error }) {
    const fieldErrors = fieldErrorsOf(error);
    // A 500 says only that it happened and under which reference the log has the detail.
    const correlationId =
      error.code === 'INTERNAL_SERVER_ERROR' ? correlationIdOf(error) : undefined;
    let message = shape.message;
    if (fieldErrors) message = joinFieldErrors(fieldErrors);
    else if (correlationId !== undefined) message = internalErrorMessage(correlationId);
    return {
      ...shape,
      message,
      data: {
        ...shape.data,
        ...(correlationId === undefined ? {} : { correlationId }),
        fieldErrors,
        // A 412 from bootstrap says each reason the install cannot start.
        ...(error.cause instanceof PreconditionError
          ? { blockers: [...error.cause.blockers] }
          : {}),
      },
    };
  },
});

/** A 400 naming `field`, as if the service had thrown an {@link InputError}. */
function fieldError(field: string, message: string): TRPCError {
  const cause = new InputError({ [field]: message });
  return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
}

/** Service errors → tRPC errors with the right HTTP status. */
function toTRPCError(cause: unknown): TRPCError | undefined {
  if (cause instanceof InputError) {
    return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  if (cause instanceof KubeconfigTargetError) {
    // Kubeconfig export: the target is an empty file (ask), or nothing we may write (400).
    if (cause.problem === 'needs-confirmation') {
      const message = `The chosen file ${cause.message}`;
      return new TRPCError({ code: 'PRECONDITION_FAILED', message, cause });
    }
    return fieldError('path', cause.message);
  }
  if (cause instanceof ReservedNamespaceError) return fieldError('scope.namespace', cause.message);
  if (cause instanceof NotFoundError) {
    return new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  }
  if (cause instanceof ConflictError) {
    return new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  }
  if (isSshError(cause)) {
    // The machine, not the request, failed (unreachable, auth, timeout): say what and what to do.
    return new TRPCError({
      code: cause.kind === 'timeout' ? 'GATEWAY_TIMEOUT' : 'BAD_GATEWAY',
      message: `${cause.message} ${cause.remedy}`,
      cause,
    });
  }
  if (cause instanceof BootstrapError) {
    // The plan does not fit these machines (e.g. no runsc in the bundle for gVisor).
    const remedy = cause.remedy ? ` ${cause.remedy}` : '';
    return new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `${cause.message}${remedy}`,
      cause,
    });
  }
  if (cause instanceof ConfirmationRequiredError || cause instanceof PreconditionError) {
    return new TRPCError({ code: 'PRECONDITION_FAILED', message: cause.message, cause });
  }
  return undefined;
}

/**
 * Logs each call once it is done. Logging runs after a mutation committed, so nothing here may
 * turn that success into a failure: the logger bounds what it writes (a 5,000-level nested
 * input used to overflow the stack here and answer 500 for a write that happened) and any
 * failure to log is swallowed.
 */
const logged = t.middleware(async ({ ctx, path, type, getRawInput, next }) => {
  const started = performance.now();
  const result = await next();
  const error = result.ok ? undefined : (toTRPCError(result.error.cause) ?? result.error);
  const internal = error?.code === 'INTERNAL_SERVER_ERROR';
  try {
    ctx.logger.log(internal ? 'error' : 'info', 'api.call', {
      path,
      type,
      outcome: error ? error.code : 'ok',
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      // The logger redacts secret-keyed fields and registered secret values, then cuts the
      // input to a bounded size (rejected input included).
      input: await getRawInput().catch(() => '[unreadable]'),
      ...(error && internal
        ? { correlationId: correlationIdOf(error), error: describeCause(error) }
        : {}),
    });
    if (error && internal) markReported(error);
  } catch {
    // See above: the call's outcome stands whether or not it could be logged.
  }
  if (error) throw error;
  return result;
});

export const router = t.router;
/** Every route is built on this; there are no unlogged or unauthenticated procedures. */
export const procedure = t.procedure.use(logged);
