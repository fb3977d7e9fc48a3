/**
 * Turns schema issues into the API's field errors: `{ "auth.keyPath": "is required" }`.
 * Works for any Standard Schema issue list (zod 4's `ZodError.issues` included).
 *
 * @see https://github.com/standard-schema/standard-schema#the-interface
 */
import type { FieldErrors } from '../inventory/types.ts';

interface IssueLike {
  message: string;
  path?: readonly (PropertyKey | { key: PropertyKey })[] | undefined;
  code?: string;
  /** zod's `unrecognized_keys` issue lists the unknown fields of the object at `path`. */
  keys?: readonly PropertyKey[];
}

/** True for errors carrying schema issues (ZodError, StandardSchemaV1Error). */
export function hasIssues(value: unknown): value is { issues: IssueLike[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { issues?: unknown }).issues)
  );
}

/** First message per dotted path wins; the root (empty path) is keyed as `input`. */
export function fieldErrorsFromIssues(issues: readonly IssueLike[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const segments = (issue.path ?? []).map((segment) =>
      String(typeof segment === 'object' ? segment.key : segment),
    );
    if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
      // Name each unknown field itself ("auth.extra"), not its parent object. Keys are the
      // caller's own input, so at most a few are named and each is cut short.
      for (const unknown of issue.keys.slice(0, MAX_UNKNOWN_KEYS)) {
        out[[...segments, String(unknown).slice(0, MAX_KEY_CHARS)].join('.')] ??=
          'is not a known field';
      }
      continue;
    }
    const field = segments.join('.');
    const key = field === '' ? 'input' : field;
    out[key] ??= humanise(issue);
  }
  return out;
}

/** A request with thousands of unknown keys gets a short answer, not an echo of itself. */
const MAX_UNKNOWN_KEYS = 5;
const MAX_KEY_CHARS = 64;

/** zod's built-in messages for a missing field read "expected string, received undefined". */
function humanise(issue: IssueLike): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return 'is required';
  }
  return issue.message;
}
