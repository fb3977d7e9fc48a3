/**
 * Checks that a path names a readable SSH private key, without keeping or logging its content.
 * Accepted: OpenSSH (`BEGIN OPENSSH PRIVATE KEY`), PEM RSA/EC/DSA (traditional, possibly
 * encrypted with `Proc-Type`), PKCS#8 plain or encrypted, and PuTTY `.ppk` files — the formats
 * ssh2 can load.
 *
 * @see https://github.com/mscdex/ssh2/blob/master/lib/protocol/keyParser.js
 * @see https://www.rfc-editor.org/rfc/rfc7468 (PEM labels)
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Private keys are a few KiB; anything much bigger is not one and is not read whole. */
const MAX_KEY_BYTES = 64 * 1024;
const PEM_LABELS = [
  'OPENSSH PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
];

export interface KeyFileFs {
  stat(file: string): Promise<{ isFile(): boolean; size: number }>;
  readFile(file: string): Promise<Buffer>;
}

/**
 * Returns an error message for the `auth.keyPath` field, or undefined when the file is a
 * private key. `file` must already be absolute (see {@link expandKeyPath}).
 */
export async function checkPrivateKeyFile(
  file: string,
  io: KeyFileFs = fs,
): Promise<string | undefined> {
  let size: number;
  try {
    const stat = await io.stat(file);
    if (!stat.isFile()) return `no file at ${file}`;
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `cannot read ${file} (permission denied)`;
    return `no file at ${file}`;
  }
  if (size > MAX_KEY_BYTES) return 'is not a private key';
  let text: string;
  try {
    text = (await io.readFile(file)).toString('utf8');
  } catch {
    return `cannot read ${file} (permission denied)`;
  }
  return looksLikePrivateKey(text) ? undefined : 'is not a private key';
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
