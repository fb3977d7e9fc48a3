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
    const field = (issue.path ?? [])
      .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
      .join('.');
    const key = field === '' ? 'input' : field;
    out[key] ??= humanise(issue);
  }
  return out;
}

/** zod's built-in messages for a missing field read "expected string, received undefined". */
function humanise(issue: IssueLike): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return 'is required';
  }
  return issue.message;
}
