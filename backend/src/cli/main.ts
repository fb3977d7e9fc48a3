/**
 * Entry of `npm run nodeless -- …` (tsx). Wires the real terminal, environment and home
 * directory into {@link runCli}; nothing else lives here.
 */
import os from 'node:os';
import { defaultDataDir } from '../paths.ts';
import { nodeCliEngine } from './deps.ts';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';

const io: CliIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  env: process.env,
  homeDir: os.homedir(),
  cwd: process.env.INIT_CWD ?? process.cwd(),
  defaultDataDir: defaultDataDir(),
  now: Date.now,
};

process.exitCode = await runCli(process.argv.slice(2), io, nodeCliEngine(io)).catch(
  (error: unknown) => {
    process.stderr.write(`nodeless: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  },
);
