/**
 * Web-mode configuration from the environment, parsed and checked in one place so `serve.ts`
 * only wires. A bad variable yields one message naming it.
 */
import path from 'node:path';
import { defaultDataDir, type DataDirEnv } from './paths.ts';

export interface ServeConfig {
  port: number;
  dataDir: string;
  rendererDir: string;
  /** Mirror log lines to stderr (`NODELESS_LOG_STDERR=1`). */
  logToStderr: boolean;
}

export type ServeConfigResult = { ok: true; config: ServeConfig } | { ok: false; error: string };

/**
 * Reads `NODELESS_PORT` (default 0 = free port), `NODELESS_DATA_DIR` (default: per-user data
 * dir), `NODELESS_RENDERER_DIR` (default: `defaultRendererDir`), `NODELESS_LOG_STDERR`.
 */
export function serveConfigFromEnv(
  system: DataDirEnv & { cwd: string },
  defaultRendererDir: string,
): ServeConfigResult {
  const { env } = system;
  const rawPort = env.NODELESS_PORT?.trim();
  let port = 0;
  if (rawPort !== undefined && rawPort !== '') {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || !Number.isInteger(port) || port > 65535) {
      return {
        ok: false,
        error: `NODELESS_PORT must be a port number from 0 to 65535 (0 = any free port), got "${rawPort}".`,
      };
    }
  }
  const rawDir = env.NODELESS_DATA_DIR?.trim();
  const dataDir = rawDir ? path.resolve(system.cwd, rawDir) : defaultDataDir(system);
  const rawRenderer = env.NODELESS_RENDERER_DIR?.trim();
  const rendererDir = rawRenderer ? path.resolve(system.cwd, rawRenderer) : defaultRendererDir;
  const rawLog = env.NODELESS_LOG_STDERR?.trim();
  if (rawLog !== undefined && rawLog !== '' && rawLog !== '0' && rawLog !== '1') {
    return { ok: false, error: `NODELESS_LOG_STDERR must be 0 or 1, got "${rawLog}".` };
  }
  return { ok: true, config: { port, dataDir, rendererDir, logToStderr: rawLog === '1' } };
}
