/**
 * The HTTP API of a real backend on a temp data dir: authentication, Host/Origin defence,
 * validation errors naming fields, confirmation, live events across clients, durability.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBackend } from '../src/backend.ts';
import { CONTENT_SECURITY_POLICY } from '@nodeless/common';
import type { ClusterView, InventoryEvent } from '../src/inventory/types.ts';
import {
  SseReader,
  client,
  fakeKeyFile,
  mutate,
  request,
  startTestBackend,
  tempDir,
} from './support.ts';

let dataDir: string;
let backend: RunningBackend;
const readers: SseReader[] = [];

beforeAll(async () => {
  dataDir = tempDir('api');
  backend = await startTestBackend({ dataDir });
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const bearer = () => ({ authorization: `Bearer ${backend.token}` });
const hostInput = (clusterId: string, address: string, keyPath: string) => ({
  clusterId,
  address,
  port: 22,
  user: 'root',
  role: 'server' as const,
  auth: { kind: 'key' as const, keyPath },
  sudo: { kind: 'none' as const },
});

describe('authentication', () => {
  it('refuses API calls without a token (401, JSON)', async () => {
    const res = await request(`${backend.url}/api/trpc/health`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toHaveProperty('error');
  });

  it('refuses a wrong token (401) and one that differs only in length', async () => {
    for (const token of ['wrong', `${backend.token}x`, backend.token.slice(0, -1)]) {
      const res = await request(`${backend.url}/api/trpc/health`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    }
  });

  it('answers with the Bearer token (200)', async () => {
    const res = await request(`${backend.url}/api/trpc/health`, { headers: bearer() });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      result: { data: { version: expect.any(String), secretStore: 'aes-256-gcm-file' } },
    });
  });

  it('trades /?token= for an HttpOnly cookie and redirects to the same path', async () => {
    const res = await request(`${backend.url}/clusters?tab=1&token=${backend.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/clusters?tab=1');
    expect(res.headers['set-cookie']).toEqual([
      `nodeless_token_${backend.port}=${backend.token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);
    const page = await request(`${backend.url}/`, {
      headers: { cookie: `nodeless_token_${backend.port}=${backend.token}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body).toContain('Nodeless test');
    const api = await request(`${backend.url}/api/trpc/health`, {
      headers: {
        cookie: `other=1; nodeless_token_${backend.port}=${backend.token}`,
        'sec-fetch-site': 'same-origin',
      },
    });
    expect(api.status).toBe(200);
  });

  it('refuses HTML without a token with a page that says what to do', async () => {
    const res = await request(`${backend.url}/`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Open the URL Nodeless printed');
    const wrong = await request(`${backend.url}/?token=nope`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('serves assets with their content type and unknown paths as index.html', async () => {
    const js = await request(`${backend.url}/assets/app.js`, { headers: bearer() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const deep = await request(`${backend.url}/clusters/abc`, { headers: bearer() });
    expect(deep.body).toContain('Nodeless test');
    const escape = await request(`${backend.url}/..%2f..%2fetc%2fpasswd`, { headers: bearer() });
    expect(escape.body).not.toContain('root:');
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host even with the right token (403)', async () => {
    const res = await request(`${backend.url}/api/trpc/health`, {
      headers: { ...bearer(), host: `evil.example:${backend.port}` },
    });
    expect(res.status).toBe(403);
  });

  it('accepts localhost:<port> as Host', async () => {
    const res = await request(`${backend.url}/api/trpc/health`, {
      headers: { ...bearer(), host: `localhost:${backend.port}` },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Origin (403) and accepts our own', async () => {
    const foreign = await request(`${backend.url}/api/trpc/health`, {
      headers: { ...bearer(), origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const ours = await request(`${backend.url}/api/trpc/health`, {
      headers: { ...bearer(), origin: `http://127.0.0.1:${backend.port}` },
    });
    expect(ours.status).toBe(200);
  });
});

describe('validation', () => {
  it('answers a bad host with 400 naming each field', async () => {
    const api = client(backend);
    const cluster = await api.clusters.create.mutate({ name: 'val' });
    const res = await mutate(backend, 'hosts.add', {
      ...hostInput(cluster.id, 'not_a host!', '/x'),
      port: 70000,
    });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as {
      error: { message: string; data: { code: string; fieldErrors: Record<string, string> } };
    };
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain('port: must be between 1 and 65535');
    expect(body.error.message).toContain('address: must be a hostname, IPv4 or IPv6 address');
    expect(body.error.data.fieldErrors).toMatchObject({
      port: 'must be between 1 and 65535',
      address: 'must be a hostname, IPv4 or IPv6 address',
    });
  });

  it('bounds addresses, takes only integer ports, refuses unknown fields (400 naming each)', async () => {
    const cluster = await client(backend).clusters.create.mutate({ name: 'strict' });
    const good = { ...hostInput(cluster.id, '10.0.0.9', '/x'), auth: { kind: 'agent' } };
    const errorsOf = async (procedure: string, input: unknown) => {
      const res = await mutate(backend, procedure, input);
      expect(res.status).toBe(400);
      return (JSON.parse(res.body) as { error: { data: { fieldErrors: object } } }).error.data
        .fieldErrors;
    };
    // A 1 MB IPv6 zone id used to be stored and then sent with every list.
    const zone = `fe80::1%${'z'.repeat(1_000_000)}`;
    expect(await errorsOf('hosts.add', { ...good, address: zone })).toEqual({
      address: 'must be at most 253 characters',
    });
    for (const port of [true, [2222], '0x16']) {
      expect(await errorsOf('hosts.add', { ...good, port })).toEqual({
        port: 'must be a whole number',
      });
    }
    expect(await errorsOf('hosts.add', { ...good, port: null })).toEqual({ port: 'is required' });
    expect(await errorsOf('hosts.add', { ...good, nested: { a: 1 } })).toEqual({
      nested: 'is not a known field',
    });
    expect(await errorsOf('clusters.create', { name: 'strict-2', x: 1 })).toEqual({
      x: 'is not a known field',
    });
    const list = await client(backend).inventory.list.query();
    expect(list.find((c) => c.id === cluster.id)?.hosts).toEqual([]);
    expect(list.some((c) => c.name === 'strict-2')).toBe(false);
  });

  it('names `name` for a duplicate cluster', async () => {
    await client(backend).clusters.create.mutate({ name: 'dup' });
    const res = await mutate(backend, 'clusters.create', { name: 'dup' });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as {
      error: { message: string; data: { fieldErrors: object } };
    };
    expect(body.error.message).toMatch(/^name: /);
    expect(body.error.data.fieldErrors).toHaveProperty('name');
  });

  it('checks the key file: missing, not a key, ok', async () => {
    const api = client(backend);
    const cluster = await api.clusters.create.mutate({ name: 'keys' });
    const dir = tempDir('keys');
    const missing = path.join(dir, 'nope');
    const notKey = path.join(dir, 'notes.txt');
    fs.writeFileSync(notKey, 'hello');
    const fieldError = async (keyPath: string) => {
      const error = await api.hosts.add
        .mutate(hostInput(cluster.id, '10.0.0.1', keyPath))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      return (error as TRPCClientError<never>).message;
    };
    expect(await fieldError(missing)).toBe(`auth.keyPath: no file at ${missing}`);
    expect(await fieldError(notKey)).toBe('auth.keyPath: is not a private key');
    expect(await fieldError('relative/key')).toMatch(/^auth\.keyPath: must be an absolute path/);
    const host = await api.hosts.add.mutate(hostInput(cluster.id, '10.0.0.1', fakeKeyFile(dir)));
    expect(host.auth).toEqual({
      kind: 'key',
      keyPath: path.join(dir, 'id_test'),
      passphraseSet: false,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers unknown ids with 404 naming the id', async () => {
    const id = '4b8a5a8e-94c8-4f5e-9a51-0f2e33b3c2aa';
    const res = await mutate(backend, 'clusters.rename', { id, name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toContain(id);
  });
});

describe('clusters and hosts', () => {
  it('asks for confirmation (412) before deleting a cluster with hosts', async () => {
    const api = client(backend);
    const dir = tempDir('del');
    const key = fakeKeyFile(dir);
    const cluster = await api.clusters.create.mutate({ name: 'prod' });
    await api.hosts.add.mutate(hostInput(cluster.id, '10.0.0.1', key));
    await api.hosts.add.mutate(hostInput(cluster.id, 'node-2.lan', key));
    const res = await mutate(backend, 'clusters.delete', { id: cluster.id });
    expect(res.status).toBe(412);
    expect(JSON.parse(res.body).error.message).toBe(
      'Cluster "prod" has 2 hosts. Confirm to delete it with its hosts.',
    );
    expect((await api.inventory.list.query()).some((c) => c.id === cluster.id)).toBe(true);
    await expect(api.clusters.delete.mutate({ id: cluster.id, confirm: true })).resolves.toEqual({
      id: cluster.id,
    });
    expect((await api.inventory.list.query()).some((c) => c.id === cluster.id)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps stored secrets when an update omits them, only for the same destination', async () => {
    const api = client(backend);
    const cluster = await api.clusters.create.mutate({ name: 'secrets' });
    const host = await api.hosts.add.mutate({
      clusterId: cluster.id,
      address: '192.168.1.20',
      user: 'admin',
      role: 'agent',
      auth: { kind: 'password', password: 'pw-one-two' },
      sudo: { kind: 'password', password: 'sudo-pw-3' },
    });
    expect(host.port).toBe(22);
    expect(host.auth).toEqual({ kind: 'password', passwordSet: true });
    const updated = await api.hosts.update.mutate({
      id: host.id,
      address: '192.168.1.20',
      user: 'admin',
      role: 'server',
      auth: { kind: 'password' },
      sudo: { kind: 'passwordless' },
    });
    expect(updated).toMatchObject({
      address: '192.168.1.20',
      role: 'server',
      auth: { kind: 'password', passwordSet: true },
      sudo: { kind: 'passwordless' },
    });
    // Pointing the host at another SSH server (or port, or user) must not take the stored
    // password along: the new server would receive it on the next check.
    for (const moved of [{ address: '192.168.1.21' }, { port: 2222 }, { user: 'other' }]) {
      const res = await mutate(backend, 'hosts.update', {
        id: host.id,
        address: '192.168.1.20',
        user: 'admin',
        role: 'agent',
        auth: { kind: 'password' },
        sudo: { kind: 'none' },
        ...moved,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.data.fieldErrors).toEqual({
        'auth.password': expect.stringMatching(/^must be entered again: the address, port or user/),
      });
    }
    const moved = await api.hosts.update.mutate({
      id: host.id,
      address: '192.168.1.21',
      port: 2222,
      user: 'admin',
      role: 'agent',
      auth: { kind: 'password', password: 'pw-for-the-new-one' },
      sudo: { kind: 'none' },
    });
    expect(moved).toMatchObject({ address: '192.168.1.21', port: 2222, sudo: { kind: 'none' } });
    const missing = await mutate(backend, 'hosts.update', {
      id: host.id,
      address: '192.168.1.21',
      port: 2222,
      user: 'admin',
      role: 'agent',
      auth: { kind: 'password' },
      sudo: { kind: 'password' },
    });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.data.fieldErrors).toEqual({
      'sudo.password': 'is required',
    });
    await expect(api.hosts.remove.mutate({ id: host.id })).resolves.toEqual({ id: host.id });
  });

  it('renames and lists clusters sorted by name', async () => {
    const api = client(backend);
    const b = await api.clusters.create.mutate({ name: 'zz-b' });
    await api.clusters.create.mutate({ name: 'zz-a' });
    await api.clusters.rename.mutate({ id: b.id, name: 'zz-0' });
    const names = (await api.inventory.list.query())
      .map((c) => c.name)
      .filter((n) => n.startsWith('zz-'));
    expect(names).toEqual(['zz-0', 'zz-a']);
  });
});

describe('events', () => {
  it('delivers a change made by a third client to two subscribers', async () => {
    const first = await SseReader.open(backend);
    const second = await SseReader.open(backend);
    readers.push(first, second);
    const created = await client(backend).clusters.create.mutate({ name: 'live' });
    const isCreated = (e: unknown) =>
      (e as InventoryEvent).type === 'cluster.upserted' &&
      (e as { cluster: ClusterView }).cluster.id === created.id;
    for (const reader of [first, second]) {
      await expect(reader.waitFor(isCreated)).resolves.toMatchObject({ cluster: { name: 'live' } });
    }
    await client(backend).clusters.delete.mutate({ id: created.id });
    for (const reader of [first, second]) {
      await expect(
        reader.waitFor((e) => (e as InventoryEvent).type === 'cluster.deleted'),
      ).resolves.toEqual({ type: 'cluster.deleted', id: created.id });
    }
  });

  it('starts each subscription with a snapshot of the current inventory', async () => {
    const reader = await SseReader.open(backend);
    readers.push(reader);
    const snapshot = reader.events[0] as Extract<InventoryEvent, { type: 'snapshot' }>;
    expect(snapshot.clusters).toEqual(await client(backend).inventory.list.query());
  });
});

describe('durability', () => {
  it('keeps data across a restart on the same data dir', async () => {
    const dir = tempDir('restart');
    const first = await startTestBackend({ dataDir: dir });
    const api = client(first);
    const cluster = await api.clusters.create.mutate({ name: 'kept' });
    await api.hosts.add.mutate({
      clusterId: cluster.id,
      address: 'kept.lan',
      user: 'root',
      role: 'server',
      auth: { kind: 'agent' },
      sudo: { kind: 'password', password: 'kept-sudo' },
    });
    const before = await api.inventory.list.query();
    // An open subscription must not keep close() from finishing.
    const reader = await SseReader.open(first);
    await first.close();
    await reader.close();
    const second = await startTestBackend({ dataDir: dir });
    expect(await client(second).inventory.list.query()).toEqual(before);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
