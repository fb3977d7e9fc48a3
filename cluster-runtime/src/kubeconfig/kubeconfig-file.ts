/**
 * Writes a kubeconfig file the way kubectl users expect it to be safe: mode 0600 (it holds
 * credentials), written atomically (temporary file in the same directory, fsync, rename) so a
 * crash never leaves half a file, and optionally merged into an existing kubeconfig so other
 * clusters' contexts survive.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 * @see https://man7.org/linux/man-pages/man2/rename.2.html (atomic replace within a filesystem)
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { mergeKubeconfigs } from './k3s-kubeconfig.ts';

/** The file operations used (inject a double in tests). */
export type KubeconfigFileSystem = Pick<
  typeof nodeFs,
  'readFile' | 'open' | 'rename' | 'chmod' | 'mkdir' | 'rm'
>;

async function readIfExists(fs: KubeconfigFileSystem, path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Writes `text` to `path` with mode 0600, atomically. With `merge`, an existing file is parsed
 * and `text`'s entries merged into it (same names replaced, current-context switched); a file
 * that is not a kubeconfig is left untouched and an error thrown.
 */
export async function writeKubeconfigFile(
  path: string,
  text: string,
  options: { merge?: boolean; fs?: KubeconfigFileSystem } = {},
): Promise<void> {
  const fs = options.fs ?? nodeFs;
  let content = text;
  if (options.merge) {
    const existing = await readIfExists(fs, path);
    if (existing !== undefined) {
      try {
        content = mergeKubeconfigs(existing, text);
      } catch (e) {
        throw new Error(
          `${path} exists but is not a kubeconfig (${e instanceof Error ? e.message : String(e)}); not overwriting it`,
          { cause: e },
        );
      }
    }
  }
  const dir = dirname(path);
  // ~/.kube does not exist on a fresh machine; create it private like kubectl does.
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
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
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
