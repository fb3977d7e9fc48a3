/**
 * Checks that a path names a readable SSH private key, without keeping or logging its content.
 * Accepted: OpenSSH (`BEGIN OPENSSH PRIVATE KEY`), PEM RSA/EC/DSA (traditional, possibly
 * encrypted with `Proc-Type`), PKCS#8 plain or encrypted, and PuTTY `.ppk` files — the formats
 * ssh2 can load.
 *
 * @see https://github.com/mscdex/ssh2/blob/master/lib/protocol/keyParser.js
 * @see https://www.rfc-editor.org/rfc/rfc7468 (PEM labels)
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Private keys are a few KiB; anything much bigger is not one and is not read whole. */
const MAX_KEY_BYTES = 64 * 1024;
/** A local key file answers at once; a hung network or FUSE mount must not hold the request. */
const READ_TIMEOUT_MS = 2_000;
/**
 * Never block in open() or read(): a FIFO swapped in after the stat would otherwise wait for a
 * writer forever, holding one of libuv's four worker threads (four such checks stopped every
 * file and crypto call of the backend, and with them a clean shutdown). Not on Windows.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const PEM_LABELS = [
  'OPENSSH PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
];

interface KeyFileStats {
  isFile(): boolean;
  isDirectory(): boolean;
  size: number;
}

/** The part of `fs.promises.FileHandle` the check uses. */
export interface KeyFileHandle {
  stat(): Promise<KeyFileStats>;
  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** The file operations used (`fs.promises` by default; a double in tests). */
export interface KeyFileFs {
  stat(file: string): Promise<KeyFileStats>;
  open(file: string, flags: number): Promise<KeyFileHandle>;
}

export interface KeyFileCheckOptions {
  io?: KeyFileFs | undefined;
  timeoutMs?: number;
}

/**
 * Returns an error message for the `auth.keyPath` field, or undefined when the file is a
 * private key. `file` must already be absolute (see {@link expandKeyPath}).
 *
 * Only regular files are opened, and never one that reports size 0: a private key is never
 * empty, while /proc and /sys files all report 0 (`/proc/kmsg` blocks a reader until the
 * kernel logs something and consumes what it reads; `/proc/kallsyms` is megabytes). The read
 * itself is bounded by what it actually returns, not by the reported size, and by a timeout.
 */
export async function checkPrivateKeyFile(
  file: string,
  options: KeyFileCheckOptions = {},
): Promise<string | undefined> {
  const io = options.io ?? fs;
  let stat: KeyFileStats;
  try {
    stat = await io.stat(file);
  } catch (error) {
    return accessProblem(error, file);
  }
  const notKey = refuseByStat(stat, file);
  if (notKey !== undefined) return notKey;
  let handle: KeyFileHandle;
  try {
    handle = await io.open(file, OPEN_FLAGS);
  } catch (error) {
    return accessProblem(error, file);
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? READ_TIMEOUT_MS);
  });
  const read = readBounded(handle, file);
  try {
    const outcome = await Promise.race([read, timedOut]);
    if (outcome === 'timeout') return `cannot read ${file} (it did not answer in time)`;
    return outcome;
  } finally {
    clearTimeout(timer);
    // After a timeout the read may still be pending; close once it settles, without waiting.
    void read.finally(() => handle.close().catch(() => undefined));
  }
}

function accessProblem(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read ${file} (permission denied)`;
  if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return `cannot read ${file} (it is not a file)`;
  return `no file at ${file}`;
}

function refuseByStat(stat: KeyFileStats, file: string): string | undefined {
  if (stat.isDirectory()) return `${file} is a folder, not a key file`;
  if (!stat.isFile()) return `${file} is not a regular file (a device, FIFO or socket)`;
  if (stat.size === 0 || stat.size > MAX_KEY_BYTES) return 'is not a private key';
  return undefined;
}

/** Re-checks the opened file (it may have been swapped since the stat), then reads ≤ the cap. */
async function readBounded(handle: KeyFileHandle, file: string): Promise<string | undefined> {
  try {
    const notKey = refuseByStat(await handle.stat(), file);
    if (notKey !== undefined) return notKey;
    const buffer = Buffer.alloc(MAX_KEY_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_KEY_BYTES) return 'is not a private key';
    return looksLikePrivateKey(buffer.toString('utf8', 0, length))
      ? undefined
      : 'is not a private key';
  } catch (error) {
    return accessProblem(error, file);
  }
}

/** True when `text` carries a complete armoured private key block (or a PuTTY key). */
export function looksLikePrivateKey(text: string): boolean {
  if (/^PuTTY-User-Key-File-[23]: /m.test(text) && /^Private-Lines: \d+/m.test(text)) {
    return true;
  }
  return PEM_LABELS.some((label) => {
    const begin = text.indexOf(`-----BEGIN ${label}-----`);
    const end = text.indexOf(`-----END ${label}-----`);
    return begin !== -1 && end > begin;
  });
}

/**
 * Expands `~` / `~/…` against the home directory and requires an absolute path: the backend's
 * working directory is arbitrary, so a relative path would mean nothing stable.
 * Returns `{ error }` with the field message when the path cannot be used.
 */
export function expandKeyPath(
  input: string,
  homedir: string,
  pathApi: path.PlatformPath = path,
): { path: string } | { error: string } {
  let expanded = input;
  if (input === '~') expanded = homedir;
  else if (input.startsWith('~/') || input.startsWith('~\\')) {
    expanded = pathApi.join(homedir, input.slice(2));
  }
  if (!pathApi.isAbsolute(expanded))
    return { error: 'must be an absolute path (or start with ~/)' };
  return { path: pathApi.normalize(expanded) };
}
