/**
 * Edges of the HTTP layer a real backend must get right beyond the happy path: the token
 * redirect never points off-site, the session cookie belongs to one launch and is never
 * enough on its own for the API (cross-site requests), static paths never escape the
 * renderer dir, only GET/HEAD reach static files, and the batched typed client (what the
 * renderer uses) gets 400s with field errors like the plain calls do.
 */
import fs from 'node:fs';
import http from 'node:http';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../src/api/context.ts';
import type { AppRouter } from '../src/api/router.ts';
import type { RunningBackend } from '../src/backend.ts';
import type { BootstrapOperations } from '../src/bootstrap/operations.ts';
import type { WorkspaceService } from '../src/clusters/workspace-service.ts';
import type { TenantsService } from '../src/tenants/service.ts';
import type { UsageService } from '../src/usage/service.ts';
import type { MeterService } from '../src/meter/service.ts';
import { startHttpServer } from '../src/http/server.ts';
import type { InventoryService } from '../src/inventory/service.ts';
import type { LogFields, Logger } from '../src/log/logger.ts';
import type { OnboardingService } from '../src/onboarding/service.ts';
import { mutate, request, spawnServe, startTestBackend, tempDir } from './support.ts';

let dataDir: string;
let backend: RunningBackend;
beforeAll(async () => {
  dataDir = tempDir('http');
  backend = await startTestBackend({ dataDir });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${backend.token}` });

/** Sends `rawPath` byte for byte (fetch and URL-taking helpers would normalise it first). */
function rawGet(
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | undefined; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: backend.port, path: rawPath, method: 'GET', headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            type: res.headers['content-type'] ?? '',
            body,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('token redirect', () => {
  it.each(['/.//evil.example/', '/a/..//evil.example/x', '//evil.example/'])(
    'stays on this origin for %s',
    async (path) => {
      const res = await rawGet(`${path}?token=${backend.token}&tab=2`);
      expect(res.status).toBe(302);
      const location = res.location ?? '';
      expect(location.startsWith('/')).toBe(true);
      expect(location.startsWith('//')).toBe(false);
      expect(location).not.toContain('token=');
      expect(location).toContain('tab=2');
      // Resolved by a browser against our origin, it is still our origin.
      expect(new URL(location, backend.url).origin).toBe(backend.url);
    },
  );

  it('refuses a wrong token in the query without setting a cookie', async () => {
    const res = await request(`${backend.url}/?token=wrong`);
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('session cookie', () => {
  /** The cookie a browser would keep from the `/?token=` redirect of `b`. */
  async function sessionCookie(b: RunningBackend): Promise<string> {
    const res = await request(`${b.url}/?token=${b.token}`);
    const [setCookie] = res.headers['set-cookie'] ?? [];
    return (setCookie ?? '').split(';')[0] ?? '';
  }

  it('carries the port in its name, so two launches do not log each other out', async () => {
    const otherDir = tempDir('http-other');
    const other = await startTestBackend({ dataDir: otherDir });
    try {
      const ours = await sessionCookie(backend);
      const theirs = await sessionCookie(other);
      expect(ours.startsWith(`nodeless_token_${backend.port}=`)).toBe(true);
      expect(theirs.startsWith(`nodeless_token_${other.port}=`)).toBe(true);
      // Cookies ignore ports: the browser sends both cookies to both launches.
      const jar = { cookie: `${theirs}; ${ours}`, 'sec-fetch-site': 'same-origin' };
      for (const b of [backend, other]) {
        expect((await request(`${b.url}/`, { headers: jar })).status).toBe(200);
        expect((await request(`${b.url}/api/trpc/health`, { headers: jar })).status).toBe(200);
      }
      // Another launch's cookie alone is not a session here.
      const foreign = { cookie: theirs, 'sec-fetch-site': 'same-origin' };
      expect((await request(`${backend.url}/api/trpc/health`, { headers: foreign })).status).toBe(
        401,
      );
    } finally {
      await other.close();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('is not enough for the API without a sign that our page sent the request (403)', async () => {
    const cookie = await sessionCookie(backend);
    const health = (headers: Record<string, string>) =>
      request(`${backend.url}/api/trpc/health`, { headers: { cookie, ...headers } });
    // What an <img> or <script> on another localhost port sends: no Origin, same-site.
    const withoutSign: Record<string, string>[] = [
      {},
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
    ];
    for (const headers of withoutSign) {
      const res = await health(headers);
      expect(res.status).toBe(403);
      expect(res.body).toContain('not sent by the Nodeless page');
    }
    expect((await health({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await health({ 'x-nodeless': '1' })).status).toBe(200);
    expect((await health({ origin: backend.url })).status).toBe(200);
    // A forged mutation changes nothing.
    const forged = await request(`${backend.url}/api/trpc/clusters.create`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'forged' }),
    });
    expect(forged.status).toBe(403);
    const list = await request(`${backend.url}/api/trpc/inventory.list`, { headers: auth() });
    expect(list.body).not.toContain('forged');
    // Pages still load on a plain navigation with the cookie.
    expect((await request(`${backend.url}/`, { headers: { cookie } })).status).toBe(200);
  });

  it('leaves scripts with the Bearer header alone: a browser never adds it on its own', async () => {
    const res = await request(`${backend.url}/api/trpc/health`, {
      headers: { ...auth(), 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(200);
  });
});

describe('static files', () => {
  it.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2f..%2fetc%2fpasswd',
  ])('never serves a file outside the renderer dir: %s', async (path) => {
    const res = await request(`${backend.url}${path}`, { headers: auth() });
    expect(res.body).not.toContain('root:');
    // Unknown paths fall back to the app page (client-side routing), never a file outside.
    if (res.status === 200) expect(res.headers['content-type']).toContain('text/html');
  });

  it('answers only GET and HEAD for non-API paths', async () => {
    const post = await request(`${backend.url}/`, { method: 'POST', headers: auth(), body: 'x' });
    expect(post.status).toBe(405);
    const head = await request(`${backend.url}/assets/app.js`, { method: 'HEAD', headers: auth() });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toContain('javascript');
    expect(head.body).toBe('');
  });

  it('answers an unknown API path with JSON 404, not the app page', async () => {
    const res = await request(`${backend.url}/api/nope`, { headers: auth() });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
  });
});

describe('typed client with batching (as the renderer calls)', () => {
  const trpc = () =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${backend.url}/api/trpc`, headers: auth() })],
    });

  it('round-trips a mutation and a query in one batch', async () => {
    const [created, list] = await Promise.all([
      trpc().clusters.create.mutate({ name: 'batched' }),
      trpc().health.query(),
    ]);
    expect(created.name).toBe('batched');
    expect(list.secretStore).toBe('aes-256-gcm-file');
  });

  it('surfaces field errors on a batched 400', async () => {
    const error = await trpc()
      .clusters.create.mutate({ name: 'Not Valid' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TRPCClientError);
    const clientError = error as TRPCClientError<AppRouter>;
    expect(clientError.data?.httpStatus).toBe(400);
    expect(clientError.data?.code).toBe('BAD_REQUEST');
    expect(clientError.message).toMatch(/^name: /);
    expect(clientError.data?.fieldErrors).toEqual({
      name: 'use lowercase letters, digits and "-" (like a-cluster-1)',
    });
  });
});

describe('key-file check in web mode', () => {
  it.runIf(process.platform === 'linux')(
    'refuses /proc/kmsg at once (it used to hang the worker pool) and SIGTERM still stops the server',
    async () => {
      const dir = tempDir('http-kmsg');
      const serve = await spawnServe({ NODELESS_PORT: '0', NODELESS_DATA_DIR: dir });
      try {
        const cluster = await mutate(serve, 'clusters.create', { name: 'kmsg' });
        const clusterId = (JSON.parse(cluster.body) as { result: { data: { id: string } } }).result
          .data.id;
        // More checks than libuv has worker threads (4): each blocked one for good before.
        const answers = await Promise.all(
          ['/proc/kmsg', '/proc/kmsg', '/proc/kmsg', '/proc/kmsg', '/proc/kallsyms'].map(
            (keyPath, i) =>
              mutate(serve, 'hosts.add', {
                clusterId,
                address: `10.0.0.${i + 1}`,
                user: 'root',
                role: 'agent',
                auth: { kind: 'key', keyPath },
                sudo: { kind: 'none' },
              }),
          ),
        );
        for (const res of answers) {
          expect(res.status).toBe(400);
          expect(JSON.parse(res.body).error.data.fieldErrors).toEqual({
            'auth.keyPath': 'is not a private key',
          });
        }
      } finally {
        serve.child.kill('SIGTERM');
      }
      const stopped = await Promise.race([
        serve.exited,
        new Promise<'still running'>((resolve) =>
          setTimeout(() => resolve('still running'), 8_000),
        ),
      ]);
      if (stopped === 'still running') serve.child.kill('SIGKILL');
      expect(stopped).toEqual({ code: 0, signal: null });
      fs.rmSync(dir, { recursive: true, force: true });
    },
    30_000,
  );
});

describe('a stream that fails after it started', () => {
  it('sends a generic message with a correlation id; the log has the detail once', async () => {
    const internal = "EIO: read '/tmp/nodeless-abc/secret.key'";
    const lines: { event: string; fields: LogFields }[] = [];
    const logger: Logger = { log: (_level, event, fields = {}) => lines.push({ event, fields }) };
    async function* failing(): AsyncGenerator<{ type: 'snapshot'; clusters: [] }> {
      yield { type: 'snapshot', clusters: [] };
      throw new Error(internal);
    }
    const context = {
      inventory: { subscribe: () => failing() } as unknown as InventoryService,
      onboarding: {} as unknown as OnboardingService,
      bootstrap: {} as unknown as BootstrapOperations,
      workspace: {} as unknown as WorkspaceService,
      tenants: {} as unknown as TenantsService,
      usage: {} as unknown as UsageService,
      meter: {} as unknown as MeterService,
      logger,
      version: 'test',
      secretStore: 'aes-256-gcm-file',
      clock: () => new Date(),
      shutdown: new AbortController().signal,
    } satisfies ApiContext;
    const token = 'stream-error-token';
    const server = await startHttpServer({ token, context, logger });
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/trpc/inventory.events`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      let body = '';
      const decoder = new TextDecoder();
      for await (const chunk of res.body ?? []) {
        body += decoder.decode(chunk as Uint8Array, { stream: true });
        if (body.includes('serialized-error') && body.endsWith('\n\n')) break;
      }
      expect(body).not.toContain('/tmp');
      expect(body).not.toContain('EIO');
      const id = /reference ([0-9a-f]{12})/.exec(body)?.[1];
      expect(id).toBeDefined();
      const logged = lines.filter((l) => l.fields.correlationId === id);
      expect(logged).toHaveLength(1);
      expect(logged[0]?.fields.error).toBe(`Error: ${internal}`);
    } finally {
      controller.abort();
      await server.close();
    }
  });
});
