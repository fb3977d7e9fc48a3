/**
 * `nodeless` run in-process for the CLI integration tests: the real program (runCli) with an
 * injected, non-interactive terminal whose stdout and stderr are collected. One harness, so
 * every CLI test drives the CLI the same way and a change to CliIo is made in one place.
 *
 * @see ../src/cli/io.ts — CliIo
 */
import { PassThrough } from 'node:stream';
import { nodeCliEngine, type CliEngine } from '../src/cli/deps.ts';
import type { CliIo } from '../src/cli/io.ts';
import { runCli } from '../src/cli/program.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarnessOptions {
  homeDir: string;
  /** Where relative paths on the command line resolve. */
  cwd: string;
  /** The app's data dir when `--data-dir` is not given. */
  defaultDataDir: string;
  env?: Record<string, string>;
  /** The engine for this terminal; default: the product's (nodeCliEngine). */
  engine?: (io: CliIo) => CliEngine;
}

/** Runs `nodeless <args>` with stdin and stderr not terminals, as in a script. */
export async function runNodeless(args: readonly string[], o: CliHarnessOptions): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    interactive: false,
    stderrIsTty: false,
    env: o.env ?? {},
    homeDir: o.homeDir,
    cwd: o.cwd,
    defaultDataDir: o.defaultDataDir,
    now: () => Date.now(),
  };
  const code = await runCli(args, io, (o.engine ?? nodeCliEngine)(io));
  return { code, stdout: out, stderr: err };
}
