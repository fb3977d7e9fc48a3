import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeImagesLayout } from '../../../bundle/layout.ts';
import { importArchive, normalizeDocker, preloadImages } from './images.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-images-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A valid OCI layout (the bundle's stand-in airgap images) in `<dir>/layout`. */
async function layout(): Promise<string> {
  const root = path.join(dir, 'layout');
  await writeImagesLayout(root);
  return root;
}
const tarOf = (root: string, out = path.join(dir, 'out.tar')): Buffer => {
  execFileSync('tar', ['-C', root, '-cf', out, '.']);
  return fs.readFileSync(out);
};
const blobs = (root: string) => path.join(root, 'blobs/sha256');
const editIndex = (
  root: string,
  edit: (ix: { manifests: Array<Record<string, unknown>> }) => void,
) => {
  const file = path.join(root, 'index.json');
  const ix = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    manifests: Array<Record<string, unknown>>;
  };
  edit(ix);
  fs.writeFileSync(file, JSON.stringify(ix));
};

describe("the stand-in's image import (containerd's importer + k3s's retag)", () => {
  it('imports a valid OCI layout under its io.containerd.image.name names', async () => {
    const r = importArchive(tarOf(await layout()));
    expect(r.ok && r.images.map((i) => i.names[0])).toEqual([
      'docker.io/rancher/mirrored-pause:3.6',
      'docker.io/rancher/mirrored-library-busybox:1.37.0',
    ]);
    expect(r.ok && r.images[0]?.names[1]).toMatch(/^docker\.io\/rancher\/mirrored-pause@sha256:/);
  });

  it('refuses a blob whose content is not its digest (the manifest then points at nothing)', async () => {
    const root = await layout();
    const [victim] = fs
      .readdirSync(blobs(root))
      .filter((f) => fs.statSync(path.join(blobs(root), f)).size > 100);
    fs.appendFileSync(path.join(blobs(root), victim ?? ''), 'x');
    const r = importArchive(tarOf(root));
    expect(r).toEqual({
      ok: false,
      error: expect.stringMatching(/^content digest sha256:[0-9a-f]{64}: not found/) as unknown,
    });
  });

  it('refuses an archive missing a layer, the index, or with another layout version', async () => {
    const root = await layout();
    const gz = fs
      .readdirSync(blobs(root))
      .find((f) => fs.readFileSync(path.join(blobs(root), f))[0] === 0x1f);
    fs.rmSync(path.join(blobs(root), gz ?? ''));
    expect(importArchive(tarOf(root))).toEqual({
      ok: false,
      error: `content digest sha256:${gz}: not found`,
    });

    const noIndex = await layoutAgain('noindex');
    fs.rmSync(path.join(noIndex, 'index.json'));
    expect(importArchive(tarOf(noIndex))).toEqual({
      ok: false,
      error: 'missing index.json in OCI layout 1.0.0',
    });

    const v2 = await layoutAgain('v2');
    fs.writeFileSync(path.join(v2, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '2.0.0' }));
    expect(importArchive(tarOf(v2))).toEqual({ ok: false, error: 'unsupported OCI version 2.0.0' });
  });

  it('refuses an image named only by org.opencontainers.image.ref.name (k3s cannot retag it)', async () => {
    const root = await layout();
    editIndex(root, (ix) => {
      for (const m of ix.manifests)
        m['annotations'] = { 'org.opencontainers.image.ref.name': '0.1.0' };
    });
    expect(importArchive(tarOf(root))).toEqual({
      ok: false,
      error: 'failed to retag images: failed to parse tag for image 0.1.0',
    });
  });

  it('refuses what is no image archive at all', () => {
    expect(importArchive(Buffer.alloc(4096, 7))).toEqual({
      ok: false,
      error: 'archive/tar: invalid tar header',
    });
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'README'), 'hello');
    expect(importArchive(tarOf(empty))).toEqual({ ok: false, error: 'unrecognized image format' });
  });

  it('reads Docker archives (manifest.json) with normalised RepoTags', () => {
    const root = path.join(dir, 'docker');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'config.json'), '{}');
    fs.writeFileSync(path.join(root, 'layer.tar'), Buffer.alloc(1024));
    fs.writeFileSync(
      path.join(root, 'manifest.json'),
      JSON.stringify([{ Config: 'config.json', RepoTags: ['alpine:3'], Layers: ['layer.tar'] }]),
    );
    const r = importArchive(tarOf(root));
    expect(r.ok && r.images[0]?.names).toEqual(['docker.io/library/alpine:3']);
    expect(normalizeDocker('rancher/pause:3.6')).toBe('docker.io/rancher/pause:3.6');
    expect(normalizeDocker('nodeless.dev/meter:0.1.0')).toBe('nodeless.dev/meter:0.1.0');
  });

  it('preloads every archive of the images dir, logging a broken one as k3s does and going on', async () => {
    const images = path.join(dir, 'agent/images');
    fs.mkdirSync(images, { recursive: true });
    const root = await layout();
    execFileSync('sh', [
      '-c',
      `tar -C "${root}" -cf - . | zstd -q -o "${images}/k3s-airgap-images-amd64.tar.zst"`,
    ]);
    fs.writeFileSync(path.join(images, 'broken.tar'), Buffer.alloc(2048, 1));
    fs.writeFileSync(path.join(images, 'notes.md'), 'not an archive: ignored');
    const lines: string[] = [];
    const got = preloadImages(images, (level, msg) => lines.push(`${level} ${msg}`));
    expect(got.map((i) => i.names[0])).toEqual([
      'docker.io/rancher/mirrored-pause:3.6',
      'docker.io/rancher/mirrored-library-busybox:1.37.0',
    ]);
    const broken = path.join(images, 'broken.tar');
    expect(lines).toContain(
      `error Error encountered while importing ${broken}: failed to import images from ${broken}: archive/tar: invalid tar header`,
    );
    expect(lines.filter((l) => l.includes('notes.md'))).toEqual([]);
    expect(preloadImages(path.join(dir, 'absent'), () => undefined)).toEqual([]);
  });
});

async function layoutAgain(name: string): Promise<string> {
  const root = path.join(dir, name);
  await writeImagesLayout(root);
  return root;
}
