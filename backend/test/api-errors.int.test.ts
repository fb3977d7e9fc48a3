/**
 * What the API says and logs when things go wrong: a failure to log never fails a committed
 * mutation, hostile input is refused and logged cut short, and a 500 quotes nothing internal —
 * it gives a correlation id that the backend log carries with the (redacted) detail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../src/api/context.ts';
import { LOG_FILE, type RunningBackend } from '../src/backend.ts';
import type { BootstrapOperations } from '../src/bootstrap/operations.ts';
import type { WorkspaceService } from '../src/clusters/workspace-service.ts';
import type { TenantsService } from '../src/tenants/service.ts';
import type { UsageService } from '../src/usage/service.ts';
import type { MeterService } from '../src/meter/service.ts';
import { startHttpServer } from '../src/http/server.ts';
import type { InventoryService } from '../src/inventory/service.ts';
import type { LogFields, Logger } from '../src/log/logger.ts';
import type { OnboardingService } from '../src/onboarding/service.ts';
import { client, mutate, request, startTestBackend, tempDir } from './support.ts';

let dataDir: string;
let backend: RunningBackend;
beforeAll(async () => {
  dataDir = tempDir('api-errors');
  backend = await startTestBackend({ dataDir });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const logLines = (dir: string) =>
  fs
    .readFileSync(path.join(dir, LOG_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('hostile input', () => {
  it('refuses a 5,000-level nested field (400 naming it) and logs the input cut short', async () => {
    const depth = 5000;
    const body = `{"name":"deep-one","extra":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
    const res = await request(`${backend.url}/api/trpc/clusters.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${backend.token}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.data.fieldErrors).toEqual({ extra: 'is not a known field' });
    const line = logLines(dataDir).find(
      (l) => l.event === 'api.call' && JSON.stringify(l.input).includes('deep-one'),
    );
    expect(line).toMatchObject({ path: 'clusters.create', outcome: 'BAD_REQUEST' });
    expect(JSON.stringify(line).length).toBeLessThan(2000);
  });

  it('logs a 1 MB rejected value cut short', async () => {
    const res = await mutate(backend, 'clusters.create', { name: `n${'x'.repeat(1_000_000)}` });
    expect(res.status).toBe(400);
    const log = fs.readFileSync(path.join(dataDir, LOG_FILE), 'utf8');
    expect(log).toContain('…[+');
    expect(Math.max(...log.split('\n').map((l) => l.length))).toBeLessThan(10_000);
  });
});

describe('a failure to log', () => {
  it('never turns a committed mutation into an error', async () => {
    const dir = tempDir('broken-log');
    const broken: Logger = {
      log() {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    const own = await startTestBackend({ dataDir: dir, logger: broken });
    try {
      const created = await client(own).clusters.create.mutate({ name: 'kept-despite-log' });
      expect(created.name).toBe('kept-despite-log');
      const list = await client(own).inventory.list.query();
      expect(list.map((c) => c.name)).toContain('kept-despite-log');
    } finally {
      await own.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('internal errors', () => {
  it('answer 500 with a correlation id and no internal text; the log has the detail', async () => {
    const internal =
      "ENOENT: open '/tmp/nodeless-xyz/.k.yaml.tmp' after RangeError: Maximum call stack size exceeded near root:$6$salt:19000";
    const lines: { event: string; fields: LogFields }[] = [];
    const logger: Logger = { log: (_level, event, fields = {}) => lines.push({ event, fields }) };
    const context: ApiContext = {
      inventory: {
        list() {
          throw new Error(internal);
        },
      } as unknown as InventoryService,
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
    };
    const token = 'internal-error-token';
    const server = await startHttpServer({ token, context, logger });
    try {
      const res = await request(`http://127.0.0.1:${server.port}/api/trpc/inventory.list`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(500);
      for (const leak of ['/tmp', 'RangeError', 'root:', 'ENOENT', 'stack']) {
        expect(res.body).not.toContain(leak);
      }
      const error = (JSON.parse(res.body) as { error: { message: string; data: object } }).error;
      const id = (error.data as { correlationId?: string }).correlationId ?? '';
      expect(id).toMatch(/^[0-9a-f]{12}$/);
      expect(error.message).toBe(
        `Something went wrong inside Nodeless (reference ${id}). The backend log has the details under that reference.`,
      );
      const logged = lines.find((l) => l.fields.correlationId === id);
      expect(logged?.event).toBe('api.call');
      expect(logged?.fields.error).toBe(`Error: ${internal}`);
    } finally {
      await server.close();
    }
  });
});
