/**
 * Web mode (`npm run serve`): starts the backend and prints exactly one line to stdout,
 * `Nodeless ready: http://127.0.0.1:<port>/?token=<token>`, once it accepts requests.
 * SIGINT/SIGTERM close subscriptions, the server and the store, then exit 0.
 * Wiring only; the logic lives in serve-config.ts and backend.ts.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_FILE, startBackend } from './backend.ts';
import { createFileLogger } from './log/logger.ts';
import { serveConfigFromEnv } from './serve-config.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const parsed = serveConfigFromEnv(
  { platform: process.platform, env: process.env, homedir: os.homedir(), cwd: process.cwd() },
  path.join(repoRoot, 'renderer', 'dist'),
);
if (!parsed.ok) {
  process.stderr.write(`nodeless: ${parsed.error}\n`);
  process.exit(2);
}
const { config } = parsed;

try {
  const backend = await startBackend({
    dataDir: config.dataDir,
    port: config.port,
    rendererDir: config.rendererDir,
    logger: createFileLogger({
      file: path.join(config.dataDir, LOG_FILE),
      stderr: config.logToStderr,
    }),
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    backend.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`nodeless: error while stopping after ${signal}: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`Nodeless ready: ${backend.url}/?token=${backend.token}\n`);
} catch (error) {
  process.stderr.write(
    `nodeless: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
