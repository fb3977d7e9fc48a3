/**
 * The meter's image, built by meter/scripts/build-image.ts: two builds give the same bytes, the
 * archive passes the checks containerd's import makes (as the stand-in k3s enforces them), and
 * the image runs — its layers unpacked into a root file system, `chroot`ed into as the image's
 * user, the config's Entrypoint answers `--help` with nothing but the image's own node binary and
 * libraries (an empty environment: no host PATH, no host libraries).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterImage } from '@nodeless/cluster-runtime';
import { importArchive } from '../../testkit/src/standin/k3s/containerd/images.ts';
import { requireOrSkip } from '../../testkit/src/test-support/require-or-skip.ts';
import { buildMeterImage, type BuiltImage } from '../scripts/image/build.ts';

const exec = promisify(execFile);
const TOOLS = ['/usr/bin/apt-get', '/usr/bin/dpkg-deb', '/usr/bin/gzip', '/usr/sbin/chroot'];
const missing = TOOLS.filter((t) => !fs.existsSync(t) && !fs.existsSync(t.replace('/usr', '')));
const isRoot = process.getuid?.() === 0;
const skip = requireOrSkip(
  `building and chroot-running the meter image needs root and ${TOOLS.join(', ')} (missing: ${missing.join(', ') || 'none'}; root: ${isRoot})`,
  isRoot && missing.length === 0,
);

interface Json {
  [k: string]: unknown;
}
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;

describe.skipIf(skip)('meter image', () => {
  let work: string;
  let first: BuiltImage;
  let second: BuiltImage;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'meter-image-test-'));
    // Two independent builds (separate work and output dirs; downloads cached by version).
    first = await buildMeterImage({ outDir: path.join(work, 'a') });
    second = await buildMeterImage({ outDir: path.join(work, 'b') });
  }, 240_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('is reproducible: two builds give the same archive and image digest', () => {
    expect(second.digest).toBe(first.digest);
    expect(second.archiveSha256).toBe(first.archiveSha256);
    expect(fs.readFileSync(second.archive).equals(fs.readFileSync(first.archive))).toBe(true);
    expect(first.ref).toBe(meterImage());
  });

  it("imports as containerd would (the stand-in k3s's checks), under its name and digest", () => {
    expect(importArchive(fs.readFileSync(first.archive))).toEqual({
      ok: true,
      images: [
        {
          names: [meterImage(), `nodeless.dev/meter@${first.digest}`],
          sizeBytes: expect.any(Number) as unknown,
        },
      ],
    });
  });

  it('runs from its own layers only, as its non-root user', async () => {
    const layout = path.join(work, 'layout');
    const rootfs = path.join(work, 'rootfs');
    fs.mkdirSync(layout);
    fs.mkdirSync(rootfs);
    await exec('tar', ['-xf', first.archive, '-C', layout]);
    const blob = (digest: string) => path.join(layout, 'blobs/sha256', digest.slice(7));

    const index = readJson(path.join(layout, 'index.json')) as {
      manifests: Array<{ digest: string; annotations: Record<string, string> }>;
    };
    expect(index.manifests).toHaveLength(1);
    const entryDesc = index.manifests[0];
    if (!entryDesc) throw new Error('index.json lists no manifest');
    expect(entryDesc.digest).toBe(first.digest);
    expect(entryDesc.annotations['io.containerd.image.name']).toBe(meterImage());

    const manifest = readJson(blob(entryDesc.digest)) as {
      config: { digest: string };
      layers: Array<{ digest: string; mediaType: string }>;
    };
    const config = readJson(blob(manifest.config.digest)) as {
      config: { User: string; Entrypoint: string[] };
      rootfs: { diff_ids: string[] };
    };
    expect(config.config.User).toBe('65532:65532');
    expect(config.rootfs.diff_ids).toHaveLength(manifest.layers.length);
    for (const layer of manifest.layers) {
      expect(layer.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
      await exec('tar', ['-xzf', blob(layer.digest), '-C', rootfs]);
    }

    const [uid, gid] = config.config.User.split(':');
    const [node = ''] = config.config.Entrypoint;
    const { stdout } = await exec(
      '/usr/sbin/chroot',
      [`--userspec=${uid}:${gid}`, rootfs, ...config.config.Entrypoint, '--help'],
      { env: {} },
    );
    expect(stdout).toContain('Usage: meter [options]');
    expect(stdout).toContain('--lease-name');
    // The node binary's libraries resolve inside the image (nothing of the host's is visible).
    const { stdout: v } = await exec(
      '/usr/sbin/chroot',
      [`--userspec=${uid}:${gid}`, rootfs, node, '-p', 'process.getuid()'],
      { env: {} },
    );
    expect(v.trim()).toBe(uid);
  });
});
