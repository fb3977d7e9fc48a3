// Bundles the desktop shell (electron/ + backend + engines) into electron/dist/main.mjs, and the
// ledger sync's worker thread into electron/dist/chunk-worker.mjs beside it (the backend starts
// it from main.mjs's URL: backend/src/usage/chunk-parser.ts). Workers load from the asar archive
// since Electron 18 (electron/electron#33216).
// Native modules stay external: better-sqlite3 is loaded through its `nativeBinding` option
// (see electron/src/paths.ts), ssh2 falls back to pure JS when its optional binding is absent.
import { build } from 'esbuild';

await build({
  entryPoints: {
    main: 'electron/src/main.ts',
    'chunk-worker': 'backend/src/usage/chunk-worker.ts',
  },
  outdir: 'electron/dist',
  outExtension: { '.js': '.mjs' },
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
