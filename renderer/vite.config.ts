/**
 * Builds the renderer into `renderer/dist`, which the backend serves. Run as
 * `vite build renderer`: the CLI argument is the root, and `outDir` is relative to it.
 * `base: './'` keeps asset URLs relative so the build works from any mount point.
 * No inline scripts or styles are emitted, so the page runs under `script-src 'self'`.
 * `@nodeless/common` (imported at run time) resolves through its npm-workspace link to
 * `common/src` and is compiled from source like the renderer's own files.
 * @see https://vite.dev/config/
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The modulepreload polyfill is injected as an inline script; modern Chromium needs none.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs, so a strict `img-src 'self'` CSP also holds.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
