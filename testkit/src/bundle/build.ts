/**
 * Bundles a stand-in entry into one executable file with esbuild: CommonJS (the file has no
 * extension and no package.json beside it, so Node loads it as CJS), `#!/usr/bin/env node`,
 * targeting the Node of Debian 12 (18.x) that test hosts run.
 *
 * @see https://esbuild.github.io/api/#build
 */
import { build, type Plugin } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STANDIN_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../standin');
/** Debian 12's nodejs package. */
export const TARGET_NODE = 'node18';

/**
 * kube-sim loads its simulation through a variable import specifier (so it stays optional);
 * esbuild cannot follow that, so the bundle gets a literal specifier instead.
 */
const staticSimImport: Plugin = {
  name: 'static-sim-import',
  setup(b) {
    b.onLoad({ filter: /kube-sim[\\/]index\.ts$/ }, async (args) => {
      const fs = await import('node:fs/promises');
      const text = await fs.readFile(args.path, 'utf8');
      return {
        contents: text.replace(/await import\(spec\)/g, "await import('./sim/index.ts')"),
        loader: 'ts',
      };
    });
  },
};

/** Returns the bundled script text of `entry` (relative to `testkit/src/standin`). */
export async function bundleScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(STANDIN_SRC, entry)],
    bundle: true,
    platform: 'node',
    target: TARGET_NODE,
    format: 'cjs',
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
    banner: {
      js: '#!/usr/bin/env node\n// Nodeless testkit STAND-IN: not the real binary. See testkit/README.md.',
    },
    plugins: [staticSimImport],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}
