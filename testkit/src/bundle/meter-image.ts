/**
 * The meter's real image archive for the stand-in bundle (`nodeless-meter-<version>.tar`, built
 * by meter/scripts/build-image.ts: the real bytes, not a stand-in), cached by what it is made of
 * (the bundled meter, the build's own sources, the pinned downloads), since several suites write
 * bundles and a build takes tens of seconds.
 *
 * @see ../../../meter/scripts/image/build.ts
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { meterImageArchive } from '@nodeless/cluster-runtime';
import { buildMeterImage, sourceDateEpoch } from '../../../meter/scripts/image/build.ts';
import { bundleMeter, METER_DIR } from '../../../meter/scripts/image/bundle.ts';
import { downloadsKey } from '../../../meter/scripts/image/pins.ts';

/** Path of the cached archive under `cache/meter-image/<inputs hash>/`, built when missing. */
export async function ensureMeterImage(cache: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await bundleMeter());
  const scripts = path.join(METER_DIR, 'scripts/image');
  for (const f of (await fs.readdir(scripts)).sort()) {
    hash.update(f).update(await fs.readFile(path.join(scripts, f)));
  }
  hash.update(`${downloadsKey()}|${meterImageArchive()}|${sourceDateEpoch()}`);
  const dir = path.join(cache, 'meter-image', hash.digest('hex').slice(0, 16));
  const file = path.join(dir, meterImageArchive());
  const have = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (have) return file;
  const tmp = `${dir}.${process.pid}.tmp`;
  await buildMeterImage({ outDir: tmp });
  // Another process may have finished the same build first: its result is the same bytes.
  await fs.rename(tmp, dir).catch(() => fs.rm(tmp, { recursive: true, force: true }));
  return file;
}
