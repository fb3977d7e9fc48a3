/**
 * The image as an OCI image layout in one tar archive: `oci-layout`, `index.json` and
 * `blobs/sha256/<hex>` for the config, the manifest and each layer.
 *
 * The name: k3s imports every archive in its images directory with containerd's
 * `client.Import(…, WithAllPlatforms(true), WithSkipMissing())` and no name translator, and
 * containerd names an image from its index entry's `io.containerd.image.name` annotation, else
 * from `org.opencontainers.image.ref.name` as it stands (here that would be the bare tag). So the
 * index entry carries `io.containerd.image.name = nodeless.dev/meter:<version>`; `ctr images
 * import` honours the same annotation. When `oci-layout` is present containerd reads the archive
 * as an OCI layout and ignores a Docker `manifest.json`, so none is written.
 *
 * @see https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 * @see https://github.com/opencontainers/image-spec/blob/main/manifest.md
 * @see https://github.com/opencontainers/image-spec/blob/main/config.md
 * @see https://github.com/opencontainers/image-spec/blob/main/annotations.md
 * @see https://github.com/containerd/containerd/blob/main/client/import.go (imageName)
 * @see https://github.com/containerd/containerd/blob/main/core/images/archive/importer.go (ImportIndex)
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/containerd.go (preloadFile)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Blob, Layer } from './layer.ts';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** containerd's image-name annotation (images.AnnotationImageName). */
export const CONTAINERD_NAME = 'io.containerd.image.name';
export const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

export interface ImageSpec {
  /** `nodeless.dev/meter:<version>`. */
  readonly ref: string;
  readonly version: string;
  /** SOURCE_DATE_EPOCH: the `created` time. */
  readonly epoch: number;
  readonly user: string;
  readonly entrypoint: readonly string[];
  readonly env: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** One line per layer, for `history` (what made it). */
  readonly history: readonly string[];
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

export function imageConfig(spec: ImageSpec, layers: readonly Layer[]): Buffer {
  const created = new Date(spec.epoch * 1000).toISOString();
  return json({
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: spec.user,
      Entrypoint: spec.entrypoint,
      Env: spec.env,
      WorkingDir: '/',
      Labels: spec.labels,
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: spec.history.map((line) => ({ created, created_by: line })),
  });
}

export function imageManifest(spec: ImageSpec, config: Buffer, layers: readonly Blob[]): Buffer {
  return json({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: MEDIA.layerGzip, digest: l.digest, size: l.size })),
    annotations: {
      'org.opencontainers.image.created': new Date(spec.epoch * 1000).toISOString(),
      'org.opencontainers.image.version': spec.version,
    },
  });
}

export function imageIndex(spec: ImageSpec, manifest: Buffer): Buffer {
  return json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      {
        mediaType: MEDIA.manifest,
        digest: sha256(manifest),
        size: manifest.length,
        platform: { architecture: 'amd64', os: 'linux' },
        annotations: { [CONTAINERD_NAME]: spec.ref, [OCI_REF_NAME]: spec.version },
      },
    ],
  });
}

/**
 * Writes the layout into `dir` (moving the layer files into `blobs/`); resolves with the
 * manifest's digest, which names the image.
 */
export async function writeLayout(
  dir: string,
  spec: ImageSpec,
  layers: readonly Layer[],
): Promise<string> {
  const blobs = path.join(dir, 'blobs/sha256');
  await fs.mkdir(blobs, { recursive: true });
  const config = imageConfig(spec, layers);
  const manifest = imageManifest(spec, config, layers);
  const hex = (d: string) => d.slice('sha256:'.length);
  for (const layer of layers) await fs.rename(layer.path, path.join(blobs, hex(layer.digest)));
  for (const b of [config, manifest]) await fs.writeFile(path.join(blobs, hex(sha256(b))), b);
  await fs.writeFile(path.join(dir, 'oci-layout'), json({ imageLayoutVersion: '1.0.0' }));
  await fs.writeFile(path.join(dir, 'index.json'), imageIndex(spec, manifest));
  for (const f of await fs.readdir(blobs)) await fs.chmod(path.join(blobs, f), 0o644);
  for (const f of ['oci-layout', 'index.json']) await fs.chmod(path.join(dir, f), 0o644);
  for (const d of [dir, path.join(dir, 'blobs'), blobs]) await fs.chmod(d, 0o755);
  return sha256(manifest);
}
