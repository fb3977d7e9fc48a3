/**
 * Where the app finds the meter's image archive (`nodeless-meter-<version>.tar`, issue 15), which
 * bootstrap stages into k3s's images directory on every machine and the remedies name:
 * - the packaged desktop app ships it as an extra resource, `<resourcesPath>/meter/<archive>`
 *   (electron-builder.yml `extraResources`);
 * - a dev checkout builds it into `<repo>/meter/dist/<archive>` (`npm run build:meter-image`).
 * Either only when the file exists: without an archive an install still installs the meter's
 * objects, and its status says how to load the image.
 *
 * @see https://www.electron.build/configuration/contents#extraresources
 * @see https://www.electronjs.org/docs/latest/api/process#processresourcespath-readonly
 */
import fs from 'node:fs';
import path from 'node:path';
import { METER_VERSION, meterImageArchive } from '@nodeless/cluster-runtime';

export interface MeterArchiveInputs {
  /** The packaged app's resources directory (`process.resourcesPath`), when packaged. */
  resourcesPath?: string;
  /** Root of a dev checkout (where `meter/dist/` is). */
  repoRoot?: string;
  /** Default: the version this app installs. */
  version?: string;
  /** Default: `fs.existsSync` (tests inject). */
  exists?: (file: string) => boolean;
}

/** The archive's path, or undefined when neither place has it. */
export function meterImageArchivePath(inputs: MeterArchiveInputs): string | undefined {
  const name = meterImageArchive(inputs.version ?? METER_VERSION);
  const exists = inputs.exists ?? fs.existsSync;
  const candidates = [
    ...(inputs.resourcesPath ? [path.join(inputs.resourcesPath, 'meter', name)] : []),
    ...(inputs.repoRoot ? [path.join(inputs.repoRoot, 'meter', 'dist', name)] : []),
  ];
  return candidates.find((file) => exists(file));
}
