/**
 * The content of the archives that stand in for upstream's: a Kata static tarball
 * (`opt/kata/…`) and a k3s airgap images archive (an OCI image layout containerd can import).
 *
 * @see https://github.com/kata-containers/kata-containers/blob/main/docs/install/kata-containers-3.0-rust-runtime-installation-guide.md
 * @see https://github.com/kata-containers/kata-containers/tree/main/tools/packaging/static-build
 * @see https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 * @see https://docs.k3s.io/installation/airgap#manually-deploy-images-method
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { KATA_VERSION, STAND_IN } from '../standin/versions.ts';

/** The three hypervisor flavours Nodeless configures as runtime handlers (DESIGN.md §4 step 9). */
export const KATA_HYPERVISORS = {
  clh: 'cloud-hypervisor',
  qemu: 'qemu-system-x86_64',
  fc: 'firecracker',
} as const;

function configurationToml(kind: keyof typeof KATA_HYPERVISORS): string {
  const section = kind === 'fc' ? 'firecracker' : kind;
  return `# Kata Containers ${KATA_VERSION} configuration-${kind}.toml — ${STAND_IN} (nodeless testkit)
# Same location and main keys as upstream; the stand-in runtime does not start VMs.
[hypervisor.${section}]
path = "/opt/kata/bin/${KATA_HYPERVISORS[kind]}"
kernel = "/opt/kata/share/kata-containers/vmlinux.container"
image = "/opt/kata/share/kata-containers/kata-containers.img"
default_vcpus = 1
default_memory = 2048
${kind === 'fc' ? 'jailer_path = "/opt/kata/bin/jailer"\n' : ''}
[agent.kata]
dial_timeout = 45

[runtime]
internetworking_model = "tcfilter"
sandbox_cgroup_only = ${kind === 'fc' ? 'false' : 'true'}
static_sandbox_resource_mgmt = ${kind === 'fc' ? 'true' : 'false'}
`;
}

/** Writes the Kata tree under `root` (to be tarred as `./opt/kata/…`). */
export async function writeKataTree(root: string, runtimeScript: string): Promise<void> {
  const bin = path.join(root, 'opt/kata/bin');
  const defaults = path.join(root, 'opt/kata/share/defaults/kata-containers');
  await fs.mkdir(bin, { recursive: true });
  await fs.mkdir(defaults, { recursive: true });
  await fs.mkdir(path.join(root, 'opt/kata/share/kata-containers'), { recursive: true });
  // One script, two names: it dispatches on argv[1]'s basename.
  for (const name of ['kata-runtime', 'containerd-shim-kata-v2']) {
    await fs.writeFile(path.join(bin, name), runtimeScript, { mode: 0o755 });
  }
  for (const kind of Object.keys(KATA_HYPERVISORS) as Array<keyof typeof KATA_HYPERVISORS>) {
    await fs.writeFile(path.join(defaults, `configuration-${kind}.toml`), configurationToml(kind));
  }
  await fs.writeFile(
    path.join(root, 'opt/kata/share/kata-containers/STAND-IN'),
    `Kata Containers ${KATA_VERSION} ${STAND_IN}: no guest kernel or image inside.\n`,
  );
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** An empty, valid OCI image, named as each airgap image it stands in for, as an OCI image layout. */
export async function writeImagesLayout(root: string): Promise<string[]> {
  const blobs = path.join(root, 'blobs/sha256');
  await fs.mkdir(blobs, { recursive: true });
  // An empty tar (two zero blocks), gzipped with a fixed header so the digest is stable.
  const layerTar = Buffer.alloc(1024);
  const layer = gzipSync(layerTar, { level: 9 });
  layer.writeUInt32LE(0, 4);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/pause'], Labels: { 'dev.nodeless.testkit': STAND_IN } },
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layerTar)}`] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${sha(config)}`,
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: `sha256:${sha(layer)}`,
          size: layer.length,
        },
      ],
    }),
  );
  for (const b of [layer, config, manifest]) await fs.writeFile(path.join(blobs, sha(b)), b);
  // What the product needs from k3s's airgap images: the pause image and the busybox the
  // smoke test runs (upstream's list: k3s scripts/airgap/image-list.txt).
  const images = [
    'docker.io/rancher/mirrored-pause:3.6',
    'docker.io/rancher/mirrored-library-busybox:1.37.0',
  ];
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: images.map((name) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${sha(manifest)}`,
      size: manifest.length,
      annotations: {
        'io.containerd.image.name': name,
        'org.opencontainers.image.ref.name': name.split(':').pop() ?? 'latest',
      },
      platform: { architecture: 'amd64', os: 'linux' },
    })),
  };
  await fs.writeFile(
    path.join(root, 'oci-layout'),
    JSON.stringify({ imageLayoutVersion: '1.0.0' }),
  );
  await fs.writeFile(path.join(root, 'index.json'), JSON.stringify(index));
  return images;
}
