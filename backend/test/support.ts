/**
 * Helpers for backend integration tests: temp data dirs, a started backend, a typed tRPC
 * client, raw HTTP calls (to check status codes and headers) and an SSE reader that records
 * every message it receives.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../src/api/router.ts';
import { startBackend, type BackendOptions, type RunningBackend } from '../src/backend.ts';

export const backendRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(backendRoot, '..');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nodeless-${prefix}-`));
}

/** A tiny stand-in for `renderer/dist`, so tests do not depend on a renderer build. */
export function fakeRendererDir(): string {
  const dir = tempDir('renderer');
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Nodeless test</title><div id="root"></div>',
  );
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("app");');
  return dir;
}

/** A file that looks like an OpenSSH private key (content is never used to connect). */
export function fakeKeyFile(dir: string, name = 'id_test'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    { mode: 0o600 },
  );
  return file;
}

export async function startTestBackend(
  options: Partial<BackendOptions> & { dataDir: string },
): Promise<RunningBackend> {
  const rendererDir = options.rendererDir ?? fakeRendererDir();
  const backend = await startBackend({ ...options, rendererDir });
  return {
    ...backend,
    close: async () => {
      await backend.close();
      if (options.rendererDir === undefined)
        fs.rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/** Typed client, authenticated with the Bearer header. */
export function client(backend: Pick<RunningBackend, 'url' | 'token'>) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${backend.url}/api/trpc`,
        headers: { authorization: `Bearer ${backend.token}` },
      }),
    ],
  });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A raw HTTP request via node:http, which (unlike fetch) lets tests send any `Host` header.
 */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs a tRPC mutation with a JSON body and returns the raw response. */
export function mutate(
  backend: Pick<RunningBackend, 'url' | 'token'>,
  procedure: string,
  input: unknown,
): Promise<RawResponse> {
  return request(`${backend.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${backend.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
}

/** An open `inventory.events` SSE stream that keeps every message (raw and parsed). */
export class SseReader {
  readonly raw: string[] = [];
  readonly events: unknown[] = [];
  readonly #controller = new AbortController();
  readonly #waiters = new Set<() => void>();
  #done: Promise<void> | undefined;

  /**
   * Opens a subscription stream (default `inventory.events`) and resolves once `ready` matched
   * an event (default: the inventory snapshot); `ready: null` resolves on the response headers.
   */
  static async open(
    backend: Pick<RunningBackend, 'url' | 'token'>,
    options: {
      path?: string;
      input?: unknown;
      ready?: ((event: unknown) => boolean) | null;
    } = {},
  ): Promise<SseReader> {
    const reader = new SseReader();
    const query =
      options.input === undefined
        ? ''
        : `?input=${encodeURIComponent(JSON.stringify(options.input))}`;
    const res = await fetch(
      `${backend.url}/api/trpc/${options.path ?? 'inventory.events'}${query}`,
      {
        headers: { authorization: `Bearer ${backend.token}`, accept: 'text/event-stream' },
        signal: reader.#controller.signal,
      },
    );
    if (res.status !== 200 || !res.body) throw new Error(`SSE open failed: ${res.status}`);
    reader.#done = reader.#pump(res.body).catch(() => undefined);
    const ready =
      options.ready === undefined
        ? (e: unknown) => (e as { type?: string }).type === 'snapshot'
        : options.ready;
    if (ready) await reader.waitFor(ready);
    return reader;
  }

  async #pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.raw.push(message);
        const lines = message.split('\n');
        const isDefault = !lines.some((l) => l.startsWith('event:'));
        const data = lines
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (isDefault && data) this.events.push(JSON.parse(data) as unknown);
        for (const wake of this.#waiters) wake();
      }
    }
  }

  /** Resolves with the first recorded event matching `predicate` (waits up to `timeoutMs`). */
  waitFor(predicate: (event: unknown) => boolean, timeoutMs = 10_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(predicate);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `No matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      const wake = () => void check();
      this.#waiters.add(wake);
      check();
    });
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.#done;
  }
}

/** A spawned `serve.ts` with its ready line parsed. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  token: string;
  stdoutLines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns web mode. `viaTsxCli` runs `tsx serve.ts` like `npm run serve` (tsx relays signals to
 * its child); otherwise `node --import tsx` so the pid is the backend process itself.
 */
export async function spawnServe(
  env: Record<string, string>,
  options: { viaTsxCli?: boolean } = {},
): Promise<ServeProcess> {
  const script = path.join(backendRoot, 'src', 'serve.ts');
  const [command, args] = options.viaTsxCli
    ? [path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [script]]
    : [process.execPath, ['--import', 'tsx', script]];
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stdoutLines: string[] = [];
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve not ready in 30 s: ${stderr}`)), 30_000);
    lines.on('line', (line) => {
      stdoutLines.push(line);
      if (stdoutLines.length === 1) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)} before ready: ${stderr}`));
    });
  });
  const match = /^Nodeless ready: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)$/.exec(
    ready,
  );
  if (!match?.[1] || !match[2]) throw new Error(`unexpected ready line: ${ready}`);
  return { child, url: match[1], token: match[2], stdoutLines, stderr: () => stderr, exited };
}
