/**
 * Turns whatever an API call threw into something a person can act on: which fields are
 * wrong, or one plain sentence saying what happened and what to do. Never a stack trace.
 *
 * Duck-typed on the shape of `TRPCClientError` (`.data.code`, `.data.fieldErrors`) so this
 * module does not depend on the transport.
 * @see https://trpc.io/docs/server/error-handling#error-codes — the codes mapped here.
 */
import type { FieldErrors } from '@nodeless/backend/api';

export type ProblemKind =
  | 'validation'
  | 'needs-confirmation'
  | 'unauthorized'
  | 'not-found'
  | 'conflict'
  | 'offline'
  | 'host'
  | 'unexpected';

export interface Problem {
  kind: ProblemKind;
  /** One or two sentences for a banner or alert: what happened, what to do. */
  message: string;
  /** Dotted field path → message, when the backend named the fields. */
  fieldErrors: FieldErrors;
  /** Each reason a precondition failed (412 from `bootstrap.*`: why an install cannot start). */
  details?: readonly string[];
}

const MESSAGES: Record<Exclude<ProblemKind, 'validation' | 'conflict' | 'host'>, string> = {
  'needs-confirmation': 'This needs your confirmation first.',
  unauthorized:
    'This window is no longer signed in to Nodeless, probably because the backend restarted. ' +
    'Open the link Nodeless printed when it started.',
  'not-found': 'That item no longer exists; it was probably removed in another window.',
  offline: 'Cannot reach the Nodeless backend. Check that it is still running, then try again.',
  unexpected:
    'Nodeless hit an unexpected error. Its log has the details; try again, and report it if it keeps happening.',
};

interface ErrorData {
  code?: unknown;
  correlationId?: unknown;
  fieldErrors?: unknown;
  blockers?: unknown;
}

function blockersOf(data: ErrorData | undefined): string[] {
  const raw = data?.blockers;
  return Array.isArray(raw) ? raw.filter((b): b is string => typeof b === 'string') : [];
}

/** The message without the blockers the backend appended to it (they are listed apart). */
function leadOf(err: unknown, blockers: readonly string[]): string | undefined {
  const msg = err instanceof Error ? err.message : undefined;
  const tail = blockers.join(' ');
  if (msg && tail && msg.endsWith(tail)) return msg.slice(0, msg.length - tail.length).trim();
  return humanMessage(err);
}

function dataOf(err: unknown): ErrorData | undefined {
  if (typeof err !== 'object' || err === null || !('data' in err)) return undefined;
  const data = (err as { data: unknown }).data;
  return typeof data === 'object' && data !== null ? (data as ErrorData) : undefined;
}

function fieldErrorsOf(data: ErrorData | undefined): FieldErrors {
  const raw = data?.fieldErrors;
  if (typeof raw !== 'object' || raw === null) return {};
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The server's own message, if it is a short human sentence (not a stack or a JSON dump). */
function humanMessage(err: unknown): string | undefined {
  const msg = err instanceof Error ? err.message : undefined;
  if (!msg) return undefined;
  const first = msg.split('\n', 1)[0]?.trim() ?? '';
  if (
    first.length === 0 ||
    first.length > 300 ||
    /^\s*[[{]/.test(first) ||
    /\bat .+:\d+:\d+/.test(first)
  ) {
    return undefined;
  }
  return first;
}

export function toProblem(err: unknown): Problem {
  const data = dataOf(err);
  const fieldErrors = fieldErrorsOf(data);
  const code = typeof data?.code === 'string' ? data.code : undefined;
  switch (code) {
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
      return {
        kind: 'validation',
        fieldErrors,
        message:
          Object.keys(fieldErrors).length > 0
            ? 'Some fields need attention; see the messages next to them.'
            : (humanMessage(err) ?? 'The request was not valid. Check the form and try again.'),
      };
    case 'CONFLICT':
      return {
        kind: 'conflict',
        fieldErrors,
        message: humanMessage(err) ?? 'This conflicts with something that already exists.',
      };
    case 'PRECONDITION_FAILED': {
      const blockers = blockersOf(data);
      if (blockers.length > 0)
        return {
          kind: 'needs-confirmation',
          fieldErrors,
          message: leadOf(err, blockers) ?? 'This cannot be done yet:',
          details: blockers,
        };
      return {
        kind: 'needs-confirmation',
        fieldErrors,
        message: humanMessage(err) ?? MESSAGES['needs-confirmation'],
      };
    }
    case 'BAD_GATEWAY':
    case 'GATEWAY_TIMEOUT':
      // A machine (not the request) failed; the backend says which and what to do.
      return {
        kind: 'host',
        fieldErrors,
        message:
          humanMessage(err) ??
          'A machine could not be reached. Check that it is up and reachable over SSH, then try again.',
      };
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return { kind: 'unauthorized', fieldErrors, message: MESSAGES.unauthorized };
    case 'NOT_FOUND':
      return { kind: 'not-found', fieldErrors, message: MESSAGES['not-found'] };
    case undefined:
      // No tRPC error body at all: the request never got an answer.
      return { kind: 'offline', fieldErrors, message: MESSAGES.offline };
    default: {
      // A 500 carries only a reference into the backend log; give it to the user to quote.
      const ref = typeof data?.correlationId === 'string' ? data.correlationId : undefined;
      const message = ref ? `${MESSAGES.unexpected} (Reference ${ref}.)` : MESSAGES.unexpected;
      return { kind: 'unexpected', fieldErrors, message };
    }
  }
}

/**
 * Phrases a field message for display next to its field: the backend says
 * "must be between 1 and 65535"; the user reads "Port must be between 1 and 65535".
 */
export function fieldMessage(label: string, message: string): string {
  const trimmed = message.replace(/^[\w.]+:\s*/, '');
  if (/^(is|are|must|has|have|cannot|can't|should|does|already)\b/.test(trimmed))
    return `${label} ${trimmed}`;
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
