import { describe, expect, it } from 'vitest';
import type { PodRow } from '../api/workspace-api.ts';
import type { FeedChange } from '../workspace/feed-store.ts';
import { parseSelector } from './label-selector.ts';
import {
  DEFAULT_QUERY,
  fullView,
  POD_COLUMNS,
  updateView,
  type PodQuery,
  type StatusFilter,
} from './pods-query.ts';

function pod(name: string, extra: Partial<PodRow> = {}): PodRow {
  return {
    uid: `uid-${name}`,
    name,
    namespace: 'shop',
    labels: {},
    phase: 'Running',
    status: 'Running',
    ready: 1,
    total: 1,
    restarts: 0,
    createdAt: 1_000,
    ...extra,
  };
}
const names = (rows: readonly PodRow[]) => rows.map((r) => r.name);
const q = (over: Partial<PodQuery>): PodQuery => ({ ...DEFAULT_QUERY, ...over });

describe('fullView', () => {
  const rows = [
    pod('web-2', { owner: { kind: 'Deployment', name: 'web' }, labels: { app: 'web' } }),
    pod('db-0', {
      namespace: 'data',
      owner: { kind: 'StatefulSet', name: 'db' },
      labels: { app: 'db' },
      restarts: 4,
      status: 'CrashLoopBackOff',
      ready: 0,
      size: '2x4',
      createdAt: 500,
    }),
    pod('web-1', {
      owner: { kind: 'Deployment', name: 'web' },
      size: '0.25x0.5',
      createdAt: 2_000,
    }),
    pod('job-x', { phase: 'Succeeded', status: 'Completed', ready: 0 }),
    pod('new-1', { phase: 'Pending', status: 'Pending', ready: 0, size: '1x2' }),
    pod('old-1', { deletedAt: 5, status: 'Terminating' }),
  ];

  it('filters by namespace, text (name or owner), selector and status', () => {
    expect(names(fullView(rows, q({ namespace: 'data' })))).toEqual(['db-0']);
    expect(names(fullView(rows, q({ text: ' WEB ' })))).toEqual(['web-1', 'web-2']);
    expect(names(fullView(rows, q({ text: 'db' })))).toEqual(['db-0']);
    const sel = parseSelector('app in (web,db),app!=db');
    if (!sel.ok) throw new Error(sel.error);
    expect(names(fullView(rows, q({ selector: sel.requirements })))).toEqual(['web-2']);
    const byStatus = (status: StatusFilter) => names(fullView(rows, q({ status })));
    expect(byStatus('running')).toEqual(['web-1', 'web-2']);
    expect(byStatus('pending')).toEqual(['new-1']);
    expect(byStatus('problem')).toEqual(['db-0', 'new-1']);
    expect(byStatus('terminating')).toEqual(['old-1']);
    expect(byStatus('succeeded')).toEqual(['job-x']);
    expect(byStatus('failed')).toEqual([]);
  });

  it('sorts by each column, ties by namespace and name, either way', () => {
    expect(names(fullView(rows, q({ sort: 'restarts', descending: true })))).toEqual([
      'db-0',
      'job-x',
      'new-1',
      'old-1',
      'web-1',
      'web-2',
    ]);
    // Unsized first, then billing order.
    expect(names(fullView(rows, q({ sort: 'size' })))).toEqual([
      'job-x',
      'old-1',
      'web-2',
      'web-1',
      'new-1',
      'db-0',
    ]);
    // Youngest first.
    expect(names(fullView(rows, q({ sort: 'age' }))).slice(0, 1)).toEqual(['web-1']);
    expect(names(fullView(rows, q({ sort: 'age' }))).at(-1)).toBe('db-0');
    expect(names(fullView(rows, q({ sort: 'owner' }))).slice(-3)).toEqual([
      'web-1',
      'web-2',
      'db-0',
    ]);
  });
});

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('updateView', () => {
  it('patches to exactly what a full rebuild gives, for every column and direction', () => {
    const rnd = random(7);
    const statuses = ['Running', 'Pending', 'CrashLoopBackOff', 'Completed'];
    const make = (i: number): PodRow =>
      pod(`p-${Math.floor(rnd() * 50)}`, {
        uid: `u${i}`,
        namespace: rnd() < 0.5 ? 'a' : 'b',
        restarts: Math.floor(rnd() * 3),
        status: statuses[Math.floor(rnd() * statuses.length)] ?? 'Running',
        createdAt: Math.floor(rnd() * 10),
      });
    for (const sort of POD_COLUMNS) {
      for (const descending of [false, true]) {
        const query = q({ sort, descending, namespace: 'a' });
        const rows = new Map<string, PodRow>();
        for (let i = 0; i < 200; i++) rows.set(`u${i}`, make(i));
        let view: readonly PodRow[] = fullView(rows.values(), query);
        for (let round = 0; round < 30; round++) {
          const before = new Map<string, PodRow | undefined>();
          for (let k = 0; k < 8; k++) {
            const uid = `u${Math.floor(rnd() * 240)}`;
            if (!before.has(uid)) before.set(uid, rows.get(uid));
            if (rnd() < 0.2) rows.delete(uid);
            else rows.set(uid, { ...make(0), uid });
          }
          const change: FeedChange<PodRow> = { reset: false, before };
          view = updateView(view, change, rows, query);
          expect(view).toEqual(fullView(rows.values(), query));
        }
      }
    }
  });

  it('returns the same array when no touched row is or becomes visible', () => {
    const a = pod('a', { namespace: 'a' });
    const b = pod('b', { namespace: 'b' });
    const rows = new Map([
      [a.uid, a],
      [b.uid, b],
    ]);
    // Enough rows that one touched row is patched, not rebuilt.
    for (let i = 0; i < 10; i++) rows.set(`f${i}`, pod(`f${i}`, { uid: `f${i}`, namespace: 'c' }));
    const query = q({ namespace: 'a' });
    const view = fullView(rows.values(), query);
    const b2 = { ...b, restarts: 1 };
    rows.set(b.uid, b2);
    expect(updateView(view, { reset: false, before: new Map([[b.uid, b]]) }, rows, query)).toBe(
      view,
    );
    expect(updateView(view, { reset: false, before: new Map() }, rows, query)).toBe(view);
  });
});
