/**
 * The airgap bundle's `manifest.json`, parsed on the product side (the source of truth for
 * what we upload): versions, images, and every file's name, sha256 and size. File roles are
 * taken from upstream release asset names, never from free text: `k3s` (the k3s release
 * binary), `k3s-airgap-images-<arch>.tar[.zst|.gz]`, `kata-static-<ver>-<arch>.tar.(xz|zst)`
 * (naming has varied upstream: `amd64`/`x86_64`, xz/zst), Kata ≥ 4.1's separate Go-runtime
 * tarball `kata-go-static-<ver>-<arch>.tar.zst` (the one with the Go shim and Firecracker; see
 * steps/kata-assets.ts), and gVisor's `runsc` + `containerd-shim-runsc-v1`. Nodeless's own image
 * archive, the meter's `nodeless-meter-<version>.tar` (an OCI layout archive built by
 * meter/scripts/build-image.ts, named by cluster-runtime's `meterImageArchive`), is staged into
 * k3s's images directory like k3s's own airgap images.
 *
 * @see https://docs.k3s.io/installation/airgap
 * @see https://github.com/k3s-io/k3s/releases — asset names, sha256sum-<arch>.txt
 * @see https://github.com/kata-containers/kata-containers/releases — kata-static tarballs
 * @see https://gvisor.dev/docs/user_guide/install/#install-latest — runsc, containerd-shim-runsc-v1
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BootstrapError } from './errors.ts';

const fileSchema = z.object({
  name: z
    .string()
    .min(1)
    .refine((n) => path.basename(n) === n && n !== '..', 'must be a plain file name'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256'),
  size: z.number().int().nonnegative(),
});

export const bundleManifestSchema = z.looseObject({
  schemaVersion: z.literal(1),
  arch: z.string().default('amd64'),
  versions: z.looseObject({
    k3s: z.string().min(1),
    kata: z.string().optional(),
    gvisor: z.string().optional(),
  }),
  images: z.array(z.string()).default([]),
  files: z.array(z.looseObject(fileSchema.shape)).min(1),
});

export type BundleManifest = z.infer<typeof bundleManifestSchema>;

/** What a bundle file is for, from its upstream asset name. */
export type ArtifactRole =
  | 'k3s'
  | 'k3s-images'
  | 'meter-image'
  | 'kata-static'
  | 'kata-go-static'
  | 'runsc'
  | 'runsc-shim'
  | 'other';

export interface BundleArtifact {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly role: ArtifactRole;
  /** Absolute path of the file on the desktop. */
  readonly localPath: string;
}

/** Classifies an upstream asset name. */
export function artifactRole(name: string): ArtifactRole {
  if (name === 'k3s' || /^k3s-(arm64|armhf|s390x)$/.test(name)) return 'k3s';
  if (/^k3s-airgap-images-[a-z0-9_]+\.tar(\.zst|\.gz)?$/.test(name)) return 'k3s-images';
  if (/^nodeless-meter-[0-9A-Za-z][0-9A-Za-z.+_-]*\.tar$/.test(name)) return 'meter-image';
  if (/^kata-static-.+-(amd64|x86_64|arm64|aarch64|s390x|ppc64le)\.tar\.(xz|zst)$/.test(name))
    return 'kata-static';
  if (/^kata-go-static-.+-(amd64|arm64|s390x|ppc64le)\.tar\.zst$/.test(name))
    return 'kata-go-static';
  if (name === 'runsc') return 'runsc';
  if (name === 'containerd-shim-runsc-v1') return 'runsc-shim';
  return 'other';
}

/** Reads and validates `<dir>/manifest.json`. */
export async function loadBundle(
  dir: string,
): Promise<{ manifest: BundleManifest; artifacts: BundleArtifact[] }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new BootstrapError(`No readable manifest.json in the bundle at ${dir}.`, {
      remedy: 'Point Nodeless at the directory of an airgap bundle (it holds manifest.json).',
    });
  }
  return parseBundle(text, dir);
}

/** Parses a manifest's text; `dir` resolves file paths. */
export function parseBundle(
  text: string,
  dir: string,
): { manifest: BundleManifest; artifacts: BundleArtifact[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BootstrapError('The bundle manifest.json is not valid JSON.', {
      remedy: 'Rebuild or re-copy the bundle.',
    });
  }
  const parsed = bundleManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BootstrapError(
      `The bundle manifest.json is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}.`,
      { remedy: 'Rebuild or re-copy the bundle.' },
    );
  }
  const manifest = parsed.data;
  const artifacts = manifest.files.map((f) => ({
    name: f.name,
    sha256: f.sha256,
    size: f.size,
    role: artifactRole(f.name),
    localPath: path.join(dir, f.name),
  }));
  if (!artifacts.some((a) => a.role === 'k3s')) {
    throw new BootstrapError('The bundle has no k3s binary.', {
      remedy: 'Use a bundle built for this Nodeless version (it carries the k3s release binary).',
    });
  }
  return { manifest, artifacts };
}

/**
 * A file outside any bundle staged the same way (the meter's image archive on an online
 * install): its sha256 and size are computed here, so the upload checks against them.
 */
export async function localArtifact(file: string): Promise<BundleArtifact> {
  const name = path.basename(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new BootstrapError(`${file} is missing.`, {
      remedy: name.startsWith('nodeless-meter-')
        ? 'Build the meter image (npm run build:meter-image) or reinstall Nodeless.'
        : 'Check the path.',
    });
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { name, sha256: hash.digest('hex'), size, role: artifactRole(name), localPath: file };
}
