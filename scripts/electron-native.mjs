// Builds better-sqlite3 for Electron's ABI into out/electron-native/better_sqlite3.node,
// outside node_modules, so the Node build used by tests and web mode is never overwritten.
// Needs the Electron headers (internet) the first time; skips when the output is current.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = require('better-sqlite3/package.json').version;
const outDir = path.resolve('out/electron-native');
const stamp = path.join(outDir, 'stamp');
const want = `electron ${electronVersion} better-sqlite3 ${sqliteVersion} ${process.arch}`;

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) process.exit(0);

const work = path.resolve('out/electron-native-build');
rmSync(work, { recursive: true, force: true });
cpSync(sqliteDir, work, {
  recursive: true,
  filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
});
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const r = spawnSync(
  process.execPath,
  [
    gyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: work, stdio: 'inherit' },
);
if (r.status !== 0) {
  console.error(
    'Could not build better-sqlite3 for Electron (are the Electron headers reachable?).',
  );
  process.exit(r.status ?? 1);
}
mkdirSync(outDir, { recursive: true });
cpSync(
  path.join(work, 'build/Release/better_sqlite3.node'),
  path.join(outDir, 'better_sqlite3.node'),
);
writeFileSync(stamp, want);
rmSync(work, { recursive: true, force: true });
console.error(`better-sqlite3 built for Electron ${electronVersion} → ${outDir}`);
