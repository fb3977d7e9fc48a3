/**
 * Per-user data directory, following each OS's convention (what Electron's
 * `app.getPath('userData')` and the XDG Base Directory spec give).
 *
 * @see https://specifications.freedesktop.org/basedir-spec/latest/
 * @see https://www.electronjs.org/docs/latest/api/app#appgetpathname
 */
import os from 'node:os';
import path from 'node:path';

export interface DataDirEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

/** `$XDG_DATA_HOME/nodeless` | `~/.local/share/nodeless` | `~/Library/Application Support/Nodeless` | `%APPDATA%\Nodeless`. */
export function defaultDataDir(
  { platform, env, homedir }: DataDirEnv = {
    platform: process.platform,
    env: process.env,
    homedir: os.homedir(),
  },
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Nodeless');
  }
  if (platform === 'darwin') {
    return path.posix.join(homedir, 'Library', 'Application Support', 'Nodeless');
  }
  // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base =
    xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.local', 'share');
  return path.posix.join(base, 'nodeless');
}
