/**
 * Web mode (`npm run serve`): starts the backend and prints exactly one line to stdout,
 * `Nodeless ready: http://127.0.0.1:<port>/?token=<token>`, once it accepts requests.
 * SIGINT/SIGTERM close subscriptions, the server and the store, then exit 0 — or, when that
 * does not finish within {@link STOP_DEADLINE_MS} or a file read is stuck in a worker thread
 * (a hung mount), end by the signal itself: a stop signal always stops (see stop-signals.ts).
 * Wiring only; the logic lives in serve-config.ts and backend.ts.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_FILE, startBackend } from './backend.ts';
import { createFileLogger } from './log/logger.ts';
import { meterImageArchivePath } from './meter-archive.ts';
import { serveConfigFromEnv } from './serve-config.ts';
import { stopOnSignals } from './stop-signals.ts';

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
/** How long a clean stop may take before the process exits without finishing it. */
const STOP_DEADLINE_MS = 5_000;

const meterArchive = meterImageArchivePath({ repoRoot });

try {
  const backend = await startBackend({
    dataDir: config.dataDir,
    port: config.port,
    rendererDir: config.rendererDir,
    logger: createFileLogger({
      file: path.join(config.dataDir, LOG_FILE),
      stderr: config.logToStderr,
    }),
    ...(meterArchive
      ? { meter: { imageArchive: meterArchive }, bootstrap: { meterImageArchive: meterArchive } }
      : {}),
  });
  stopOnSignals({
    close: () => backend.close(),
    deadlineMs: STOP_DEADLINE_MS,
    say: (line) => process.stderr.write(`nodeless: ${line}\n`),
  });
  process.stdout.write(`Nodeless ready: ${backend.url}/?token=${backend.token}\n`);
} catch (error) {
  process.stderr.write(
    `nodeless: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
