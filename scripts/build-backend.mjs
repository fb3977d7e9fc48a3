// Bundles the desktop shell (electron/ + backend + engines) into electron/dist/main.mjs, and the
// ledger sync's worker thread into electron/dist/chunk-worker.mjs beside it (the backend starts
// it from main.mjs's URL: backend/src/usage/chunk-parser.ts). Workers load from the asar archive
// since Electron 18 (electron/electron#33216). Options: scripts/backend-bundle.mjs.
import { build } from 'esbuild';
import { BACKEND_BUNDLE, BACKEND_ENTRIES } from './backend-bundle.mjs';

await build({
  ...BACKEND_BUNDLE,
  entryPoints: BACKEND_ENTRIES,
  outdir: 'electron/dist',
  sourcemap: true,
  logLevel: 'info',
});
