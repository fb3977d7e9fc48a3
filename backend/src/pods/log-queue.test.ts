import { describe, expect, it } from 'vitest';
import { LogQueue } from './log-queue.ts';
import type { LogsMessage } from './logs-types.ts';

/** A clock the test moves; `sleep` advances it at once (no real waiting). */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    slept,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const line = (text: string) => ({ pod: 'p', container: 'c', text });

async function take(gen: AsyncGenerator<LogsMessage>, n: number): Promise<LogsMessage[]> {
  const out: LogsMessage[] = [];
  for (let i = 0; i < n; i++) {
    const r = await gen.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('LogQueue', () => {
  it('sends lines pushed within one window as one message, after the window', async () => {
    const t = fakeTime();
    const q = new LogQueue({ now: t.now, sleep: t.sleep, flushMs: 100 });
    q.push(line('a'));
    q.push(line('b'));
    q.push(line('c'));
    const [first] = await take(q.messages(new AbortController().signal), 1);
    expect(first).toEqual({ type: 'lines', lines: [line('a'), line('b'), line('c')] });
    expect(t.slept).toEqual([100]);
  });

  it('keeps other messages in their place among the lines and ends once closed and drained', async () => {
    const t = fakeTime();
    const q = new LogQueue({ now: t.now, sleep: t.sleep });
    q.push(line('before'));
    q.send({ type: 'pod-gone', pod: 'old' });
    q.push(line('after'));
    q.close();
    const all = await take(q.messages(new AbortController().signal), 10);
    expect(all).toEqual([
      { type: 'lines', lines: [line('before')] },
      { type: 'pod-gone', pod: 'old' },
      { type: 'lines', lines: [line('after')] },
    ]);
  });

  it('cuts batches at maxBatch lines', async () => {
    const t = fakeTime();
    const q = new LogQueue({ now: t.now, sleep: t.sleep, maxBatch: 2 });
    for (const x of ['1', '2', '3']) q.push(line(x));
    q.close();
    const all = await take(q.messages(new AbortController().signal), 10);
    expect(all.map((m) => (m.type === 'lines' ? m.lines.length : 0))).toEqual([2, 1]);
  });

  it('asks sources to pause above highWater and to resume below lowWater, losing no line', async () => {
    const t = fakeTime();
    const q = new LogQueue({
      now: t.now,
      sleep: t.sleep,
      maxBatch: 10,
      highWater: 30,
      lowWater: 10,
    });
    const pressure: boolean[] = [];
    q.onPressure((paused) => pressure.push(paused));
    for (let i = 0; i < 30; i++) q.push(line(String(i)));
    expect(pressure).toEqual([true]);
    expect(q.paused).toBe(true);
    const gen = q.messages(new AbortController().signal);
    await take(gen, 1); // 20 pending: still paused
    expect(pressure).toEqual([true]);
    await take(gen, 1); // 10 pending: resume
    expect(pressure).toEqual([true, false]);
    q.close();
    const rest = await take(gen, 10);
    expect(rest.flatMap((m) => (m.type === 'lines' ? m.lines : []))).toHaveLength(10);
  });

  it('awaits the transport before each message', async () => {
    const t = fakeTime();
    const q = new LogQueue({ now: t.now, sleep: t.sleep });
    let release: () => void = () => undefined;
    let asked = 0;
    const writable = () => {
      asked++;
      return new Promise<void>((r) => (release = r));
    };
    q.send({ type: 'ended', reason: 'x' });
    const gen = q.messages(new AbortController().signal, writable);
    const next = gen.next();
    await Promise.resolve();
    expect(asked).toBe(1);
    let got = false;
    void next.then(() => (got = true));
    await Promise.resolve();
    expect(got).toBe(false);
    release();
    expect((await next).value).toEqual({ type: 'ended', reason: 'x' });
  });

  it('ends when the subscriber aborts, even while waiting for input', async () => {
    const q = new LogQueue();
    const stop = new AbortController();
    const next = q.messages(stop.signal).next();
    stop.abort();
    expect((await next).done).toBe(true);
  });
});
