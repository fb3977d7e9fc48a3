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
  | 'unexpected';

export interface Problem {
  kind: ProblemKind;
  /** One or two sentences for a banner or alert: what happened, what to do. */
  message: string;
  /** Dotted field path → message, when the backend named the fields. */
  fieldErrors: FieldErrors;
}

const MESSAGES: Record<Exclude<ProblemKind, 'validation' | 'conflict'>, string> = {
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
  fieldErrors?: unknown;
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
    case 'PRECONDITION_FAILED':
      return { kind: 'needs-confirmation', fieldErrors, message: MESSAGES['needs-confirmation'] };
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return { kind: 'unauthorized', fieldErrors, message: MESSAGES.unauthorized };
    case 'NOT_FOUND':
      return { kind: 'not-found', fieldErrors, message: MESSAGES['not-found'] };
    case undefined:
      // No tRPC error body at all: the request never got an answer.
      return { kind: 'offline', fieldErrors, message: MESSAGES.offline };
    default:
      return { kind: 'unexpected', fieldErrors, message: MESSAGES.unexpected };
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
