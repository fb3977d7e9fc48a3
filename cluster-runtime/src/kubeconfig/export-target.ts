/**
 * What a kubeconfig export finds at its target path, decided before anything is written.
 *
 * The path comes from the user (or from anyone who can call the API), so the target may be
 * anything: a directory, a FIFO (opening it would block forever), `/etc/shadow`, a YAML file of
 * another program. Only three targets are written: a path where nothing exists yet, an existing
 * kubeconfig (merged, so its other contexts survive), and an existing empty file when the user
 * confirmed it. Everything else is refused with a reason that never quotes the file's content.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 * @see https://man7.org/linux/man-pages/man7/fifo.7.html (O_NONBLOCK open of a FIFO)
 */
import { constants } from 'node:fs';
import type * as nodeFs from 'node:fs/promises';
import { parse } from 'yaml';
import { parseKubeconfig } from './k3s-kubeconfig.ts';

/** The file operations used (inject a double in tests). */
export type KubeconfigFileSystem = Pick<
  typeof nodeFs,
  'lstat' | 'realpath' | 'open' | 'rename' | 'chmod' | 'mkdir' | 'rm'
>;

export type KubeconfigTargetProblem =
  'not-regular' | 'not-kubeconfig' | 'needs-confirmation' | 'unreadable' | 'unwritable';

/**
 * Why the target cannot be written. The message completes a sentence about the path field
 * ("path: is a directory, …") and never contains the target's content or a temporary path.
 */
export class KubeconfigTargetError extends Error {
  override readonly name = 'KubeconfigTargetError';
  constructor(
    readonly problem: KubeconfigTargetProblem,
    message: string,
  ) {
    super(message);
  }
}

export type ExportTarget =
  | { kind: 'new'; path: string }
  | { kind: 'empty'; path: string }
  | { kind: 'kubeconfig'; path: string; text: string };

/** Kubeconfigs are a few KiB; a bigger file is not read (and so not overwritten). */
export const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

/** Top-level keys of a kubeconfig (client-go's `clientcmd/api/v1.Config`). */
const KUBECONFIG_KEYS = new Set([
  'apiVersion',
  'kind',
  'preferences',
  'clusters',
  'users',
  'contexts',
  'current-context',
  'extensions',
]);

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

/**
 * Inspects `path`: follows a symbolic link to its real file (so the write replaces the file,
 * not the link), refuses what is not a regular file, and reads an existing file (bounded,
 * never blocking) to tell a kubeconfig from an empty file from anything else.
 */
export async function inspectExportTarget(
  path: string,
  fs: KubeconfigFileSystem,
): Promise<ExportTarget> {
  let stats;
  try {
    stats = await fs.lstat(path);
  } catch (e) {
    if (errno(e) === 'ENOENT') return { kind: 'new', path };
    throw unreadable(e);
  }
  let real = path;
  if (stats.isSymbolicLink()) {
    try {
      real = await fs.realpath(path);
      stats = await fs.lstat(real);
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw unreadable(e);
      throw new KubeconfigTargetError('not-regular', 'is a symbolic link to a missing file');
    }
  }
  if (!stats.isFile()) throw new KubeconfigTargetError('not-regular', notRegular(stats));
  const text = await readBounded(real, fs);
  if (text.trim() === '') return { kind: 'empty', path: real };
  if (!isKubeconfigText(text)) {
    throw new KubeconfigTargetError(
      'not-kubeconfig',
      'is an existing file that is not a kubeconfig; Nodeless does not overwrite it. Choose another file, or remove this one first.',
    );
  }
  return { kind: 'kubeconfig', path: real, text };
}

/** True for YAML that is a kubeconfig and nothing else (no foreign top-level keys). */
export function isKubeconfigText(text: string): boolean {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const record = doc as Record<string, unknown>;
  if (!Object.keys(record).every((key) => KUBECONFIG_KEYS.has(key))) return false;
  const named = ['clusters', 'users', 'contexts'].some((key) => key in record);
  if (record.kind !== 'Config' && !named) return false;
  try {
    parseKubeconfig(text);
    return true;
  } catch {
    return false;
  }
}

async function readBounded(file: string, fs: KubeconfigFileSystem): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: if a FIFO was swapped in after lstat, open and read return at once instead
    // of holding a worker thread forever. O_NOFOLLOW: `file` is already the real path.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    throw unreadable(e);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new KubeconfigTargetError('not-regular', notRegular(stats));
    const buffer = Buffer.alloc(MAX_KUBECONFIG_BYTES + 1);
    let length = 0;
    // Sizes from stat can lie (0 for /proc files); the bytes actually read decide.
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_KUBECONFIG_BYTES) {
      throw new KubeconfigTargetError(
        'not-kubeconfig',
        'is larger than 4 MiB, too large to be a kubeconfig; Nodeless does not overwrite it.',
      );
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    if (e instanceof KubeconfigTargetError) throw e;
    throw unreadable(e);
  } finally {
    await handle.close();
  }
}

function notRegular(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return 'is a folder; name a file inside it (for example …/config)';
  if (stats.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

function unreadable(e: unknown): KubeconfigTargetError {
  const code = errno(e);
  if (code === 'EACCES' || code === 'EPERM') {
    return new KubeconfigTargetError('unreadable', 'cannot be read (permission denied)');
  }
  if (code === 'ENOTDIR') {
    return new KubeconfigTargetError('unreadable', 'is below something that is not a folder');
  }
  if (code === 'ELOOP')
    return new KubeconfigTargetError('unreadable', 'is a loop of symbolic links');
  return new KubeconfigTargetError('unreadable', `cannot be read (${code ?? 'error'})`);
}
