/**
 * Running commands as root on a host: directly when we log in as root, else through sudo —
 * without a password (`sudo -n`), or with one written to sudo's stdin (`sudo -S -p ''`).
 * The password never appears in argv, the environment or logs. Hosts with `Defaults
 * requiretty` get a pseudo-terminal; sudo then prompts on the tty with a random marker we
 * recognise, reads the password with echo off, and the marker is stripped from the output.
 * A wrong password is detected (second prompt / "Sorry, try again" / exit status) and ends
 * in an `SshError('sudo')` at once: sudo never waits on an open stdin.
 *
 * @see https://www.sudo.ws/docs/man/sudo.man/#S — `-S`, `-p`, `-n`
 * @see https://www.sudo.ws/docs/man/sudoers.man/#requiretty
 */
import { randomBytes } from 'node:crypto';
import type { ExecResult, SshConnection } from '../connect/connection.ts';
import { SshError } from '../errors/ssh-error.ts';
import { shellJoin, shellQuote } from '../util/shell-quote.ts';

/** How root is reached on a host. */
export type PrivilegeMode = 'root' | 'sudo-nopasswd' | 'sudo-password';

/** Runs shell scripts as root on one host. */
export interface PrivilegedRunner {
  readonly mode: PrivilegeMode;
  /** Whether sudo needs a pty on this host (`requiretty`). */
  readonly pty: boolean;
  /** Runs `script` with `sh -c` as root. Rejects with SshError `sudo`, `timeout`, `unreachable`. */
  run(script: string, options?: { readonly timeoutMs?: number }): Promise<ExecResult>;
}

/** Options of {@link establishPrivilege}. */
export interface PrivilegeOptions {
  /** The sudo password, if the user gave one. */
  readonly sudoPassword?: string;
  readonly timeoutMs?: number;
  /** Marker source (tests pin it). */
  readonly randomToken?: () => string;
}

const TTY_REQUIRED = /must have a tty|no tty present/i;
const WRONG_PASSWORD =
  /sorry, try again|incorrect password|authentication failure|no password was provided/i;
const PASSWORD_REQUIRED = /a password is required|password is required/i;
const NOT_ALLOWED = /not in the sudoers|not allowed to (run|execute)|may not run sudo/i;

function sudoError(label: string, user: string, message: string, remedy: string): SshError {
  return new SshError('sudo', message, { host: label, remedy: remedy.replaceAll('{user}', user) });
}

/** Maps sudo's own failure text (not the script's) to a typed error. */
function sudoFailure(conn: SshConnection, text: string, code: number | null): SshError {
  const { label, user } = conn;
  if (/command not found|sudo: not found/i.test(text) || code === 127) {
    return sudoError(
      label,
      user,
      `sudo is not installed on ${label}.`,
      'Install sudo, or connect as root.',
    );
  }
  if (NOT_ALLOWED.test(text)) {
    return sudoError(
      label,
      user,
      `The user "${user}" may not use sudo on ${label}.`,
      'Add {user} to the sudo (Debian/Ubuntu) or wheel (RHEL/SUSE) group, or connect as root.',
    );
  }
  if (WRONG_PASSWORD.test(text)) {
    return sudoError(
      label,
      user,
      `sudo on ${label} rejected the password for "${user}".`,
      'Re-enter the sudo password of {user} (it is the login password of that user, not root).',
    );
  }
  if (PASSWORD_REQUIRED.test(text)) {
    return sudoError(
      label,
      user,
      `sudo on ${label} needs a password for "${user}".`,
      'Enter the sudo password, or allow {user} passwordless sudo (NOPASSWD in /etc/sudoers.d).',
    );
  }
  return sudoError(
    label,
    user,
    `sudo failed on ${label}: ${text.trim().split('\n')[0] ?? `exit ${code}`}`,
    'Check the sudo configuration of {user} on the machine.',
  );
}

function normalisePty(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** Builds the runner once the mode is known. Exported for tests with a fake connection. */
export function makeRunner(
  conn: SshConnection,
  mode: PrivilegeMode,
  pty: boolean,
  password: string | undefined,
  token: () => string,
  defaultTimeoutMs: number | undefined,
): PrivilegedRunner {
  const run = async (script: string, options: { timeoutMs?: number } = {}): Promise<ExecResult> => {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const timing = timeoutMs === undefined ? {} : { timeoutMs };
    if (mode === 'root') return conn.exec(shellJoin(['sh', '-c', script]), timing);
    // The marker proves sudo let us through: anything before it is sudo's, after it the script's.
    const ok = `__nodeless_ok_${token()}__`;
    const inner = `printf '%s\\n' ${shellQuote(ok)}; ${script}`;
    const split = (r: ExecResult, text: string): ExecResult => {
      const at = text.indexOf(`${ok}\n`);
      if (at < 0) throw sudoFailure(conn, `${r.stderr}\n${text}`, r.code);
      const stdout = text.slice(at + ok.length + 1);
      return { ...r, stdout };
    };
    if (mode === 'sudo-nopasswd') {
      const r = await conn.exec(`LC_ALL=C ${shellJoin(['sudo', '-n', '--', 'sh', '-c', inner])}`, {
        ...timing,
        pty,
      });
      return split(r, pty ? normalisePty(r.stdout) : r.stdout);
    }
    if (password === undefined) throw new Error('sudo-password mode without a password');
    if (!pty) {
      const r = await conn.exec(
        `LC_ALL=C ${shellJoin(['sudo', '-S', '-p', '', '--', 'sh', '-c', inner])}`,
        {
          ...timing,
          // sudo reads one line; stdin then closes, so a wrong password ends in EOF, not a hang.
          stdin: `${password}\n`,
        },
      );
      return split(r, r.stdout);
    }
    // requiretty: sudo reads from the tty (echo off). Answer the first prompt; a second one
    // means the password was wrong — hang up instead of letting it retry.
    const prompt = `[nodeless-sudo-${token()}]`;
    let seen = '';
    let prompts = 0;
    let rejected = false;
    const r = await conn.exec(
      `LC_ALL=C ${shellJoin(['sudo', '-p', prompt, '--', 'sh', '-c', inner])}`,
      {
        ...timing,
        pty: true,
        onStdout: (chunk, write, close) => {
          seen += chunk;
          const count = seen.split(prompt).length - 1;
          while (prompts < count) {
            prompts++;
            if (prompts === 1) write(`${password}\n`);
            else if (!rejected) {
              // Hang up: sudo would otherwise wait on the tty for another try.
              rejected = true;
              close();
            }
          }
        },
      },
    );
    const text = normalisePty(r.stdout).split(prompt).join('');
    if (rejected) throw sudoFailure(conn, 'Sorry, try again.', r.code);
    return split(r, text);
  };
  return { mode, pty, run };
}

/**
 * Finds out how to become root on the host behind `conn` and checks it works:
 * `id -u` → root; `sudo -n true` → passwordless; else the given password through `sudo -S`.
 * Each probe is retried on a pty when sudo says it needs a tty.
 *
 * @throws SshError `sudo` with a plain reason (needs a password, wrong password, not allowed)
 */
export async function establishPrivilege(
  conn: SshConnection,
  options: PrivilegeOptions = {},
): Promise<PrivilegedRunner> {
  const token = options.randomToken ?? (() => randomBytes(8).toString('hex'));
  const timing = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const id = await conn.exec('id -u', timing);
  if (id.code === 0 && id.stdout.trim() === '0') {
    return makeRunner(conn, 'root', false, undefined, token, options.timeoutMs);
  }
  let pty = false;
  let probe = await conn.exec('LC_ALL=C sudo -n -- true', timing);
  if (probe.code !== 0 && TTY_REQUIRED.test(probe.stderr + probe.stdout)) {
    pty = true;
    probe = await conn.exec('LC_ALL=C sudo -n -- true', { ...timing, pty: true });
  }
  if (probe.code === 0)
    return makeRunner(conn, 'sudo-nopasswd', pty, undefined, token, options.timeoutMs);
  const text = probe.stderr + probe.stdout;
  if (!PASSWORD_REQUIRED.test(text)) throw sudoFailure(conn, text, probe.code);
  if (options.sudoPassword === undefined)
    throw sudoFailure(conn, 'a password is required', probe.code);
  // Try without a pty first; fall back to one when the host has `requiretty`.
  const plain = makeRunner(
    conn,
    'sudo-password',
    pty,
    options.sudoPassword,
    token,
    options.timeoutMs,
  );
  try {
    await plain.run('true');
    return plain;
  } catch (err) {
    if (pty || !(err instanceof SshError) || !TTY_REQUIRED.test(err.message)) throw err;
  }
  const withPty = makeRunner(
    conn,
    'sudo-password',
    true,
    options.sudoPassword,
    token,
    options.timeoutMs,
  );
  await withPty.run('true');
  return withPty;
}
