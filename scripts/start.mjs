// `npm start`: the desktop app where Electron's binary is installed, web mode where it is not;
// with the demo cluster (kube-sim, its own process) unless NODELESS_DEMO=0.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startDemoCluster } from './demo.mjs';

const require = createRequire(import.meta.url);
/**
 * The installed Electron binary, or undefined. Read from electron's own `path.txt` rather than
 * `require('electron')`, which tries to download a missing binary (and fails offline).
 */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const bin = override
    ? path.join(override, rel || 'electron')
    : rel && path.join(pkgDir, 'dist', rel);
  return bin && existsSync(bin) ? bin : undefined;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Build steps: synchronous, and a failure stops the start. */
const build = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

/**
 * Runs the app until it exits and resolves its exit code. Asynchronous (not spawnSync) so the
 * demo cluster's process keeps being served and a SIGTERM to this script reaches the app.
 */
const runApp = (cmd, args, env) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });

/** The demo cluster unless NODELESS_DEMO=0; the app starts without it when it cannot start. */
async function demoCluster() {
  if (process.env.NODELESS_DEMO === '0') return undefined;
  console.error('Starting the demo cluster (simulated; NODELESS_DEMO=0 turns it off)…');
  try {
    return await startDemoCluster({ repo });
  } catch (err) {
    console.error(
      `The demo cluster could not start, so Nodeless starts without it: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
}

const bin = electronBinary();
if (bin) {
  build('npm', ['run', 'build']);
  build('node', ['scripts/electron-native.mjs']);
}
const demo = await demoCluster();
const env = demo ? { ...process.env, NODELESS_DEMO_KUBECONFIG: demo.kubeconfig } : process.env;
let code;
if (!bin) {
  console.error(
    'Electron is not installed on this machine, so Nodeless starts in web mode instead.',
  );
  code = await runApp('npm', ['run', 'serve'], env);
} else {
  code = await runApp(bin, ['.'], env);
}
// The app is gone: the demo cluster goes with it.
await demo?.stop();
process.exit(code);
