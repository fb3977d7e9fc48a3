/**
 * The ledger sync's worker as the desktop ships it: bundled by esbuild with the options of
 * scripts/build-backend.mjs, the worker file beside the main bundle, found from the main
 * bundle's URL (chunk-parser.ts) and run without tsx. A large sync in the packaged app goes
 * through exactly this path; from source it goes through tsx (sync-pages.test.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND_BUNDLE, BACKEND_ENTRIES } from '../../scripts/backend-bundle.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeless-bundle-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the bundled ledger sync worker', () => {
  it('starts beside the main bundle and parses chunks, a bad one answered by name', async () => {
    await build({
      ...BACKEND_BUNDLE,
      absWorkingDir: repo,
      entryPoints: {
        main: 'backend/test/fixtures/chunk-worker-entry.ts',
        'chunk-worker': BACKEND_ENTRIES['chunk-worker'],
      },
      outdir: out,
      logLevel: 'silent',
    });
    expect(fs.readdirSync(out).sort()).toEqual(['chunk-worker.mjs', 'main.mjs']);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(out, 'main.mjs')], {
      cwd: out,
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim()) as {
      chunks: { seq: number; count: number; cursor: { seq: number; offset: number } }[];
      strings: number;
      error: string;
    };
    expect(result.chunks).toEqual([
      { seq: 0, count: 1000, cursor: { seq: 0, offset: 1000 } },
      { seq: 1, count: 500, cursor: { seq: 1, offset: 500 } },
    ]);
    expect(result.strings).toBeGreaterThan(0);
    expect(result.error).toMatch(/^ledger chunk nodeless-ledger-000000000002: line 1/);
  });
});
