/**
 * Once per run: make sure Chromium and the built renderer exist, start the backend in web
 * mode on a free port with a fresh data dir, and pass its URL to the tests through env.
 * The returned function is the teardown (stop the backend, delete the data dir).
 *
 * @see https://playwright.dev/docs/test-global-setup-teardown#option-2-configure-globalsetup-and-globalteardown
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startBackend } from './support/backend.ts';
import { ensureChromium } from './support/chromium.ts';

const repo = resolve(import.meta.dirname, '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureChromium();
  if (!existsSync(join(repo, 'renderer/dist/index.html'))) {
    console.log('renderer/dist is missing; building the renderer first…');
    execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', 'renderer'], {
      cwd: repo,
      stdio: 'inherit',
    });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'nodeless-e2e-'));
  const port = await freePort();
  const backend = await startBackend({
    cwd: repo,
    command: join(repo, 'node_modules/.bin/tsx'),
    args: ['backend/src/serve.ts'],
    env: { ...process.env, NODELESS_PORT: String(port), NODELESS_DATA_DIR: dataDir },
    timeoutMs: 90_000,
  });
  // Workers inherit the env of the runner process (documented way to pass data to tests).
  process.env.NODELESS_E2E_URL = backend.url;
  process.env.NODELESS_E2E_ORIGIN = backend.origin;
  process.env.NODELESS_E2E_DATA_DIR = dataDir;
  console.log(`backend ready on ${backend.origin} (data dir ${dataDir})`);
  return async () => {
    await backend.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
