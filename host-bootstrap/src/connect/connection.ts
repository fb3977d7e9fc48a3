/**
 * An open, authenticated SSH connection (possibly through jump hosts) and command execution
 * with a per-command timeout. A command that outlives its timeout, or a connection that dies
 * under it, always ends in a typed {@link SshError} — nothing waits forever.
 *
 * @see https://github.com/mscdex/ssh2#client-methods — `exec(command, options, callback)`, `sftp(callback)`
 */
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';
import { SshError } from '../errors/ssh-error.ts';
import { openSftp, type SftpSession } from './sftp.ts';

export type { SftpSession } from './sftp.ts';

/** Options of one command. */
export interface ExecOptions {
  /** Bytes written to the command's stdin, then stdin is closed (unless `keepStdinOpen`). */
  readonly stdin?: string;
  /** Allocate a pseudo-terminal (stdout and stderr then arrive merged on stdout). */
  readonly pty?: boolean;
  /** Kill the command after this long (default from the connection's timeouts). */
  readonly timeoutMs?: number;
  /**
   * Called with each stdout chunk; may write to stdin (used to answer a sudo prompt on a pty
   * without ever putting the password in argv) or close the channel (hang up the session).
   */
  readonly onStdout?: (chunk: string, write: (data: string) => void, close: () => void) => void;
}

/** Result of a finished command. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; `null` when killed by a signal. */
  readonly code: number | null;
  readonly signal: string | undefined;
}

/** An authenticated connection to one host. */
export interface SshConnection {
  /** Label for messages: the name the user gave. */
  readonly label: string;
  readonly user: string;
  /** Runs one command; rejects only with SshError (`timeout`, `unreachable`). */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /**
   * Opens an SFTP channel as the login user (file transfer with offsets, for resumable
   * uploads); every operation is limited to `opTimeoutMs` (default: the command timeout).
   * Optional only so that test doubles of a connection need not provide it; real
   * connections from {@link wrapConnection} always do.
   */
  sftp?(opTimeoutMs?: number): Promise<SftpSession>;
  /** Closes this connection and every jump connection under it. */
  close(): void;
  readonly closed: boolean;
}

const PTY: PseudoTtyOptions = { term: 'dumb', rows: 24, cols: 200 };

/** Wraps ssh2 clients (jump hops first, target last) as an {@link SshConnection}. */
export function wrapConnection(
  label: string,
  user: string,
  clients: readonly Client[],
  defaultTimeoutMs: number,
): SshConnection {
  const target = clients[clients.length - 1];
  if (!target) throw new Error('wrapConnection needs at least one client');
  let closed = false;
  let lostReason: string | undefined;
  const onLost = (reason: string) => () => {
    lostReason ??= reason;
    closed = true;
  };
  for (const c of clients) {
    c.on('close', onLost('the connection was closed'));
    c.on('error', (err: Error) => onLost(`connection error: ${err.message}`)());
  }
  const lostError = (what: string) =>
    new SshError(
      'unreachable',
      `Lost the connection to ${label} while ${what} (${lostReason ?? 'closed'}).`,
      {
        host: label,
        transient: true,
        remedy: 'Check the network path to the machine (and the jump host, if any), then retry.',
      },
    );

  const exec = (command: string, options: ExecOptions = {}): Promise<ExecResult> =>
    new Promise<ExecResult>((resolve, reject) => {
      if (closed) {
        reject(lostError('starting a command'));
        return;
      }
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
      let channel: ClientChannel | undefined;
      let settled = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const c of clients) c.removeListener('close', onClose);
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => {
          channel?.close();
          reject(
            new SshError(
              'timeout',
              `A command on ${label} did not finish within ${Math.round(timeoutMs / 1000)} s.`,
              {
                host: label,
                transient: true,
                remedy: 'The machine or the network may be overloaded or cut; check it and retry.',
              },
            ),
          );
        });
      }, timeoutMs);
      const onClose = () => finish(() => reject(lostError('running a command')));
      for (const c of clients) c.once('close', onClose);
      try {
        target.exec(command, options.pty ? { pty: PTY } : {}, (err, ch) => {
          if (err) {
            finish(() => reject(lostError(`opening a session (${err.message})`)));
            return;
          }
          channel = ch;
          const write = (data: string) => {
            if (ch.writable) ch.write(data);
          };
          ch.on('data', (chunk: Buffer) => {
            stdout.push(chunk);
            options.onStdout?.(chunk.toString('utf8'), write, () => ch.close());
          });
          ch.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
          let code: number | null = null;
          let signal: string | undefined;
          ch.on('exit', (c: number | null, s?: string) => {
            code = c;
            signal = s ?? undefined;
          });
          ch.on('close', () =>
            finish(() =>
              resolve({
                stdout: Buffer.concat(stdout).toString('utf8'),
                stderr: Buffer.concat(stderr).toString('utf8'),
                code,
                signal,
              }),
            ),
          );
          if (options.stdin !== undefined) ch.write(options.stdin);
          if (!options.pty) ch.end();
        });
      } catch (err) {
        finish(() => reject(lostError(`starting a command (${String(err)})`)));
      }
    });

  const sftp = (opTimeoutMs?: number): Promise<SftpSession> =>
    closed
      ? Promise.reject(lostError('opening an SFTP channel'))
      : openSftp(target, label, opTimeoutMs ?? defaultTimeoutMs, (what) => lostError(what));

  return {
    label,
    user,
    exec,
    sftp,
    close() {
      closed = true;
      for (const c of [...clients].reverse()) c.end();
    },
    get closed() {
      return closed;
    },
  };
}
