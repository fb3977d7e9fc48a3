/** The topic bus: replay then live events per topic, no gap and no repeat, bounded queues. */
import { describe, expect, it } from 'vitest';
import { TopicBus } from './topic-bus.ts';

async function pull<E>(it: AsyncGenerator<E>, n: number): Promise<E[]> {
  const out: E[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('TopicBus', () => {
  it('yields the replay, then live events of its topic only, in order', async () => {
    const bus = new TopicBus<string>();
    const ac = new AbortController();
    const it = bus.subscribe('c1', () => ['state'], ac.signal);
    expect(await pull(it, 1)).toEqual(['state']);
    bus.publish('c2', 'other');
    bus.publish('c1', 'e1');
    bus.publish('c1', 'e2');
    expect(await pull(it, 2)).toEqual(['e1', 'e2']);
    ac.abort();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount).toBe(0);
  });

  it('queues what is published before the first pull (nothing lost) after the replay', async () => {
    let state = 'v1';
    const bus = new TopicBus<string>();
    const ac = new AbortController();
    const it = bus.subscribe('t', () => [state], ac.signal);
    const first = it.next(); // the body runs: registered, replay read
    state = 'v2';
    bus.publish('t', 'changed to v2');
    expect((await first).value).toBe('v1');
    expect(await pull(it, 1)).toEqual(['changed to v2']);
    ac.abort();
  });

  it('resyncs a subscriber that does not read: the queue is capped, then the replay again', async () => {
    let version = 0;
    const bus = new TopicBus<string>({ maxQueue: 3 });
    const ac = new AbortController();
    const it = bus.subscribe('t', () => [`state@${version}`], ac.signal);
    expect(await pull(it, 1)).toEqual(['state@0']);
    for (version = 1; version <= 100; version++) bus.publish('t', `e${version}`);
    version = 100;
    expect(await pull(it, 1)).toEqual(['state@100']);
    bus.publish('t', 'after');
    expect(await pull(it, 1)).toEqual(['after']);
    ac.abort();
  });
  it('waits for the transport (writable) before each event, resyncing if the queue overflows meanwhile', async () => {
    let version = 0;
    let release: (() => void) | undefined;
    let blocked = false;
    const writable = () =>
      blocked ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    const bus = new TopicBus<string>({ maxQueue: 5 });
    const ac = new AbortController();
    const it = bus.subscribe('t', () => [`state@${version}`], ac.signal, { writable });
    expect(await pull(it, 1)).toEqual(['state@0']);
    blocked = true;
    const next = it.next(); // waits on the transport
    for (version = 1; version <= 50; version++) bus.publish('t', `e${version}`);
    version = 50;
    blocked = false;
    release?.();
    expect((await next).value).toBe('state@50');
    ac.abort();
  });
});
