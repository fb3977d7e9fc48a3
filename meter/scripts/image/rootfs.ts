/**
 * The image's file trees, one per layer, ordered from what changes least to what changes most
 * (a new meter build changes only the last, small layer):
 *
 * 1. `base`: Debian's libc6, libgcc-s1 and libstdc++6 as their .debs install them (`dpkg-deb
 *    -x`: the files, modes and symlinks of each package, including its copyright file), plus
 *    `/etc/passwd` and `/etc/group` naming root and `nonroot` (uid/gid 65532, as distroless
 *    does) and a world-writable sticky `/tmp`. No shell, no package manager.
 * 2. `node`: the official Node.js binary at `/usr/local/bin/node` and its licence.
 * 3. `meter`: the meter bundled into one file at {@link METER_SCRIPT}.
 *
 * Every mode is set explicitly, so the caller's umask never reaches the image.
 *
 * @see https://manpages.debian.org/bookworm/dpkg/dpkg-deb.1.en.html (--extract)
 * @see https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md (nonroot 65532)
 * @see https://man7.org/linux/man-pages/man5/passwd.5.html
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { NodeRuntimeFiles } from './fetch.ts';
import type { Runner } from './run.ts';

export const NODE_BIN = '/usr/local/bin/node';
export const METER_SCRIPT = '/opt/nodeless/meter/meter.mjs';
export const NONROOT = 'nonroot';

/** Writes `content` at `root` + `file` with `mode`, creating parent dirs 0755. */
async function put(
  root: string,
  file: string,
  content: Buffer | string,
  mode: number,
): Promise<void> {
  const target = path.join(root, file);
  await mkdirs(root, path.dirname(file));
  await fs.writeFile(target, content);
  await fs.chmod(target, mode);
}

/** Creates `dir` (absolute inside the image) under `root`, every level 0755. */
async function mkdirs(root: string, dir: string): Promise<void> {
  let at = root;
  for (const part of dir.split('/').filter(Boolean)) {
    at = path.join(at, part);
    await fs.mkdir(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await fs.chmod(at, 0o755);
  }
}

export function passwdFile(uid: number): string {
  return `root:x:0:0:root:/root:/usr/sbin/nologin\n${NONROOT}:x:${uid}:${uid}:${NONROOT}:/nonexistent:/usr/sbin/nologin\n`;
}

export function groupFile(uid: number): string {
  return `root:x:0:\n${NONROOT}:x:${uid}:\n`;
}

/** Layer 1: the shared libraries, the users, /tmp. */
export async function baseTree(
  root: string,
  debs: readonly string[],
  uid: number,
  run: Runner,
): Promise<void> {
  await fs.mkdir(root, { recursive: true });
  for (const deb of debs) await run('dpkg-deb', ['-x', deb, root]);
  await put(root, '/etc/passwd', passwdFile(uid), 0o644);
  await put(root, '/etc/group', groupFile(uid), 0o644);
  await mkdirs(root, '/tmp');
  await fs.chmod(path.join(root, 'tmp'), 0o1777);
}

/** Copies `from` to `root` + `file` with `mode`. */
async function copy(root: string, from: string, file: string, mode: number): Promise<void> {
  const target = path.join(root, file);
  await mkdirs(root, path.dirname(file));
  await fs.copyFile(from, target);
  await fs.chmod(target, mode);
}

/** Layer 2: the Node.js runtime. */
export async function nodeTree(root: string, files: NodeRuntimeFiles): Promise<void> {
  await copy(root, files.node, NODE_BIN, 0o755);
  await copy(root, files.license, '/usr/local/share/doc/node/LICENSE', 0o644);
}

/** Layer 3: the bundled meter. */
export async function meterTree(root: string, script: string): Promise<void> {
  await put(root, METER_SCRIPT, script, 0o644);
}
