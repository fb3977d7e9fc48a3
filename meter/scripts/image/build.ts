/**
 * Builds the meter's OCI image archive (`meter/dist/nodeless-meter-<version>.tar`) without a
 * container engine or a registry: pinned downloads (fetch.ts), three file trees (rootfs.ts),
 * reproducible layers (layer.ts), an OCI layout (oci.ts), all tarred reproducibly. The same
 * sources, pins and SOURCE_DATE_EPOCH give the same bytes, so the same digest.
 *
 * Needs, on a Debian 12 machine: npm, apt-get (with bookworm's package lists), dpkg-deb, GNU tar
 * and gzip — all part of a standard Debian install (scripts/dev.sh makes sure of the lists).
 *
 * @see https://reproducible-builds.org/docs/source-date-epoch/
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { METER_UID, METER_VERSION, meterImage, meterImageArchive } from '@nodeless/cluster-runtime';
import { bundleMeter, METER_DIR } from './bundle.ts';
import { fetchDebs, fetchNodeRuntime } from './fetch.ts';
import { blobOf, buildLayer, tarTree, type Layer } from './layer.ts';
import { writeLayout, type ImageSpec } from './oci.ts';
import { DEBIAN_PACKAGES, downloadsKey, NODE_RUNTIME } from './pins.ts';
import { baseTree, meterTree, METER_SCRIPT, NODE_BIN, nodeTree } from './rootfs.ts';
import { run as defaultRun, type Runner } from './run.ts';

export const DEFAULT_OUT_DIR = path.join(METER_DIR, 'dist');
/** Gitignored; downloads live in a subdirectory named after their pins. */
export const DEFAULT_CACHE_ROOT = path.join(METER_DIR, '.cache/image');

export interface BuildOptions {
  readonly outDir?: string;
  /** Root of the download cache (default meter/.cache/image). */
  readonly cacheRoot?: string;
  /** The meter's entry point (default meter/src/main.ts). */
  readonly entry?: string;
  /** SOURCE_DATE_EPOCH (default: the environment's, else 0). */
  readonly epoch?: number;
  readonly version?: string;
  readonly run?: Runner;
  /** One call per step, before it starts. */
  readonly progress?: (step: number, steps: number, what: string) => void;
}

export interface BuiltImage {
  readonly archive: string;
  /** sha256 of the archive file (what the airgap manifest and the upload check). */
  readonly archiveSha256: string;
  readonly size: number;
  /** The manifest's digest: the image's identity (`ctr images ls`, the pod's imageID). */
  readonly digest: string;
  readonly ref: string;
  readonly layers: readonly {
    readonly diffId: string;
    readonly digest: string;
    readonly size: number;
  }[];
}

/** SOURCE_DATE_EPOCH from the environment, else 0; an invalid value is an error. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['SOURCE_DATE_EPOCH'];
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds, got "${raw}"`);
  return Number(raw);
}

export function imageSpec(version: string, epoch: number): ImageSpec {
  const debs = DEBIAN_PACKAGES.map((p) => `${p.name}=${p.version}`).join(' ');
  return {
    ref: meterImage(version),
    version,
    epoch,
    user: `${METER_UID}:${METER_UID}`,
    entrypoint: [NODE_BIN, METER_SCRIPT],
    env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production'],
    labels: {
      'org.opencontainers.image.title': 'nodeless-meter',
      'org.opencontainers.image.version': version,
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'dev.nodeless.runtime.node': NODE_RUNTIME.version,
      'dev.nodeless.runtime.debian': debs,
    },
    history: [
      `dpkg-deb -x ${debs} (Debian 12); /etc/passwd, /etc/group (nonroot ${METER_UID}); /tmp`,
      `${NODE_RUNTIME.name}@${NODE_RUNTIME.version} bin/node → ${NODE_BIN}`,
      `esbuild meter/src/main.ts → ${METER_SCRIPT}`,
    ],
  };
}

export async function buildMeterImage(options: BuildOptions = {}): Promise<BuiltImage> {
  const run = options.run ?? defaultRun;
  const version = options.version ?? METER_VERSION;
  const epoch = options.epoch ?? sourceDateEpoch();
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const cache = path.join(path.resolve(options.cacheRoot ?? DEFAULT_CACHE_ROOT), downloadsKey());
  const progress = options.progress ?? (() => undefined);
  const steps = 7;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'nodeless-meter-image-'));
  try {
    progress(1, steps, `bundling the meter (${options.entry ?? 'meter/src/main.ts'})`);
    const script = await bundleMeter(options.entry);
    progress(2, steps, `fetching ${NODE_RUNTIME.name}@${NODE_RUNTIME.version} (cache ${cache})`);
    const node = await fetchNodeRuntime(cache, run);
    progress(3, steps, `fetching ${DEBIAN_PACKAGES.map((p) => p.name).join(', ')}`);
    const debs = await fetchDebs(path.join(cache, 'debs'), run);

    const trees = {
      base: (dir: string) => baseTree(dir, debs, METER_UID, run),
      node: (dir: string) => nodeTree(dir, node),
      meter: (dir: string) => meterTree(dir, script),
    };
    const layers: Layer[] = [];
    let step = 4;
    for (const [name, make] of Object.entries(trees)) {
      progress(step++, steps, `layer ${name}: tar + gzip`);
      const root = path.join(work, `tree-${name}`);
      await fs.mkdir(root);
      await make(root);
      layers.push(await buildLayer(root, work, name, epoch, run));
      await fs.rm(root, { recursive: true, force: true });
    }

    progress(7, steps, 'writing the OCI layout archive');
    const spec = imageSpec(version, epoch);
    const layout = path.join(work, 'layout');
    const digest = await writeLayout(layout, spec, layers);
    await fs.mkdir(outDir, { recursive: true });
    const archive = path.join(outDir, meterImageArchive(version));
    const partial = `${archive}.partial`;
    await tarTree(layout, partial, epoch, run);
    await fs.rename(partial, archive);
    const blob = await blobOf(archive);
    return {
      archive,
      archiveSha256: blob.digest.slice('sha256:'.length),
      size: blob.size,
      digest,
      ref: spec.ref,
      layers: layers.map((l) => ({ diffId: l.diffId, digest: l.digest, size: l.size })),
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
