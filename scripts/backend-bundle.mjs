// How the desktop shell's main process is bundled (scripts/build-backend.mjs), shared with the
// test that runs the bundled ledger-sync worker (backend/test/chunk-worker-bundle.int.test.ts).
// Native modules stay external: better-sqlite3 is loaded through its `nativeBinding` option
// (see electron/src/paths.ts), ssh2 falls back to pure JS when its optional binding is absent.

/** Entry points: the main process, and the ledger sync's worker beside it (chunk-parser.ts). */
export const BACKEND_ENTRIES = {
  main: 'electron/src/main.ts',
  'chunk-worker': 'backend/src/usage/chunk-worker.ts',
};

/** esbuild options for every entry (add entryPoints and outdir). */
export const BACKEND_BUNDLE = {
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['electron', 'better-sqlite3', 'ssh2', 'cpu-features'],
  banner: {
    js: "import { createRequire as __nodelessCreateRequire } from 'node:module'; const require = __nodelessCreateRequire(import.meta.url);",
  },
};
