/**
 * What a bootstrap step needs of one host, and the few shell idioms every step shares: run a
 * script as root and fail with its stderr, compare a file by sha256 and mode, and write a
 * root-owned file whose content may be secret (join token, kubeconfig) without that content
 * ever appearing in a command line: it travels on the login user's stdin into a private
 * staging file, then `install` moves it into place as root.
 *
 * @see https://www.gnu.org/software/coreutils/manual/html_node/install-invocation.html
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ExecResult, SshConnection } from '../connect/connection.ts';
import type { HostFacts } from '../facts/types.ts';
import type { PrivilegedRunner } from '../privilege/run.ts';
import { shellQuote } from '../util/shell-quote.ts';
import { BootstrapError } from './errors.ts';

/** One host as the planner and the steps see it. */
export interface HostHandle {
  /** Name the user gave (step keys, events). */
  readonly name: string;
  /** Address other hosts and the desktop reach it on. */
  readonly address: string;
  /** Root commands. */
  readonly runner: PrivilegedRunner;
  /** The login session: file transfer on stdin as the login user. */
  readonly connection: SshConnection;
  readonly facts?: HostFacts;
}

/** Our working directory on every host; the staging dir belongs to the login user. */
export const NODELESS_DIR = '/var/lib/nodeless';
export const STAGING_DIR = `${NODELESS_DIR}/staging`;
/** Markers of unpacked tarballs: `<dir>/<name>.sha256` holds the tarball's sha256. */
export const INSTALLED_DIR = `${NODELESS_DIR}/installed`;

export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

/** Last lines of a command's error output, for messages. */
export function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs `script` as root; resolves with the result whatever the exit status. */
export function probe(host: HostHandle, script: string, timeoutMs?: number): Promise<ExecResult> {
  return host.runner.run(script, timeoutMs === undefined ? {} : { timeoutMs });
}

/** Runs `script` as root (`set -e`); rejects with a BootstrapError naming `what` on failure. */
export async function root(
  host: HostHandle,
  what: string,
  script: string,
  options: { timeoutMs?: number; remedy?: string } = {},
): Promise<string> {
  const r = await probe(host, `set -e\n${script}`, options.timeoutMs);
  if (r.code !== 0) {
    throw new BootstrapError(
      `${what} failed on ${host.name} (exit ${r.code ?? r.signal ?? '?'}): ${tail(r.stderr || r.stdout)}`,
      {
        host: host.name,
        remedy: options.remedy ?? 'Look at the step log, fix the cause, then Resume.',
      },
    );
  }
  return r.stdout;
}

/** Hosts whose staging dir exists (one root command saved per file write). */
const staged = new WeakSet<HostHandle>();

/** Forget that the staging dir exists (uninstall removes it). */
export function forgetStaging(host: HostHandle): void {
  staged.delete(host);
}

/** Creates the staging directory, owned by the login user (uploads run as that user). */
export async function ensureStaging(host: HostHandle): Promise<void> {
  if (staged.has(host)) return;
  const user = shellQuote(host.connection.user);
  await root(
    host,
    'Creating the staging directory',
    `install -d -m 0755 ${NODELESS_DIR}\ninstall -d -m 0700 -o ${user} ${STAGING_DIR}`,
  );
  staged.add(host);
}

/** sha256 and octal mode of a root-readable file, or undefined when it is missing. */
export async function fileState(
  host: HostHandle,
  path: string,
): Promise<{ sha256: string; mode: string } | undefined> {
  const p = shellQuote(path);
  const r = await probe(
    host,
    `[ -f ${p} ] || exit 3; printf '%s ' "$(stat -c %a ${p})"; sha256sum ${p} | cut -d' ' -f1`,
  );
  if (r.code === 3) return undefined;
  if (r.code !== 0)
    throw new BootstrapError(`Cannot read ${path} on ${host.name}: ${tail(r.stderr)}`);
  const [mode = '', sha256 = ''] = r.stdout.trim().split(' ');
  return { sha256, mode };
}

/** True when `path` holds exactly `content` with `mode` (e.g. "600"). */
export async function fileMatches(
  host: HostHandle,
  path: string,
  content: string,
  mode: string,
): Promise<boolean> {
  const state = await fileState(host, path);
  return state !== undefined && state.sha256 === sha256Hex(content) && state.mode === mode;
}

/**
 * Writes `content` to `path` as root with `mode` (parents created). The content goes over the
 * login session's stdin into a 0600 file in the staging dir, never into argv.
 */
export async function writeRootFile(
  host: HostHandle,
  path: string,
  content: string,
  mode: string,
): Promise<void> {
  await ensureStaging(host);
  const tmp = `${STAGING_DIR}/.write-${randomBytes(6).toString('hex')}`;
  const r = await host.connection.exec(`umask 077 && cat > ${shellQuote(tmp)}`, { stdin: content });
  if (r.code !== 0) {
    throw new BootstrapError(`Cannot stage ${path} on ${host.name}: ${tail(r.stderr)}`, {
      host: host.name,
      remedy: `Check free space under ${STAGING_DIR}.`,
    });
  }
  const t = shellQuote(tmp);
  await root(
    host,
    `Writing ${path}`,
    `trap 'rm -f ${t}' EXIT\ninstall -D -m ${mode} -o root -g root ${t} ${shellQuote(path)}`,
  );
}

/** Reads a root-only file (e.g. the join token); the content is a secret: never log it. */
export async function readRootFile(host: HostHandle, path: string): Promise<string | undefined> {
  const p = shellQuote(path);
  const r = await probe(host, `[ -f ${p} ] || exit 3; cat ${p}`);
  if (r.code === 3) return undefined;
  if (r.code !== 0)
    throw new BootstrapError(`Cannot read ${path} on ${host.name}: ${tail(r.stderr)}`);
  return r.stdout;
}

/** `systemctl is-active` of a unit (active, activating, failed, inactive, …). */
export async function unitState(host: HostHandle, unit: string): Promise<string> {
  const r = await probe(host, `systemctl is-active ${shellQuote(unit)} || true`);
  return r.stdout.trim() || 'unknown';
}

/** Sleeps `ms`, or rejects with an AbortError when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
