/**
 * Where the desktop shell finds the built renderer and the Electron-ABI build of
 * better-sqlite3. Node (tests, web mode) and Electron need different native builds of
 * better-sqlite3; the Electron one lives outside node_modules and is passed to the backend as
 * better-sqlite3's `nativeBinding`, so the two never overwrite each other.
 *
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#new-databasepath-options
 */
import path from 'node:path';

export interface DesktopPathInputs {
  packaged: boolean;
  /** `process.resourcesPath` (packaged app resources). */
  resourcesPath: string;
  /** `app.getAppPath()`: the repo root in development. */
  appPath: string;
}

export interface DesktopPaths {
  rendererDir: string;
  sqliteBinding: string;
}

export function desktopPaths(inputs: DesktopPathInputs): DesktopPaths {
  const base = inputs.packaged ? inputs.resourcesPath : path.join(inputs.appPath, 'out');
  return {
    rendererDir: inputs.packaged
      ? path.join(inputs.resourcesPath, 'renderer')
      : path.join(inputs.appPath, 'renderer', 'dist'),
    sqliteBinding: path.join(base, 'electron-native', 'better_sqlite3.node'),
  };
}
