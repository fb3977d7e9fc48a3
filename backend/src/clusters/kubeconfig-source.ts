/**
 * Where an imported kubeconfig comes from: pasted text, or a file the backend reads (bounded in
 * size; `~` is the user's home). Also the exec credential plugin check: client-node runs the
 * plugin with the backend's PATH (the user's PATH, handed over by the shell), so a plugin that
 * is not on it is named before anything is stored.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../inventory/errors.ts';

/** Far above any real kubeconfig (a few KB; a few hundred with many embedded certificates). */
export const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

/** The file system calls this module makes, injected for tests. */
export interface SourceFs {
  statSync(file: string): { size: number; mtimeMs: number; isFile(): boolean };
  readFileSync(file: string, encoding: 'utf8'): string;
  accessSync(file: string, mode: number): void;
}

export const nodeFs: SourceFs = {
  statSync: (file) => fs.statSync(file),
  readFileSync: (file, encoding) => fs.readFileSync(file, encoding),
  accessSync: (file, mode) => fs.accessSync(file, mode),
};

/** `~/x` → the home's `x`; otherwise the path as given. */
export function expandHome(file: string, home: string = os.homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return file;
}

export interface KubeconfigFile {
  /** Absolute path. */
  path: string;
  text: string;
  mtimeMs: number;
}

/**
 * Reads a kubeconfig file named by the user (`field` is the input it came from).
 *
 * @throws InputError naming `field`: relative, missing, unreadable, not a file, too large.
 */
export function readKubeconfigFile(
  given: string,
  field = 'path',
  fsx: SourceFs = nodeFs,
  home?: string,
): KubeconfigFile {
  const file = expandHome(given.trim(), home);
  if (!path.isAbsolute(file)) {
    throw new InputError({ [field]: 'must be an absolute path (or start with ~/)' });
  }
  let stat: ReturnType<SourceFs['statSync']>;
  try {
    stat = fsx.statSync(file);
  } catch (error) {
    throw new InputError({ [field]: `cannot be read: ${describeFsError(error)}` });
  }
  if (!stat.isFile()) throw new InputError({ [field]: 'is not a file' });
  if (stat.size > MAX_KUBECONFIG_BYTES) {
    throw new InputError({
      [field]: `is ${stat.size} bytes; a kubeconfig is at most ${MAX_KUBECONFIG_BYTES}`,
    });
  }
  try {
    return { path: file, text: fsx.readFileSync(file, 'utf8'), mtimeMs: stat.mtimeMs };
  } catch (error) {
    throw new InputError({ [field]: `cannot be read: ${describeFsError(error)}` });
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return typeof code === 'string' ? code : 'unknown error';
}

/**
 * Where an exec plugin's command resolves: itself when it is a path (absolute; a relative one
 * was resolved against the kubeconfig's directory), else the first executable of that name in
 * `envPath`. Undefined when none.
 */
export function findExecutable(
  command: string,
  envPath: string,
  fsx: SourceFs = nodeFs,
): string | undefined {
  const executable = (file: string) => {
    try {
      fsx.accessSync(file, fs.constants.X_OK);
      return fsx.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/') || command.includes(path.sep)) {
    return executable(command) ? command : undefined;
  }
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** `exec plugin "aws" not found on PATH (/usr/bin:/bin)`, or undefined when it is there. */
export function execPluginProblem(
  command: string,
  envPath: string,
  fsx: SourceFs = nodeFs,
): string | undefined {
  if (command === '') return 'the exec credential plugin has no command';
  if (findExecutable(command, envPath, fsx)) return undefined;
  if (command.includes('/')) return `exec plugin "${command}" not found (no such executable file)`;
  return `exec plugin "${command}" not found on PATH (${envPath})`;
}
