/**
 * A step failure in plain words with what to do about it (DESIGN.md §7: errors say what
 * happened, why, and what to do). The runner copies `remedy` into {@link RunOutcome.failed}.
 */
export class BootstrapError extends Error {
  readonly remedy: string | undefined;
  readonly host: string | undefined;

  constructor(message: string, options: { remedy?: string; host?: string } = {}) {
    super(message);
    this.name = 'BootstrapError';
    this.remedy = options.remedy;
    this.host = options.host;
  }
}

/** The remedy carried by any error that has one (BootstrapError, SshError). */
export function remedyOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'remedy' in err) {
    const remedy = (err as { remedy?: unknown }).remedy;
    return typeof remedy === 'string' ? remedy : undefined;
  }
  return undefined;
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
