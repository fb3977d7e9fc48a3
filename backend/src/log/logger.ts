/**
 * Structured logging: one JSON object per line (`{time, level, event, ...fields}`) written to
 * `<dataDir>/logs/backend.log`, optionally mirrored to stderr. Every line passes through the
 * {@link Redactor} before it is written, whatever logger sits underneath.
 *
 * @see https://jsonlines.org/
 */
import fs from 'node:fs';
import path from 'node:path';
import { boundForLog } from './bounds.ts';
import type { Redactor } from '@nodeless/common';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** The logging surface the backend uses. `startBackend({ logger })` accepts any of these. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  /** Flushes and releases resources; later calls to `log` are dropped. */
  close?(): void;
}

export interface FileLoggerOptions {
  /** Log file; its directory is created (0700) when missing. */
  file: string;
  /** Mirror every line to stderr too (never stdout: stdout carries the ready line). */
  stderr?: boolean;
  clock?: () => Date;
}

/**
 * A synchronous JSON-lines file logger. Writes are synchronous so that a crash right after a
 * log call still leaves the line on disk, and tests can read the file without waiting.
 */
export function createFileLogger(options: FileLoggerOptions): Logger {
  fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
  let fd: number | undefined = fs.openSync(options.file, 'a', 0o600);
  const clock = options.clock ?? (() => new Date());
  return {
    log(level, event, fields) {
      if (fd === undefined) return;
      const time = clock().toISOString();
      let line: string;
      try {
        line = `${JSON.stringify({ time, level, event, ...fields })}\n`;
      } catch (error) {
        // A value JSON cannot write (a bigint, a getter that throws): keep the event.
        line = `${JSON.stringify({ time, level, event, logError: errorName(error) })}\n`;
      }
      try {
        fs.writeSync(fd, line);
        if (options.stderr) process.stderr.write(line);
      } catch {
        // A full disk must not turn a finished request into a failed one; nothing to tell.
      }
    },
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * Wraps any logger so every field and message is redacted, then bounded ({@link boundForLog}),
 * before it reaches it. Never throws: logging runs after work is done (an API call's log line
 * is written after its mutation committed), so a failure to log must not fail the work.
 */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  return {
    log(level, event, fields) {
      const name = redactor.redact(event);
      try {
        const safe =
          fields === undefined
            ? undefined
            : (boundForLog(redactor.redactValue(fields)) as LogFields);
        inner.log(level, name, safe);
      } catch (error) {
        try {
          inner.log(level, name, { logError: errorName(error) });
        } catch {
          // The logger itself is broken; the caller's work still stands.
        }
      }
    },
    close: () => inner.close?.(),
  };
}

/** The kind of a logging failure, never its message (which may quote the value). */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
