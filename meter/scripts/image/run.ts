/**
 * The image build shells out to standard Debian tools (npm, apt-get, dpkg-deb, tar, gzip);
 * this seam runs them without a shell and lets a caller inject another runner.
 *
 * @see https://nodejs.org/api/child_process.html#child_processspawncommand-args-options
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the command after this many ms (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Write stdout into this file (binary output) instead of resolving with it. */
  readonly stdoutTo?: string;
}

/** Runs `cmd args…`; resolves with stdout, rejects naming the command and its stderr's tail. */
export type Runner = (
  cmd: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<string>;

export class CommandFailed extends Error {
  constructor(
    readonly cmd: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`${cmd} exited ${code ?? 'on a signal'}: ${stderr.trim().slice(-1500)}`);
    this.name = 'CommandFailed';
  }
}

export const run: Runner = (cmd, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = options.stdoutTo ? createWriteStream(options.stdoutTo) : undefined;
    if (sink) child.stdout.pipe(sink);
    else child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new CommandFailed(`${cmd} ${args.join(' ')}`, null, e.message));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      const done = () =>
        code === 0
          ? resolve(Buffer.concat(out).toString('utf8'))
          : reject(new CommandFailed(`${cmd} ${args.join(' ')}`, code, stderr));
      // The file is complete only once the stream has flushed it.
      if (sink && !sink.writableFinished) sink.once('finish', done);
      else done();
    });
  });
