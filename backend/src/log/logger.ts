/**
 * Structured logging: one JSON object per line (`{time, level, event, ...fields}`) written to
 * `<dataDir>/logs/backend.log`, optionally mirrored to stderr. Every line passes through the
 * {@link Redactor} before it is written, whatever logger sits underneath.
 *
 * @see https://jsonlines.org/
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from './redactor.ts';

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
      const line = `${JSON.stringify({ time: clock().toISOString(), level, event, ...fields })}\n`;
      fs.writeSync(fd, line);
      if (options.stderr) process.stderr.write(line);
    },
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

/** Wraps any logger so every field and message is redacted before it reaches it. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  return {
    log(level, event, fields) {
      const safe = fields === undefined ? undefined : (redactor.redactValue(fields) as LogFields);
      inner.log(level, redactor.redact(event), safe);
    },
    close: () => inner.close?.(),
  };
}
