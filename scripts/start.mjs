// `npm start`: the desktop app where Electron's binary is installed, web mode where it is not.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

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

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const bin = electronBinary();
if (!bin) {
  console.error(
    'Electron is not installed on this machine, so Nodeless starts in web mode instead.',
  );
  run('npm', ['run', 'serve']);
} else {
  run('npm', ['run', 'build']);
  run('node', ['scripts/electron-native.mjs']);
  run(bin, ['.']);
}
