/**
 * The engine's logger: injected by the caller (the backend persists its lines per run step),
 * and always wrapped so every message and string field goes through the redactor first.
 *
 * @see ../../../common/src/redact.ts — the one redactor
 */
import type { RedactFn } from '@nodeless/common';

/** Log levels the engine emits. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Logger injected into the engine; the backend persists these lines per run step. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, string | number>>): void;
}

/** Wraps a logger so every message and string field goes through `redactor` first. */
export function redactingLogger(inner: Logger, redactor: RedactFn): Logger {
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
