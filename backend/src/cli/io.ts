/**
 * What a CLI command touches, injected so commands run in tests without a real terminal:
 * streams, whether a person is at the terminal, the environment, the home directory (for
 * ~/.ssh) and the data directory default.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** A person can answer questions (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** stderr is a terminal: progress may redraw lines in place. */
  readonly stderrIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly cwd: string;
  /** The app's per-user data dir, shared with the desktop app and web mode. */
  readonly defaultDataDir: string;
  readonly now: () => number;
}

/** Exit codes of `nodeless` (documented in the README). */
export const EXIT = {
  ok: 0,
  /** At least one host blocks, failed, or is not trusted. */
  blocked: 1,
  /** The cluster file or the command line is wrong. */
  usage: 2,
  /** A host key needs the user's decision and nobody could be asked. */
  untrusted: 3,
} as const;

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
