import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Pod } from './containers.ts';
import { LogQueue } from './log-queue.ts';
import type { LogRequest } from './log-request.ts';
import type { LogLine, LogsMessage } from './logs-types.ts';
import { PodTail } from './pod-tail.ts';

const running = (restartCount: number): Pod => ({
  metadata: { name: 'web-1' },
  spec: { containers: [{ name: 'app' }] },
  status: {
    phase: 'Running',
    containerStatuses: [{ name: 'app', restartCount, state: { running: {} } } as never],
  },
});

const tick = () => new Promise((r) => setImmediate(r));

function setup(queue: LogQueue, sleep?: (ms: number) => Promise<void>) {
  const requests: LogRequest[] = [];
  const bodies: PassThrough[] = [];
  const done: string[] = [];
  const tail = new PodTail(running(0), {
    ...(sleep ? { sleep } : {}),
    client: { config: {} as never },
    input: { clusterId: 'c', namespace: 'default', pod: 'web-1', tailLines: 100 },
    queue,
    signal: new AbortController().signal,
    onDone: (reason) => done.push(reason),
    open: (_client, request) => {
      requests.push(request);
      const body = new PassThrough();
      bodies.push(body);
      return Promise.resolve(body as unknown as IncomingMessage);
    },
  });
  return { tail, requests, bodies, done };
}

async function drain(queue: LogQueue, n: number): Promise<LogsMessage[]> {
  const gen = queue.messages(new AbortController().signal);
  const out: LogsMessage[] = [];
  for (let i = 0; i < n; i++) out.push((await gen.next()).value as LogsMessage);
  return out;
}

describe('PodTail', () => {
  it('pauses the HTTP body while the queue is over its bound and resumes it once drained', async () => {
    const queue = new LogQueue({ highWater: 3, lowWater: 1, maxBatch: 2, flushMs: 0 });
    const { tail, bodies } = setup(queue);
    tail.update(running(0));
    await tick();
    const body = bodies[0];
    if (!body) throw new Error('no request');
    body.write('1\n2\n3\n');
    await tick();
    expect(queue.pendingLines).toBe(3);
    expect(body.isPaused()).toBe(true);
    const [first, second] = await drain(queue, 2);
    expect(first).toEqual({
      type: 'lines',
      lines: [
        { pod: 'web-1', container: 'app', text: '1' },
        { pod: 'web-1', container: 'app', text: '2' },
      ],
    });
    expect(second?.type).toBe('lines');
    expect(body.isPaused()).toBe(false);
  });

  it('reads the next instance after a restart, without the tail', async () => {
    const queue = new LogQueue({ flushMs: 0 });
    const { tail, requests, bodies } = setup(queue);
    tail.update(running(0));
    await tick();
    expect(requests[0]).toMatchObject({ container: 'app', follow: true, tailLines: 100 });
    bodies[0]?.end('bye\n');
    await tick();
    expect(tail.state).toBe('done');
    tail.update(running(0)); // same instance: nothing new to read
    await tick();
    expect(requests).toHaveLength(1);
    tail.update(running(1));
    await tick();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.tailLines).toBeUndefined();
  });

  it('reopens a stream the server ended while the container runs, without repeating lines', async () => {
    const queue = new LogQueue({ flushMs: 0 });
    const waits: number[] = [];
    let wake: () => void = () => {};
    const { tail, requests, bodies } = setup(queue, (ms) => {
      waits.push(ms);
      return new Promise<void>((r) => (wake = r));
    });
    tail.update(running(0));
    await tick();
    expect(requests[0]).toMatchObject({ timestamps: true, tailLines: 100 });
    expect(requests[0]?.sinceTime).toBeUndefined();
    bodies[0]?.end('2026-12-02T17:00:04.5Z a\n2026-12-02T17:00:05.25Z b\n');
    await tick();
    // Still running, same instance: reopen after the first backoff step.
    expect(waits).toEqual([1000]);
    wake();
    await tick();
    expect(requests[1]).toMatchObject({ sinceTime: '2026-12-02T17:00:05Z', timestamps: true });
    expect(requests[1]?.tailLines).toBeUndefined();
    bodies[1]?.write('2026-12-02T17:00:05.25Z b\n2026-12-02T17:00:06Z c\n');
    await tick();
    const gen = queue.messages(new AbortController().signal);
    const lines: LogLine[] = [];
    while (lines.length < 3) {
      const m = (await gen.next()).value as LogsMessage;
      if (m.type === 'lines') lines.push(...m.lines);
    }
    expect(lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    // The window did not ask for timestamps: none reach it.
    expect(lines.every((l) => l.time === undefined)).toBe(true);
  });

  it('does not reopen once the container stopped running', async () => {
    const queue = new LogQueue({ flushMs: 0 });
    let wake: () => void = () => {};
    const { tail, requests, bodies, done } = setup(
      queue,
      () => new Promise<void>((r) => (wake = r)),
    );
    tail.update(running(0));
    await tick();
    bodies[0]?.end('bye\n');
    await tick();
    tail.update({
      ...running(0),
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'app', restartCount: 0, state: { terminated: { exitCode: 0 } } } as never,
        ],
      },
    });
    wake();
    await tick();
    expect(requests).toHaveLength(1);
    expect(done).toEqual([]);
  });
});
