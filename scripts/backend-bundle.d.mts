/** Types of backend-bundle.mjs, for the test that bundles the ledger sync's worker. */
import type { BuildOptions } from 'esbuild';

export const BACKEND_ENTRIES: { main: string; 'chunk-worker': string };
export const BACKEND_BUNDLE: BuildOptions;
