/**
 * The production path of a window that stops reading its WebSocket: the real backend
 * (`startBackend`, its `/api/ws` endpoint and router), a real tRPC WebSocket client (the
 * renderer's `createWSClient` + `wsLink`), the demo cluster's pods feed on a kube-sim the test
 * floods with pod changes. tRPC's WebSocket adapter pulls a subscription as fast as it yields and
 * `ws.send()` queues without bound, so the backend must hand each subscription the socket's
 * `writable()` (websocket.ts → ApiContext.transport → the feed): then the changes coalesce by
 * uid in the feed instead of piling up serialized in the socket's buffer, the heap stays flat,
 * and a window that reads again gets the latest row of every pod.
 *
 * A second window on its own socket keeps reading: when it has seen the last round, the backend
 * has taken the whole flood, and memory is measured then. Without the transport wiring the
 * 40,000 changes (~100 MB as sent) grew the backend's heap by 78 MiB; with it, by ~2.5 MiB.
 * The stalled window stays paused less than the keep-alive's 25 s (ping + pong wait), after
 * which the backend would drop it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startKubeSim, type KubeSim } from '../../testkit/src/kube-sim/index.ts';
import { bulkLoadPods, PODS } from '../../testkit/src/kube-sim/scale/bulk-pods.ts';
import type { AppRouter } from '../src/api/router.ts';
import type { RunningBackend } from '../src/backend.ts';
import type { FeedMessage, WorkspacePodRow } from '../src/clusters/contract.ts';
import { WS_PATH } from '../src/http/websocket.ts';
import { client, startTestBackend, tempDir } from './support.ts';

const PODS_COUNT = 500;
const WARMUP = 20;
const ROUNDS = WARMUP + 80;
/**
 * Twenty labels of 60 characters: rows of ~1.7 KB, so the flood (~70 MB as sent) outgrows what
 * the kernel's loopback buffers can absorb (tcp_rmem autotunes up to 32 MiB) and what queues in
 * the backend shows.
 */
const FILLER = Array.from({ length: 20 }, (_, i) => [`fill.example/l${i}`, 'x'.repeat(56)]);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Heap after GC plus Buffers (what ws queues is Buffers, outside the JS heap). */
const heap = () => {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

let sim: KubeSim;
let dataDir: string;
let backend: RunningBackend;
let keys: [string, string][];

beforeAll(async () => {
  // A short watch window: kube-sim (in this process too) keeps little history of the flood.
  sim = await startKubeSim({ sim: false, watchWindow: 200 });
  ({ keys } = await bulkLoadPods(sim.store, {
    count: PODS_COUNT,
    namespaces: 2,
    nodes: 3,
    podsPerOwner: 50,
  }));
  dataDir = tempDir('ws-backpressure');
  const file = path.join(dataDir, 'demo.kubeconfig');
  fs.writeFileSync(file, sim.kubeconfig, { mode: 0o600 });
  backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: file } });
}, 120_000);
afterAll(async () => {
  await backend?.close();
  await sim?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The ws sockets the tRPC client opened (so the test can stop reading one). */
const sockets: WebSocket[] = [];
function recordingWebSocket(): typeof globalThis.WebSocket {
  const { url, token, port } = backend;
  class Recording extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, {
        headers: { cookie: `nodeless_token_${port}=${token}`, origin: url },
      });
      sockets.push(this);
    }
  }
  return Recording as unknown as typeof globalThis.WebSocket;
}

/** Every pod changed once per round (a label carries the round): MODIFIED watch events. */
async function flood(from: number, to: number): Promise<void> {
  for (let round = from; round <= to; round++) {
    for (const [namespace, name] of keys) {
      const old = sim.store.getRaw(PODS, namespace, name);
      if (!old) continue;
      const labels = {
        ...old.metadata.labels,
        ...Object.fromEntries(FILLER.map(([k, v]) => [k, `${v}${round}`])),
        [ROUND_LABEL]: String(round),
      };
      sim.store.replace(PODS, { ...old, metadata: { ...old.metadata, labels } }, old);
    }
    // Let kube-sim stream, the backend's cache and feed take the changes, tRPC send.
    await sleep(20);
  }
}

const ROUND_LABEL = 'test.nodeless.dev/round';

/** A window on its own socket: the latest round it has seen per pod (bounded, not a log). */
function openWindow(clusterId: string) {
  const ws = createWSClient({
    url: `${backend.url.replace(/^http/, 'ws')}${WS_PATH}`,
    WebSocket: recordingWebSocket(),
  });
  // The client opens its socket on its own schedule: the n-th one recorded is this window's.
  const index = sockets.length;
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  const latest = new Map<string, string | undefined>();
  let synced = false;
  let bytes = 0;
  const sub = trpc.workspace.feed.subscribe(
    { clusterId, kind: 'pods' },
    {
      onData: (message) => {
        const m = message as FeedMessage<WorkspacePodRow>;
        if (m.type === 'synced') synced = true;
        bytes += JSON.stringify(m).length;
        if (m.type === 'rows') for (const r of m.rows) latest.set(r.uid, r.labels[ROUND_LABEL]);
      },
    },
  );
  return {
    socket: () => sockets[index],
    latest,
    synced: () => synced,
    bytes: () => bytes,
    /** Whether every pod was seen at `round`. */
    at: (round: number) =>
      latest.size === PODS_COUNT && [...latest.values()].every((v) => v === `${round}`),
    close: async () => {
      sub.unsubscribe();
      await ws.close();
    },
  };
}

describe('a window that stops reading its WebSocket', () => {
  it('leaves the backend memory flat while the pods feed floods, then gets the latest rows', async () => {
    const [demo] = await client(backend).workspace.clusters.query();
    expect(demo?.source).toBe('demo');
    const stalled = openWindow(demo?.id ?? '');
    const reading = openWindow(demo?.id ?? '');
    try {
      await expect.poll(() => stalled.synced() && reading.synced(), { timeout: 60_000 }).toBe(true);
      expect(sockets).toHaveLength(2);
      // Warm-up rounds, both windows reading: every pod gets its full-size labels and the
      // code paths are compiled, so what is measured below is what the stalled window costs.
      await flood(1, WARMUP);
      await expect
        .poll(() => reading.at(WARMUP) && stalled.at(WARMUP), { timeout: 60_000 })
        .toBe(true);
      const before = heap();
      stalled.socket()?.pause(); // the window stops reading: the socket's buffers fill

      await flood(WARMUP + 1, ROUNDS);
      // The reading window saw the last round: the backend has taken the whole flood.
      await expect.poll(() => reading.at(ROUNDS), { timeout: 60_000 }).toBe(true);
      const after = heap();
      const growth = after - before;
      console.log(
        `ws backpressure: ${((ROUNDS - WARMUP) * PODS_COUNT).toLocaleString('en')} pod changes; heap+buffers ${(before / 2 ** 20).toFixed(1)} -> ${(after / 2 ** 20).toFixed(1)} MiB (growth ${(growth / 2 ** 20).toFixed(2)} MiB); the reading window got ${(reading.bytes() / 2 ** 20).toFixed(1)} MiB`,
      );
      // Queued as sent, 40,000 rows of ~700 B would be tens of MiB; coalesced, a few.
      expect(growth).toBeLessThan(10 * 2 ** 20);

      stalled.socket()?.resume();
      await expect.poll(() => stalled.at(ROUNDS), { timeout: 60_000 }).toBe(true);
    } finally {
      await stalled.close();
      await reading.close();
    }
  }, 180_000);
});
