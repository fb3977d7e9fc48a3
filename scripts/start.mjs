// `npm start`: the desktop app where Electron's binary is installed, web mode where it is not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** `require('electron')` returns the binary's path, or throws when the download was skipped. */
function electronBinary() {
  try {
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
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
