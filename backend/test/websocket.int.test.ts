/**
 * The WebSocket endpoint the renderer's live streams use (`/api/ws`): the same guards as HTTP
 * before the upgrade, every subscription of a window multiplexed over one socket, and the
 * sockets closed with the backend.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AppRouter } from '../src/api/router.ts';
import type { RunningBackend } from '../src/backend.ts';
import { WS_PATH } from '../src/http/websocket.ts';
import type { InventoryEvent } from '../src/inventory/types.ts';
import { client, startTestBackend, tempDir } from './support.ts';

let dataDir: string;
let backend: RunningBackend;

beforeAll(async () => {
  dataDir = tempDir('ws');
  backend = await startTestBackend({ dataDir });
});
afterAll(async () => {
  await backend.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Attempts an upgrade with raw headers; resolves with the HTTP status the server answered. */
function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${backend.url}${path}`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => ({ cookie: `nodeless_token_${backend.port}=${backend.token}` });

/** A WebSocket class that presents the session cookie, as a same-origin page would. */
function cookieWebSocket(origin: string): typeof globalThis.WebSocket {
  class WithCookie extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...cookie(), origin } });
    }
  }
  return WithCookie as unknown as typeof globalThis.WebSocket;
}

describe('upgrade guards', () => {
  it('refuses an upgrade without a token (401) or with a wrong one', async () => {
    expect(await upgradeStatus(WS_PATH, {})).toBe(401);
    expect(
      await upgradeStatus(WS_PATH, {
        cookie: `nodeless_token_${backend.port}=wrong`,
        origin: backend.url,
      }),
    ).toBe(401);
  });

  it('refuses a foreign Origin or Host before looking at the token (403)', async () => {
    expect(await upgradeStatus(WS_PATH, { ...cookie(), origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(WS_PATH, { ...cookie(), host: 'rebind.example:80' })).toBe(403);
  });

  it('refuses the cookie without an Origin (403): a browser always sends one on a handshake', async () => {
    expect(await upgradeStatus(WS_PATH, cookie())).toBe(403);
    expect(await upgradeStatus(WS_PATH, { authorization: `Bearer ${backend.token}` })).toBe(101);
  });

  it('answers 404 for any other path', async () => {
    expect(await upgradeStatus('/api/trpc', { ...cookie(), origin: backend.url })).toBe(404);
  });

  it('switches protocols with the cookie and our own origin (101)', async () => {
    expect(await upgradeStatus(WS_PATH, { ...cookie(), origin: backend.url })).toBe(101);
  });
});

describe('subscriptions over one socket', () => {
  it('carries several streams at once and delivers live changes', async () => {
    const wsUrl = `${backend.url.replace(/^http/, 'ws')}${WS_PATH}`;
    const opened: string[] = [];
    const ws = createWSClient({
      url: wsUrl,
      WebSocket: cookieWebSocket(backend.url),
      onOpen: () => opened.push('open'),
    });
    const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    const events: InventoryEvent[] = [];
    const snapshots: number[] = [];
    const subs = [0, 1, 2].map((i) =>
      trpc.inventory.events.subscribe(undefined, {
        onData: (event) => {
          if (event.type === 'snapshot') snapshots.push(i);
          else if (i === 0) events.push(event);
        },
      }),
    );
    try {
      await expect.poll(() => snapshots.length).toBe(3);
      const created = await client(backend).clusters.create.mutate({ name: 'over-websocket' });
      await expect
        .poll(() => events.some((e) => JSON.stringify(e).includes(created.id)))
        .toBe(true);
      expect(opened).toEqual(['open']);
    } finally {
      for (const sub of subs) sub.unsubscribe();
      await ws.close();
    }
  });

  it('closes open sockets when the backend stops', async () => {
    const dir = tempDir('ws-close');
    const own = await startTestBackend({ dataDir: dir });
    const socket = new WebSocket(`${own.url.replace(/^http/, 'ws')}${WS_PATH}`, {
      headers: { cookie: `nodeless_token_${own.port}=${own.token}`, origin: own.url },
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await own.close();
    await closed;
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
