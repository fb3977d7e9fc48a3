/**
 * The meter bundled into one ES module with esbuild: its sources, cluster-runtime, common and
 * every npm dependency, for the image's Node.js (the pinned major). CommonJS dependencies that
 * `require()` Node built-ins get a real `require` (esbuild's ESM output has none). Licence
 * comments of bundled packages are kept at the end of the file. No source map: the bundle is
 * readable as it is, and a map would only grow the image.
 *
 * @see https://esbuild.github.io/api/#build
 * @see https://esbuild.github.io/api/#legal-comments
 * @see https://nodejs.org/api/module.html#modulecreaterequirefilename
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_RUNTIME } from './pins.ts';

export const METER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const METER_ENTRY = path.join(METER_DIR, 'src/main.ts');

/** esbuild's target for the image's Node.js (`node22` for 22.x). */
export const NODE_TARGET = `node${NODE_RUNTIME.version.split('.')[0] ?? ''}`;

const REQUIRE_SHIM = [
  "import { createRequire as __nodelessCreateRequire } from 'node:module';",
  'const require = __nodelessCreateRequire(import.meta.url);',
].join('\n');

/** Returns the bundled text of `entry` (default `meter/src/main.ts`). */
export async function bundleMeter(entry: string = METER_ENTRY): Promise<string> {
  const result = await build({
    entryPoints: [path.resolve(entry)],
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    write: false,
    minify: false,
    legalComments: 'eof',
    logLevel: 'silent',
    banner: {
      js: `// nodeless meter (bundled; see meter/scripts/build-image.ts)\n${REQUIRE_SHIM}`,
    },
    // Resolves the same way on every machine: no absolute paths end up in the output.
    absWorkingDir: METER_DIR,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}
