/**
 * Secret redaction for logs and progress events. Secrets are replaced wherever they occur as
 * substrings, longest first so that a secret containing another is fully masked.
 */

/** A function that masks known secret values in a string. */
export type Redactor = (text: string) => string;

/** Placeholder written where a secret was. */
export const REDACTED = '***';

/**
 * Builds a redactor for the given secret values. Empty and very short values (< 3 chars) are
 * ignored: masking every "a" would make logs unreadable and such values are not secrets.
 */
export function redact(secretValues: Iterable<string | undefined>): Redactor {
  const secrets = [...new Set([...secretValues].filter((s): s is string => !!s && s.length >= 3))];
  secrets.sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/** Log levels the engine emits. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Logger injected into the engine; the backend persists these lines per run step. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, string | number>>): void;
}

/** Wraps a logger so every message and string field goes through `redactor` first. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  return {
    log(level, message, fields) {
      const safeFields =
        fields &&
        Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? redactor(v) : v]),
        );
      inner.log(level, redactor(message), safeFields);
    },
  };
}

/** A logger that drops everything (default when none is injected). */
export const silentLogger: Logger = { log: () => undefined };
