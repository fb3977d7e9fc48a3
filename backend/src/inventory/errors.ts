/**
 * Service-level failures, free of any transport. The API layer maps them to tRPC codes:
 * {@link InputError} → BAD_REQUEST (400), {@link NotFoundError} → NOT_FOUND (404),
 * {@link ConfirmationRequiredError} → PRECONDITION_FAILED (412).
 */
import type { FieldErrors } from './types.ts';

/** One or more fields are wrong in a way only the server can tell (duplicates, files). */
export class InputError extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super(joinFieldErrors(fieldErrors));
    this.name = 'InputError';
  }
}

export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`No ${what} with id "${id}". It may have been deleted in another window.`);
    this.name = 'NotFoundError';
  }
}

/** The action is destructive beyond what was asked; repeat it with `confirm: true`. */
export class ConfirmationRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfirmationRequiredError';
  }
}

/** `port: must be between 1 and 65535; address: must be …` */
export function joinFieldErrors(fieldErrors: FieldErrors): string {
  return Object.entries(fieldErrors)
    .map(([field, message]) => (field ? `${field}: ${message}` : message))
    .join('; ');
}
