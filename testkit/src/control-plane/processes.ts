/**
 * Starting, probing and stopping the control plane's processes. Each component writes its
 * output to `<dataDir>/logs/<name>.log` (never to the test's output: the logs can name files
 * holding keys). A component that exits while we wait for it to become healthy fails the
 * start with the tail of its log, so a broken flag reads as the component's own message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

export interface Component {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

export interface StartOptions {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly logDir: string;
  /** Own process group, so the CLI's `up` can return while the component keeps running. */
  readonly detached?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export function startComponent(o: StartOptions): Component {
  fs.mkdirSync(o.logDir, { recursive: true });
  const logFile = path.join(o.logDir, `${o.name}.log`);
  const fd = fs.openSync(logFile, 'a', 0o600);
  const child = spawn(o.binary, [...o.args], {
    stdio: ['ignore', fd, fd],
    detached: o.detached === true,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: o.logDir, ...o.env },
  });
  fs.closeSync(fd);
  if (o.detached) child.unref();
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(-1));
  });
  return { name: o.name, pid: child.pid ?? -1, child, logFile, exited };
}

/** The last lines of a component's log, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface ProbeTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** GET `url`; resolves with the status code (0 when the connection failed). */
export function probe(url: string, tls: ProbeTls = {}, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.get(
      url,
      {
        timeout: timeoutMs,
        ...(u.protocol === 'https:'
          ? {
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              // Components' self-signed serving certs on /healthz: liveness, not identity.
              rejectUnauthorized: tls.ca !== undefined,
            }
          : {}),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls `check` until it is true, failing early if `component` exits. */
export async function waitHealthy(
  component: Component,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  let exit: number | null | undefined;
  void component.exited.then((c) => (exit = c));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit !== undefined) {
      throw new Error(
        `${component.name} exited (${exit}) before ${what}:\n${logTail(component.logFile)}`,
      );
    }
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${component.name}: timed out after ${timeoutMs / 1000}s waiting for ${what}:\n${logTail(component.logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Works on a pid
 * from a state file too (the CLI's `down` in another process), where there is no child handle.
 */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (pid <= 0 || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free TCP port on 127.0.0.1 (the kernel picks; the socket is closed before use). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = http.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
