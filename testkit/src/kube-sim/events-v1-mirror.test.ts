import { describe, expect, it } from 'vitest';
import { startEventsV1Mirror } from './events-v1-mirror.ts';
import { MemoryStore } from './store/memory-store.ts';

const CORE = { group: '', version: 'v1', resource: 'events' };
const V1 = { group: 'events.k8s.io', version: 'v1', resource: 'events' };
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('events.k8s.io/v1 mirror', () => {
  it('shows core Events with the upstream field mapping, follows changes and deletions', async () => {
    const s = new MemoryStore();
    const stop = startEventsV1Mirror(s);
    const regarding = { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-1' };
    s.create(CORE, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web-1.1', namespace: 'shop' },
      involvedObject: regarding,
      reason: 'Scheduled',
      message: 'Successfully assigned shop/web-1 to n1',
      type: 'Normal',
      source: { component: 'default-scheduler' },
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:00Z',
    });
    await tick();
    expect(s.get(V1, 'shop', 'web-1.1')).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding,
      note: 'Successfully assigned shop/web-1 to n1',
      reportingController: 'default-scheduler',
      deprecatedSource: { component: 'default-scheduler' },
      deprecatedCount: 1,
      eventTime: null,
    });
    const core = s.get(CORE, 'shop', 'web-1.1');
    if (core === undefined) throw new Error('core event missing');
    s.update(CORE, { ...core, count: 2 });
    await tick();
    expect(s.get(V1, 'shop', 'web-1.1')?.['deprecatedCount']).toBe(2);
    s.delete(CORE, 'shop', 'web-1.1');
    await tick();
    expect(s.get(V1, 'shop', 'web-1.1')).toBeUndefined();
    stop();
  });
});
