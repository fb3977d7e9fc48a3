/**
 * The airgap bundle of stand-ins, in the layout of upstream release assets:
 *
 * ```
 * <out>/k3s                                   stand-in binary, self-extracting (→ /usr/local/bin/k3s)
 * <out>/k3s-airgap-images-amd64.tar.zst       images archive (→ /var/lib/rancher/k3s/agent/images/)
 * <out>/nodeless-meter-<ver>.tar              the meter's real OCI image archive (→ the same images dir)
 * <out>/kata-static-<ver>-amd64.tar.xz        Kata static tarball (tar -xJf … -C / → /opt/kata)
 * <out>/runsc, runsc.sha512                   gVisor release binary + its sha512sum line (→ /usr/local/bin)
 * <out>/containerd-shim-runsc-v1[.sha512]     gVisor containerd shim, same (→ /usr/local/bin)
 * <out>/sha256sum-amd64.txt                   like k3s's release checksum file
 * <out>/manifest.json                         versions, and every file's sha256 and size
 * ```
 *
 * @see https://docs.k3s.io/installation/airgap
 * @see https://github.com/k3s-io/k3s/releases (asset names)
 * @see https://github.com/kata-containers/kata-containers/releases (kata-static-<ver>-amd64)
 * @see https://gvisor.dev/docs/user_guide/install/#install-latest (runsc, shim, `.sha512` files)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand, type CommandRunner } from '../hosts/run.ts';
import { GVISOR_VERSION, K3S_VERSION, KATA_VERSION, STAND_IN } from '../standin/versions.ts';
import { tarDir } from './archive.ts';
import { ensureControlPlane } from '../control-plane/build.ts';
import { cacheRoot } from '../hosts/paths.ts';
import { bundleScript } from './build.ts';
import { writeK3sBinary } from './k3s-binary.ts';
import { writeImagesLayout, writeKataTree } from './layout.ts';
import { ensureMeterImage } from './meter-image.ts';
import { meterImage, meterImageArchive } from '@nodeless/cluster-runtime';

export interface BundleFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  /** Where the airgap install puts it. */
  readonly installTo: string;
}

export interface BundleManifest {
  readonly schemaVersion: 1;
  readonly standIn: true;
  readonly arch: 'amd64';
  readonly versions: { readonly k3s: string; readonly kata: string; readonly gvisor: string };
  readonly images: readonly string[];
  readonly files: readonly BundleFile[];
}

export const K3S_FILE = 'k3s';
export const IMAGES_FILE = 'k3s-airgap-images-amd64.tar.zst';
export const KATA_FILE = `kata-static-${KATA_VERSION}-amd64.tar.xz`;
export const RUNSC_FILE = 'runsc';
export const RUNSC_SHIM_FILE = 'containerd-shim-runsc-v1';

/** A `.sha512` file as gVisor publishes it: `sha512sum` output, checked with `sha512sum -c`. */
const sha512Line = (data: Buffer, name: string) =>
  `${createHash('sha512').update(data).digest('hex')}  ${name}\n`;

/** Writes the bundle into `outDir` (created if needed) and returns its manifest. */
export async function writeBundle(options: {
  outDir: string;
  run?: CommandRunner;
  /**
   * `real` (default): the k3s stand-in carries the real control plane (built from Go modules
   * when not cached) and serves it; `kube-sim`: it carries none and serves kube-sim.
   */
  apiServer?: 'real' | 'kube-sim';
  /** Include the meter's image archive (default true; built once and cached). */
  meterImage?: boolean;
}): Promise<BundleManifest> {
  const run = options.run ?? runCommand;
  const out = path.resolve(options.outDir);
  await fs.mkdir(out, { recursive: true });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'nodeless-bundle-'));
  try {
    const binDir =
      options.apiServer === 'kube-sim' ? undefined : (await ensureControlPlane()).binDir;
    await writeK3sBinary({
      out: path.join(out, K3S_FILE),
      script: await bundleScript('k3s/entry.ts'),
      cache: cacheRoot(),
      run,
      ...(binDir ? { binDir } : {}),
    });

    const kataRoot = path.join(work, 'kata');
    await writeKataTree(kataRoot, await bundleScript('kata/entry.ts'));
    await tarDir(run, kataRoot, path.join(out, KATA_FILE), 'xz');

    // One script, two names (it dispatches on its basename), as the Kata stand-in does.
    const runsc = Buffer.from(await bundleScript('gvisor/entry.ts'));
    for (const name of [RUNSC_FILE, RUNSC_SHIM_FILE]) {
      await fs.writeFile(path.join(out, name), runsc, { mode: 0o755 });
      await fs.chmod(path.join(out, name), 0o755);
      await fs.writeFile(path.join(out, `${name}.sha512`), sha512Line(runsc, name));
    }

    const imagesRoot = path.join(work, 'images');
    const images = await writeImagesLayout(imagesRoot);
    await tarDir(run, imagesRoot, path.join(out, IMAGES_FILE), 'zstd');
    const withMeter = options.meterImage !== false;
    const meterFile = meterImageArchive();
    if (withMeter)
      await fs.copyFile(await ensureMeterImage(cacheRoot()), path.join(out, meterFile));

    const installTo: Record<string, string> = {
      [K3S_FILE]: '/usr/local/bin/k3s',
      [IMAGES_FILE]: `/var/lib/rancher/k3s/agent/images/${IMAGES_FILE}`,
      [meterFile]: `/var/lib/rancher/k3s/agent/images/${meterFile}`,
      [KATA_FILE]: '/ (tar -xJf; unpacks to /opt/kata)',
      [RUNSC_FILE]: '/usr/local/bin/runsc',
      [RUNSC_SHIM_FILE]: '/usr/local/bin/containerd-shim-runsc-v1',
      [`${RUNSC_FILE}.sha512`]: '— (sha512sum -c)',
      [`${RUNSC_SHIM_FILE}.sha512`]: '— (sha512sum -c)',
    };
    const files: BundleFile[] = [];
    const names = [
      K3S_FILE,
      IMAGES_FILE,
      ...(withMeter ? [meterFile] : []),
      KATA_FILE,
      RUNSC_FILE,
      RUNSC_SHIM_FILE,
    ];
    for (const name of [...names, `${RUNSC_FILE}.sha512`, `${RUNSC_SHIM_FILE}.sha512`]) {
      const data = await fs.readFile(path.join(out, name));
      files.push({
        name,
        sha256: createHash('sha256').update(data).digest('hex'),
        size: data.length,
        installTo: installTo[name] ?? '',
      });
    }
    await fs.writeFile(
      path.join(out, 'sha256sum-amd64.txt'),
      files
        .filter((f) => names.includes(f.name))
        .map((f) => `${f.sha256}  ${f.name}\n`)
        .join(''),
    );
    const manifest: BundleManifest = {
      schemaVersion: 1,
      standIn: true,
      arch: 'amd64',
      versions: {
        k3s: `${K3S_VERSION}-${STAND_IN}`,
        kata: `${KATA_VERSION}-${STAND_IN}`,
        gvisor: `${GVISOR_VERSION}-${STAND_IN}`,
      },
      images: withMeter ? [...images, meterImage()] : images,
      files,
    };
    await fs.writeFile(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
