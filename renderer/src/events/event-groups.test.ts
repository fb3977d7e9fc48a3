import { describe, expect, it } from 'vitest';
import { createFeedStore } from '../workspace/feed-store.ts';
import { createEventIndex } from './event-index.ts';
import { eventMatcher, groupEvents, NO_FILTER, type EventRow } from './event-groups.ts';
import { lastSeenText } from './event-format.ts';
import { objectHref } from './event-links.ts';

const T = Date.parse('2026-03-01T08:00:00Z');
const MIN = 60_000;
function ev(uid: string, o: Partial<EventRow> = {}): EventRow {
  return {
    uid,
    name: `p.${uid}`,
    namespace: 'data',
    type: 'Normal',
    reason: 'Pulled',
    message: 'pulled',
    regarding: { kind: 'Pod', name: 'worker-1', namespace: 'data', uid: 'pod-1' },
    count: 1,
    source: 'kubelet',
    ...o,
  };
}

describe('groupEvents', () => {
  it('groups repeats of one object, type, reason and message; sums counts; newest first', () => {
    const backoff = { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting' };
    const groups = groupEvents([
      // The same warning, once per API shape: a core/v1 count and an events.k8s.io series.
      ev('a', { ...backoff, count: 5, firstAt: T, lastAt: T + 10 * MIN }),
      ev('b', { ...backoff, count: 3, firstAt: T + 20 * MIN, lastAt: T + 30 * MIN }),
      ev('c', { reason: 'Scheduled', firstAt: T - MIN, lastAt: T - MIN }),
      // Same reason on another pod: its own line.
      ev('d', {
        ...backoff,
        regarding: { kind: 'Pod', name: 'worker-2', namespace: 'data', uid: 'pod-2' },
        lastAt: T + 15 * MIN,
      }),
    ]);
    expect(groups.map((g) => [g.latest.uid, g.count, g.objects])).toEqual([
      ['b', 8, 2],
      ['d', 1, 1],
      ['c', 1, 1],
    ]);
    expect(groups[0]).toMatchObject({ firstAt: T, lastAt: T + 30 * MIN });
    expect(groups[0] && lastSeenText(groups[0], T + 40 * MIN)).toBe('10m (x8 over 40m)');
    expect(groups[2] && lastSeenText(groups[2], T + 40 * MIN)).toBe('41m');
  });

  it('an event without times sorts by its creation time', () => {
    const groups = groupEvents([
      ev('old', { createdAt: T }),
      ev('new', { createdAt: T + MIN, reason: 'X' }),
    ]);
    expect(groups.map((g) => g.latest.uid)).toEqual(['new', 'old']);
  });
});

describe('eventMatcher', () => {
  const w = ev('w', { type: 'Warning', reason: 'BackOff' });
  const n = ev('n', {
    namespace: 'shop',
    regarding: { kind: 'Deployment', name: 'web', namespace: 'shop' },
  });
  it.each([
    [{}, ['w', 'n']],
    [{ namespace: 'shop' }, ['n']],
    [{ type: 'Warning' }, ['w']],
    [{ reason: 'backoff' }, ['w']],
    [{ object: 'deployment/w' }, ['n']],
    [{ object: 'Pod/worker' }, ['w']],
  ])('%j keeps %j', (patch, uids) => {
    const match = eventMatcher({ ...NO_FILTER, ...patch });
    expect([w, n].filter(match).map((e) => e.uid)).toEqual(uids);
  });
});

describe('objectHref', () => {
  it('links pods to the Pods details and workloads to the Workloads details; others nowhere', () => {
    expect(objectHref('c1', ev('p'))).toBe('#/clusters/c1/pods/data/worker-1');
    const d = ev('d', { regarding: { kind: 'Deployment', name: 'web', namespace: 'shop' } });
    expect(objectHref('c1', d)).toBe('#/clusters/c1/workloads/Deployment/shop/web');
    expect(
      objectHref('c1', ev('n', { regarding: { kind: 'Node', name: 'n1' }, namespace: '' })),
    ).toBe(undefined);
  });
});

describe('event index', () => {
  it('keeps events by regarded uid per batch, stable arrays, and tells only the changed uid', () => {
    const feed = createFeedStore<EventRow>(() => {});
    const index = createEventIndex(feed);
    const calls: string[] = [];
    index.subscribe('pod-1', () => calls.push('pod-1'));
    index.subscribe('pod-2', () => calls.push('pod-2'));
    feed.push({ type: 'reset', total: 2 });
    feed.push({
      type: 'rows',
      rows: [ev('a'), ev('b', { regarding: { kind: 'Pod', name: 'x', uid: 'pod-2' } })],
    });
    feed.push({ type: 'synced' });
    feed.flush();
    expect(index.get('pod-1').map((e) => e.uid)).toEqual(['a']);
    expect(index.get('pod-2').map((e) => e.uid)).toEqual(['b']);
    const before = index.get('pod-1');
    calls.length = 0;
    // An update of pod-2's event: pod-1's array stays the same object, only pod-2 is told.
    feed.push({
      type: 'rows',
      rows: [ev('b', { count: 2, regarding: { kind: 'Pod', name: 'x', uid: 'pod-2' } })],
    });
    feed.flush();
    expect(calls).toEqual(['pod-2']);
    expect(index.get('pod-1')).toBe(before);
    expect(index.get('pod-2')[0]?.count).toBe(2);
    feed.push({ type: 'deleted', uids: ['a'] });
    feed.push({ type: 'rows', rows: [ev('c')] });
    feed.flush();
    expect(index.get('pod-1').map((e) => e.uid)).toEqual(['c']);
    expect(index.get('nobody')).toEqual([]);
  });

  it('a later snapshot (relist) rebuilds it', () => {
    const feed = createFeedStore<EventRow>(() => {});
    feed.push({ type: 'reset', total: 1 });
    feed.push({ type: 'rows', rows: [ev('a')] });
    feed.push({ type: 'synced' });
    feed.flush();
    const index = createEventIndex(feed);
    expect(index.get('pod-1')).toHaveLength(1);
    feed.push({ type: 'reset', total: 1 });
    feed.push({
      type: 'rows',
      rows: [ev('z', { regarding: { kind: 'Pod', name: 'y', uid: 'pod-9' } })],
    });
    feed.push({ type: 'synced' });
    feed.flush();
    expect(index.get('pod-1')).toEqual([]);
    expect(index.get('pod-9').map((e) => e.uid)).toEqual(['z']);
  });
});
