/**
 * Bootstrap failures the API maps to 412 PRECONDITION_FAILED: the request is fine, but the
 * cluster is not ready for it (no check report, blocking verdicts, nothing installed yet).
 * `blockers` says each reason in plain words.
 */
export class PreconditionError extends Error {
  constructor(
    message: string,
    readonly blockers: readonly string[] = [],
  ) {
    super(blockers.length > 0 ? `${message} ${blockers.join(' ')}` : message);
    this.name = 'PreconditionError';
  }
}
