/**
 * Writes a kubeconfig file the way kubectl users expect it to be safe: mode 0600 (it holds
 * credentials), written atomically (temporary file in the same directory, fsync, rename) so a
 * crash never leaves half a file, and merged into an existing kubeconfig so other clusters'
 * contexts survive. What may be written at all is decided by {@link inspectExportTarget}.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 * @see https://man7.org/linux/man-pages/man2/rename.2.html (atomic replace within a filesystem)
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  inspectExportTarget,
  KubeconfigTargetError,
  type KubeconfigFileSystem,
} from './export-target.ts';
import { mergeKubeconfigs } from './k3s-kubeconfig.ts';

export {
  isKubeconfigText,
  KubeconfigTargetError,
  type KubeconfigFileSystem,
  type KubeconfigTargetProblem,
} from './export-target.ts';

export interface WriteKubeconfigOptions {
  /**
   * The user confirmed writing into an existing *empty* file (not a kubeconfig, so there is
   * nothing to merge; without this the write is refused with `needs-confirmation`).
   */
  confirmPlainFile?: boolean;
  /** @deprecated An existing kubeconfig is always merged; accepted for older callers. */
  merge?: boolean;
  fs?: KubeconfigFileSystem;
}

/**
 * Writes `text` to `path` with mode 0600, atomically: a new file, merged into an existing
 * kubeconfig (same names replaced, current-context switched), or into a confirmed empty file.
 * Anything else throws a {@link KubeconfigTargetError} and leaves the target untouched.
 */
export async function writeKubeconfigFile(
  path: string,
  text: string,
  options: WriteKubeconfigOptions = {},
): Promise<{ path: string; merged: boolean }> {
  const fs = options.fs ?? nodeFs;
  const target = await inspectExportTarget(path, fs);
  let content = text;
  if (target.kind === 'kubeconfig') {
    try {
      content = mergeKubeconfigs(target.text, text);
    } catch {
      // Never the parser's message: it quotes the file.
      throw new KubeconfigTargetError('not-kubeconfig', 'is not a kubeconfig Nodeless can merge');
    }
  } else if (target.kind === 'empty' && options.confirmPlainFile !== true) {
    throw new KubeconfigTargetError(
      'needs-confirmation',
      'is an existing empty file, not a kubeconfig. Confirm to write the kubeconfig into it.',
    );
  }
  await writeAtomically(target.path, content, fs);
  return { path: target.path, merged: target.kind === 'kubeconfig' };
}

async function writeAtomically(path: string, content: string, fs: KubeconfigFileSystem) {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // ~/.kube does not exist on a fresh machine; create it private like kubectl does.
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask may have narrowed the create mode; the contract is exactly 0600.
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw unwritable(e);
  }
}

/** The reason only: the error's own message names the temporary file. */
function unwritable(e: unknown): KubeconfigTargetError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'read-only file system'
        : code === 'ENOSPC'
          ? 'no space left on the disk'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a part of the path is not a folder'
            : (code ?? 'error');
  return new KubeconfigTargetError('unwritable', `cannot be written (${reason})`);
}
