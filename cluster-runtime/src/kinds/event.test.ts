/**
 * LAST SEEN and COUNT of events as `kubectl events` computes them, for both shapes: core/v1
 * (`firstTimestamp`/`lastTimestamp`/`count`) and events.k8s.io/v1 as the scheduler and kubelet
 * write it (`eventTime`, `series {count, lastObservedTime}`, no `deprecated*`), and a core/v1
 * event read back through events.k8s.io/v1 (its `deprecated*` fields).
 */
import { describe, expect, it } from 'vitest';
import type { CoreV1Event, EventsV1Event } from '@kubernetes/client-node';
import { eventRow, eventSeen } from './event.ts';

// The client's types say Date; the feed hands over the JSON string, which timeOf also reads.
const at = (s: string) => s as unknown as Date;
const ms = (s: string) => Date.parse(s);
const regarding = { kind: 'Pod', name: 'p', namespace: 'team', uid: 'pod-uid' };
const meta = (uid: string) => ({ name: `p.${uid}`, namespace: 'team', uid });

describe('eventSeen (kubectl events)', () => {
  it('a series wins over lastTimestamp and count', () => {
    expect(
      eventSeen({
        first: at('2026-03-01T08:00:00Z'),
        eventTime: undefined,
        last: at('2026-03-01T08:05:00Z'),
        count: 3,
        series: { count: 9, lastObservedTime: at('2026-03-01T08:30:00Z') },
      }),
    ).toEqual({
      count: 9,
      firstAt: ms('2026-03-01T08:00:00Z'),
      lastAt: ms('2026-03-01T08:30:00Z'),
    });
  });

  it('first seen prefers eventTime over firstTimestamp; last seen lastTimestamp over eventTime', () => {
    expect(
      eventSeen({
        first: at('2026-03-01T07:00:00Z'),
        eventTime: at('2026-03-01T08:00:00.5Z'),
        last: at('2026-03-01T08:10:00Z'),
        count: 2,
        series: undefined,
      }),
    ).toEqual({
      count: 2,
      firstAt: ms('2026-03-01T08:00:00.5Z'),
      lastAt: ms('2026-03-01T08:10:00Z'),
    });
  });

  it('a series without lastObservedTime falls back to the next known time, never to 0', () => {
    const s = eventSeen({
      first: undefined,
      eventTime: at('2026-03-01T08:00:00Z'),
      last: undefined,
      count: undefined,
      series: { count: 2 },
    });
    expect(s).toEqual({
      count: 2,
      firstAt: ms('2026-03-01T08:00:00Z'),
      lastAt: ms('2026-03-01T08:00:00Z'),
    });
  });

  it('count 0 (deprecatedCount unset) or absent is one occurrence', () => {
    const none = { first: undefined, eventTime: undefined, last: undefined, series: undefined };
    expect(eventSeen({ ...none, count: 0 }).count).toBe(1);
    expect(eventSeen({ ...none, count: undefined })).toEqual({ count: 1 });
  });
});

describe('eventRow of both shapes', () => {
  it('the scheduler’s events.k8s.io/v1 write: eventTime + series, no deprecated fields', () => {
    const e: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: meta('s1'),
      regarding,
      type: 'Warning',
      reason: 'FailedScheduling',
      note: '0/3 nodes are available',
      action: 'Scheduling',
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-cp',
      eventTime: at('2026-03-01T08:00:00.000001Z'),
      series: { count: 5, lastObservedTime: at('2026-03-01T08:04:00.000002Z') },
    };
    expect(eventRow(e)).toMatchObject({
      type: 'Warning',
      reason: 'FailedScheduling',
      count: 5,
      firstAt: ms('2026-03-01T08:00:00Z'),
      lastAt: ms('2026-03-01T08:04:00Z'),
      source: 'default-scheduler',
    });
  });

  it('a core/v1 write read through events.k8s.io/v1 (deprecated*) equals the core/v1 read', () => {
    const core: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('c1'),
      involvedObject: regarding,
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      count: 12,
      firstTimestamp: at('2026-03-01T08:00:00Z'),
      lastTimestamp: at('2026-03-01T08:20:00Z'),
      source: { component: 'kubelet', host: 'node-1' },
    };
    // The API server's conversion: involvedObject → regarding, message → note, count →
    // deprecatedCount, first/lastTimestamp → deprecatedFirst/LastTimestamp, source → deprecatedSource.
    const converted: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: meta('c1'),
      regarding,
      type: 'Warning',
      reason: 'BackOff',
      note: 'Back-off restarting failed container',
      deprecatedCount: 12,
      deprecatedFirstTimestamp: at('2026-03-01T08:00:00Z'),
      deprecatedLastTimestamp: at('2026-03-01T08:20:00Z'),
      deprecatedSource: { component: 'kubelet', host: 'node-1' },
      eventTime: undefined as unknown as Date,
    };
    const expected = {
      uid: 'c1',
      count: 12,
      firstAt: ms('2026-03-01T08:00:00Z'),
      lastAt: ms('2026-03-01T08:20:00Z'),
      message: 'Back-off restarting failed container',
      source: 'kubelet',
    };
    expect(eventRow(core)).toMatchObject(expected);
    expect(eventRow(converted)).toMatchObject(expected);
  });

  it('mixed shapes sort newest first by last seen', () => {
    const rows = [
      eventRow({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: meta('old'),
        involvedObject: regarding,
        lastTimestamp: at('2026-03-01T08:01:00Z'),
        firstTimestamp: at('2026-03-01T08:00:00Z'),
        count: 40,
      }),
      eventRow({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: meta('series'),
        regarding,
        // Began first, but its series was observed last: it is the newest.
        eventTime: at('2026-03-01T07:00:00Z'),
        series: { count: 3, lastObservedTime: at('2026-03-01T08:09:00Z') },
      }),
      eventRow({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: meta('single'),
        regarding,
        eventTime: at('2026-03-01T08:05:00Z'),
      }),
    ];
    const order = [...rows].sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0)).map((r) => r.uid);
    expect(order).toEqual(['series', 'single', 'old']);
  });
});
