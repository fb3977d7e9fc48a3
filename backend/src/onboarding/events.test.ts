import { describe, expect, it } from 'vitest';
import { OnboardingEvents } from './events.ts';
import type { ClusterCheckView, OnboardingEvent } from './types.ts';

const report = (checkId: string): ClusterCheckView => ({
  checkId,
  clusterId: 'c1',
  startedAt: 's',
  finishedAt: 'f',
  hosts: [],
  cluster: { verdicts: [] },
  capacity: { totalVcpu: 0, totalMemoryBytes: 0, podsBySpec: [] },
  blocking: false,
});
const started = (checkId: string, clusterId = 'c1'): OnboardingEvent => ({
  type: 'check.started',
  checkId,
  clusterId,
  hostIds: ['h1'],
  at: 'now',
});
const progress = (checkId: string, state: 'running' | 'done'): OnboardingEvent => ({
  type: 'check.progress',
  checkId,
  hostId: 'h1',
  step: 'connect',
  state,
  current: 1,
  max: 5,
  description: state,
});

/** Collects `n` events from a subscription, then stops it. */
async function take(gen: AsyncGenerator<OnboardingEvent>, n: number, stop: AbortController) {
  const out: OnboardingEvent[] = [];
  for await (const e of gen) {
    out.push(e);
    if (out.length === n) break;
  }
  stop.abort();
  return out;
}

describe('OnboardingEvents', () => {
  it('replays the latest report and the running check, then live events of its cluster only', async () => {
    const bus = new OnboardingEvents();
    bus.publish('c1', started('k2'));
    bus.publish('c1', progress('k2', 'running'));
    const stop = new AbortController();
    const gen = bus.subscribe('c1', () => report('k1'), stop.signal);
    const collected = take(gen, 5, stop);
    // Let the generator start listening before publishing live events.
    await new Promise((r) => setImmediate(r));
    bus.publish('c2', started('other', 'c2'));
    bus.publish('c1', progress('k2', 'done'));
    bus.publish('c1', { type: 'check.finished', checkId: 'k2', report: report('k2') });
    expect((await collected).map((e) => [e.type, e.checkId, 'state' in e ? e.state : ''])).toEqual([
      ['check.finished', 'k1', ''],
      ['check.started', 'k2', ''],
      ['check.progress', 'k2', 'running'],
      ['check.progress', 'k2', 'done'],
      ['check.finished', 'k2', ''],
    ]);
    expect(bus.subscriberCount).toBe(0);
  });

  it('replays nothing when there is no report and no running check', async () => {
    const bus = new OnboardingEvents();
    bus.publish('c1', started('k1'));
    bus.publish('c1', { type: 'check.finished', checkId: 'k1', report: report('k1') });
    const stop = new AbortController();
    const gen = bus.subscribe('c1', () => null, stop.signal);
    const collected = take(gen, 1, stop);
    await new Promise((r) => setImmediate(r));
    bus.publish('c1', started('k3'));
    expect(await collected).toEqual([started('k3')]);
  });
});
