/**
 * Onboarding failures the API maps to 409 CONFLICT: the request is valid but the state of the
 * world disagrees (a check already runs, the live host key is not the one the user accepted).
 */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
