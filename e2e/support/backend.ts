/**
 * Starts the real backend in web mode for the e2e run and hands its URL to the tests.
 * The contract is the one a user sees: `NODELESS_PORT`/`NODELESS_DATA_DIR` in, exactly one
 * stdout line `Nodeless ready: http://127.0.0.1:<port>/?token=<token>` out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const READY_LINE = /^Nodeless ready: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/;

export interface RunningBackend {
  /** The full ready URL, token included. Never print it: the token is a secret. */
  url: string;
  origin: string;
  /** The spawned process's pid (the backend itself when spawned with `node --import tsx`). */
  pid: number;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

export interface StartOptions {
  cwd: string;
  /** Command and args, e.g. `node_modules/.bin/tsx backend/src/serve.ts`. */
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Spawns the backend and resolves once it printed the ready line (or rejects with its stderr). */
export function startBackend(opts: StartOptions): Promise<RunningBackend> {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    // Keep only the tail: enough to explain a failed start, bounded in memory.
    stderr = (stderr + chunk).slice(-8000);
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(
        new Error(`backend did not print its ready line within ${opts.timeoutMs} ms\n${stderr}`),
      );
    }, opts.timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`backend exited before ready (code ${code}, signal ${signal})\n${stderr}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        const match = READY_LINE.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          const url = match[1];
          resolve({
            url,
            origin: new URL(url).origin,
            pid: child.pid ?? 0,
            stop: () => stopChild(child),
          });
        }
      }
    });
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
