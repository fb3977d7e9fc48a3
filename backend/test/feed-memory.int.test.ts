/**
 * A window that stops reading cannot make the backend's memory grow (issue 11, Done-when): a
 * keyed feed served over real tRPC v11 SSE (the project's procedure and SSE settings, the
 * node-http adapter the backend uses) to a real HTTP client that reads the snapshot and then
 * stops reading its socket. 200,000 updates of 1,000 rows flow; the server's heap after GC
 * stays flat while they do (coalescing: pending holds one entry per uid), the generator is
 * pulled only as the response drains, and when the client reads again it gets the latest row
 * of every uid, not the history. Bounded loops and time.
 *
 * The same over tRPC's WebSocket adapter (what the renderer uses): that adapter pulls the
 * generator eagerly and `ws.send()` buffers without bound, so the subscription passes the feed
 * a `writable()` built from the socket's `bufferedAmount` (feed/backpressure.ts); without it the
 * same flood grows the heap by tens of MiB.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../src/api/context.ts';
import { procedure, router } from '../src/api/trpc.ts';
import type { FeedMessage } from '../src/clusters/contract.ts';
import { socketWritable } from '../src/feed/backpressure.ts';
import { createKeyedFeed } from '../src/feed/keyed-feed.ts';
import type { SubscribeOptions } from '../src/feed/types.ts';

interface Row {
  uid: string;
  name: string;
  version: number;
  note: string;
}
const ROWS = 1000;
const ROUNDS = 200;
const row = (i: number, version: number): Row => ({
  uid: `uid-${i}`,
  name: `pod-${i}`,
  version,
  // ~200 bytes a row, so a queue of 200,000 would be tens of MB: growth could not hide.
  note: `${'x'.repeat(160)}-${version}`,
});

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

const feed = createKeyedFeed<Row>();
let pulled = 0;
type Ctx = ApiContext & { transport?: SubscribeOptions };
const appRouter = router({
  rows: procedure.subscription(async function* ({ signal, ctx }) {
    const options = (ctx as Ctx).transport ?? {};
    for await (const message of feed.subscribe(signal ?? new AbortController().signal, options)) {
      pulled++;
      yield message;
    }
  }),
});
const ctx = { logger: { log: () => undefined } } as unknown as ApiContext;
let server: http.Server;
let base: string;
let wss: WebSocketServer;
let wsUrl: string;

beforeAll(async () => {
  feed.reset(Array.from({ length: ROWS }, (_, i) => row(i, 0)));
  feed.setSynced(true);
  server = createHTTPServer({ router: appRouter, createContext: () => ctx });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ res }) => ({ ...ctx, transport: { writable: socketWritable(res) } }),
  });
});
afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise((resolve) => wss.close(resolve));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** An SSE reader over a raw socket: it parses what it reads and can stop reading. */
function openSse(path: string) {
  const messages: FeedMessage<Row>[] = [];
  let buffer = '';
  let res: http.IncomingMessage | undefined;
  const req = http.get(`${base}${path}`, { headers: { accept: 'text/event-stream' } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (r) => {
      res = r;
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          if (lines.some((l) => l.startsWith('event:'))) continue; // connected, ping
          const data = lines
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (data) messages.push(JSON.parse(data) as FeedMessage<Row>);
        }
      });
      resolve();
    });
  });
  return {
    messages,
    opened,
    pause: () => res?.pause(),
    resume: () => res?.resume(),
    close: () => req.destroy(),
  };
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** 200,000 updates in bursts of 1,000; heap (after GC) sampled along the way. */
async function flood(): Promise<{ version: number; growth: number; pulled: number }> {
  const pulledBefore = pulled;
  const started = Date.now();
  const samples: number[] = [];
  let version = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    version = round;
    for (let i = 0; i < ROWS; i++) feed.upsert(row(i, version));
    await tick(); // let the server write (and block) between bursts
    if (round === 20 || round % 60 === 0) samples.push(heap());
  }
  const growth = Math.max(...samples) - (samples[0] ?? 0);
  const count = pulled - pulledBefore;
  console.log(
    `feed memory: ${(ROUNDS * ROWS).toLocaleString('en')} updates in ${Date.now() - started} ms; heap (MiB) ${samples
      .map((b) => (b / 2 ** 20).toFixed(1))
      .join(', ')}; growth ${(growth / 2 ** 20).toFixed(2)} MiB; messages pulled ${count}`,
  );
  return { version, growth, pulled: count };
}

/** Waits until `latest` holds every row at `version`, taking rows from `messages`. */
async function untilLatest(messages: FeedMessage<Row>[], version: number): Promise<void> {
  const latest = new Map<string, number>();
  await until('the latest version of every row', () => {
    for (const m of messages.splice(0)) {
      if (m.type === 'rows') for (const r of m.rows) latest.set(r.uid, r.version);
    }
    return latest.size === ROWS && [...latest.values()].every((v) => v === version);
  });
}

describe('keyed feed over SSE with a window that never reads', () => {
  it('keeps the heap flat while 200,000 updates flow, then delivers the latest rows', async () => {
    const sse = openSse('/rows');
    await sse.opened;
    await until('the snapshot', () => sse.messages.some((m) => m.type === 'synced'));
    expect(sse.messages[0]).toEqual({ type: 'reset', total: ROWS });
    sse.pause(); // the window stops reading: its socket fills, the response stops draining
    const { version, growth, pulled: pulledWhilePaused } = await flood();
    // 200,000 rows × ~250 B queued would be ~50 MB; coalesced, the pending map is 1,000 entries.
    expect(growth).toBeLessThan(8 * 2 ** 20);
    // The generator ran only while the socket took data: far fewer messages than updates.
    expect(pulledWhilePaused).toBeLessThan((ROUNDS * ROWS) / 50);
    sse.resume();
    await untilLatest(sse.messages, version);
    sse.close();
    await until('the subscription to end', () => feed.subscriberCount === 0);
  });
  it('over the WebSocket adapter too, with the socket-buffer writable()', async () => {
    const messages: FeedMessage<Row>[] = [];
    const client = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    client.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text === 'PING' || text === 'PONG') return;
      const m = JSON.parse(text) as { result?: { type: string; data?: FeedMessage<Row> } };
      if (m.result?.type === 'data' && m.result.data) messages.push(m.result.data);
    });
    client.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'rows' } }));
    await until('the snapshot', () => messages.some((m) => m.type === 'synced'));
    expect(messages[0]).toEqual({ type: 'reset', total: ROWS });
    client.pause(); // stops reading its socket

    const { version, growth, pulled: pulledWhilePaused } = await flood();
    expect(growth).toBeLessThan(8 * 2 ** 20);
    expect(pulledWhilePaused).toBeLessThan((ROUNDS * ROWS) / 50);

    messages.length = 0;
    client.resume();
    await untilLatest(messages, version);
    client.close();
    await until('the subscription to end', () => feed.subscriberCount === 0);
  });
});
