/**
 * Once per run: make sure Chromium and an up-to-date built renderer exist, bring up two small fleets of
 * test hosts (one for the onboarding spec, one the install spec changes) and the stand-in
 * airgap bundle, start the demo cluster as `npm start` does, start the backend in web mode on
 * a free port with a fresh data dir and a fresh home (its own ~/.ssh: no known_hosts, no
 * agent), and pass its URL to the tests through env. The returned function is the teardown (stop the backend,
 * release the fleet, delete the temporary dirs).
 *
 * @see https://playwright.dev/docs/test-global-setup-teardown#option-2-configure-globalsetup-and-globalteardown
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startBackend } from './support/backend.ts';
import { ensureChromium } from './support/chromium.ts';
import {
  BUNDLE_DIR_ENV,
  FLEET_DISK_MIB,
  FLEET_ERROR_ENV,
  FLEET_FILE_ENV,
  FLEET_PREFIX,
  FLEET_SIZE,
  INSTALL_FLEET_ERROR_ENV,
  INSTALL_FLEET_FILE_ENV,
  INSTALL_FLEET_PREFIX,
  writeFleetFile,
} from './support/fleet.ts';
import { startDemoCluster } from '../scripts/demo.mjs';
import { writeBundle } from '../testkit/src/bundle/index.ts';
import { useFleet } from '../testkit/src/hosts/index.ts';

const repo = resolve(import.meta.dirname, '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureChromium();
  const why = rendererBuildNeeded();
  if (why) {
    console.log(`${why}; building the renderer first…`);
    execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', 'renderer'], {
      cwd: repo,
      stdio: 'inherit',
    });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'nodeless-e2e-'));
  const homeDir = mkdtempSync(join(tmpdir(), 'nodeless-e2e-home-'));
  mkdirSync(join(homeDir, '.ssh'), { mode: 0o700 });
  const release = await bringUpFleet(dataDir, FLEET_PREFIX, FLEET_FILE_ENV, FLEET_ERROR_ENV);
  const releaseInstall = await bringUpFleet(
    dataDir,
    INSTALL_FLEET_PREFIX,
    INSTALL_FLEET_FILE_ENV,
    INSTALL_FLEET_ERROR_ENV,
  );
  if (process.env[INSTALL_FLEET_FILE_ENV]) {
    // The stand-in airgap bundle the install spec points the UI at (DESIGN.md §6).
    const bundleDir = join(dataDir, 'bundle');
    await writeBundle({ outDir: bundleDir });
    process.env[BUNDLE_DIR_ENV] = bundleDir;
  }
  // The demo cluster, started as `npm start` starts it (scripts/demo.mjs): its own kube-sim
  // process, its kubeconfig handed to the backend through NODELESS_DEMO_KUBECONFIG.
  const demo = await startDemoCluster({ repo });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODELESS_DEMO_KUBECONFIG: demo.kubeconfig,
    NODELESS_PORT: String(port),
    NODELESS_DATA_DIR: dataDir,
    // A home of its own: the consent flow must not depend on this machine's known_hosts,
    // and the onboarding spec writes the ~/.ssh/config it imports from.
    HOME: homeDir,
  };
  delete env.SSH_AUTH_SOCK;
  const backend = await startBackend({
    cwd: repo,
    command: join(repo, 'node_modules/.bin/tsx'),
    args: ['backend/src/serve.ts'],
    env,
    timeoutMs: 90_000,
  }).catch(async (err: unknown) => {
    await demo.stop();
    throw err;
  });
  // Workers inherit the env of the runner process (documented way to pass data to tests).
  process.env.NODELESS_E2E_URL = backend.url;
  process.env.NODELESS_E2E_ORIGIN = backend.origin;
  process.env.NODELESS_E2E_DATA_DIR = dataDir;
  process.env.NODELESS_E2E_HOME = homeDir;
  process.env.NODELESS_E2E_DEMO_KUBECONFIG = demo.kubeconfig;
  console.log(`backend ready on ${backend.origin} (data dir ${dataDir})`);
  return async () => {
    await backend.stop();
    await demo.stop();
    await releaseInstall();
    await release();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(homeDir, { recursive: true, force: true });
  };
}

/**
 * Brings up the fleet (reused if already up, see `useFleet`) unless the run selected no
 * onboarding test. Failure is not fatal here: the other specs still run, and the specs that
 * need the fleet skip printing why (e.g. not root, no systemd-nspawn) — or, under CI=true,
 * fail with that reason (`requireOrSkip`).
 */
async function bringUpFleet(
  dataDir: string,
  prefix: string,
  fileEnv: string,
  errorEnv: string,
): Promise<() => Promise<void>> {
  if (process.env.NODELESS_E2E_NO_FLEET === '1') {
    process.env[errorEnv] = 'NODELESS_E2E_NO_FLEET=1: test hosts were not brought up';
    return async () => undefined;
  }
  const started = Date.now();
  try {
    const { fleet, release } = await useFleet({
      count: FLEET_SIZE,
      prefix,
      // Sparse image; big enough that free disk passes preflight (≥ 20 GiB: no warning).
      diskMiB: FLEET_DISK_MIB,
    });
    const file = join(dataDir, `fleet-${prefix}.json`);
    writeFleetFile(file, fleet.inventory());
    process.env[fileEnv] = file;
    console.log(`test hosts ${prefix} up in ${Math.round((Date.now() - started) / 1000)} s`);
    return release;
  } catch (err) {
    const reason = `test hosts could not be brought up: ${err instanceof Error ? err.message : String(err)}`;
    console.log(reason);
    process.env[errorEnv] = reason;
    return async () => undefined;
  }
}

/** What the built renderer is made of: its sources and config, and common (bundled in). */
const RENDERER_INPUTS = [
  'renderer/src',
  'renderer/index.html',
  'renderer/vite.config.ts',
  'renderer/package.json',
  'common/src',
];

/** The newest modification time (ms) of a file or of any file under a directory. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Why renderer/dist must be built, or undefined when it is usable: missing, or (locally) older
 * than a source — a run must not test yesterday's renderer. Under CI the build step made it from
 * the checked-out sources, so only a missing one is built (checkout mtimes say nothing there).
 * A walk of a few hundred files' mtimes: milliseconds.
 */
function rendererBuildNeeded(): string | undefined {
  const built = join(repo, 'renderer/dist/index.html');
  if (!existsSync(built)) return 'renderer/dist is missing';
  if (process.env.CI) return undefined;
  const builtAt = statSync(built).mtimeMs;
  const changed = RENDERER_INPUTS.find((p) => newestMtime(join(repo, p)) > builtAt);
  return changed ? `renderer/dist is older than ${changed}` : undefined;
}
