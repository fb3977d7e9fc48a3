/**
 * Running host commands. Everything in the fleet shells out to standard Linux tools (ip,
 * systemd-nspawn, nsenter, mount, ssh-keygen, iptables); this seam lets tests and callers
 * inject a different runner and keeps secrets on stdin, never in argv.
 */
import { spawn } from 'node:child_process';

/** Outcome of one command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one command. */
export interface RunOptions {
  /** Written to stdin, then stdin is closed (passwords go here, never into argv). */
  readonly input?: string;
  /** Throw {@link CommandError} on a non-zero exit (default true). */
  readonly check?: boolean;
  /** Kill the command after this many ms (default 120 s). */
  readonly timeoutMs?: number;
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `cmd args…` and resolves with its exit code and output. */
export type CommandRunner = (
  cmd: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<CommandResult>;

/** A command exited non-zero (or could not start). The message names the command, not its input. */
export class CommandError extends Error {
  constructor(
    readonly cmd: string,
    readonly args: readonly string[],
    readonly result: CommandResult,
  ) {
    super(`${cmd} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().slice(-2000)}`);
    this.name = 'CommandError';
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** The real runner: `child_process.spawn` without a shell. */
export const runCommand: CommandRunner = (cmd, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      const result = { code: 127, stdout: '', stderr: e.message };
      if (options.check === false) resolve(result);
      else reject(new CommandError(cmd, args, result));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\n(killed by ${signal})` : ''),
      };
      if (result.code !== 0 && options.check !== false) reject(new CommandError(cmd, args, result));
      else resolve(result);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });

/** Logger for progress lines; the CLI sends them to stderr so stdout stays pure JSON. */
export type Log = (line: string) => void;

/** Default logger: stderr. */
export const stderrLog: Log = (line) => process.stderr.write(`[testkit hosts] ${line}\n`);
