/**
 * The desktop shell, launched with Playwright's `_electron`. Runs only where the Electron
 * binary is installed (it cannot be downloaded on our build machines).
 *
 * We do not `require('electron')`: when its binary is missing, that module tries to download
 * it. Instead we read the same `path.txt` it reads and check the binary exists.
 * @see https://playwright.dev/docs/api/class-electron
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { requireOrSkip } from '../testkit/src/test-support/require-or-skip.ts';

const repo = resolve(import.meta.dirname, '..');

/** Path of the Electron executable, or null when it is not installed. */
function electronBinary(): string | null {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const rel = readFileSync(pathFile, 'utf8').trim();
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const bin = override ? join(override, rel || 'electron') : join(pkgDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test('desktop window opens on the backend with a locked-down renderer', async () => {
  // The one skip CI allows: the Electron binary cannot be downloaded on our build machines.
  const missing = 'Electron binary not installed';
  test.skip(requireOrSkip(missing, binary !== null, { ciMaySkip: true }), `skipped: ${missing}`);
  const main = join(repo, 'electron/dist/main.mjs');
  expect(existsSync(main), `${main} is missing: run \`npm run build\` first`).toBe(true);

  const dataDir = mkdtempSync(join(tmpdir(), 'nodeless-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    // The repo root is the app: its package.json `main` points at the bundled shell.
    args: [repo, '--no-sandbox'],
    env: { ...process.env, NODELESS_DATA_DIR: dataDir },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByRole('navigation', { name: 'Clusters' })).toBeVisible();
    await expect(win.getByRole('status', { name: 'Backend connection: Live' })).toBeVisible();
    // No Node in the page (nodeIntegration off, sandbox on): neither `require` nor `process`.
    const globals = await win.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined' });
    // Strict CSP: string evaluation is refused.
    const evalAllowed = await win.evaluate(() => {
      try {
        return (0, eval)('1') === 1;
      } catch {
        return false;
      }
    });
    expect(evalAllowed).toBe(false);
    // No new windows: window.open is denied by the shell.
    await win.evaluate(() => void window.open('about:blank'));
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
