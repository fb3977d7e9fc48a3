// Bundles the desktop shell (electron/ + backend + engines) into electron/dist/main.mjs.
// Native modules stay external: better-sqlite3 is loaded through its `nativeBinding` option
// (see electron/src/paths.ts), ssh2 falls back to pure JS when its optional binding is absent.
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/src/main.ts'],
  outfile: 'electron/dist/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['electron', 'better-sqlite3', 'ssh2', 'cpu-features'],
  banner: {
    js: "import { createRequire as __nodelessCreateRequire } from 'node:module'; const require = __nodelessCreateRequire(import.meta.url);",
  },
  logLevel: 'info',
});
