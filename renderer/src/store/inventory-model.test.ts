import { describe, expect, it } from 'vitest';
import type { ClusterView, HostView, InventoryEvent } from '@nodeless/backend/api';
import { applyInventoryEvents, emptyInventory, sortedClusters } from './inventory-model.ts';
import { createInventoryStore } from './inventory-store.ts';

const t0 = '2025-01-01T00:00:00.000Z';

function cluster(id: string, name: string, hosts: HostView[] = []): ClusterView {
  return { id, name, source: 'installed', createdAt: t0, updatedAt: t0, hosts };
}

function host(id: string, clusterId: string): HostView {
  return {
    id,
    clusterId,
    address: `10.0.0.${id.length}`,
    port: 22,
    user: 'root',
    role: 'agent',
    auth: { kind: 'agent' },
    sudo: { kind: 'none' },
    createdAt: t0,
    updatedAt: t0,
  };
}

describe('applyInventoryEvents', () => {
  it('loads a snapshot into a map keyed by id and marks the inventory loaded', () => {
    const s = applyInventoryEvents(emptyInventory, [
      { type: 'snapshot', clusters: [cluster('a', 'alpha'), cluster('b', 'beta')] },
    ]);
    expect(s.loaded).toBe(true);
    expect([...s.clusters.keys()]).toEqual(['a', 'b']);
    expect(s.clusters.get('b')?.name).toBe('beta');
  });

  it('treats an empty snapshot as loaded-and-empty, distinct from not loaded yet', () => {
    const s = applyInventoryEvents(emptyInventory, [{ type: 'snapshot', clusters: [] }]);
    expect(s.loaded).toBe(true);
    expect(s.clusters.size).toBe(0);
    expect(s.revision).toBe(1);
  });

  it('replaces (does not merge) on a later snapshot, dropping clusters deleted meanwhile', () => {
    const first = applyInventoryEvents(emptyInventory, [
      { type: 'snapshot', clusters: [cluster('a', 'alpha'), cluster('b', 'beta')] },
    ]);
    const second = applyInventoryEvents(first, [
      { type: 'snapshot', clusters: [cluster('b', 'beta2')] },
    ]);
    expect([...second.clusters.keys()]).toEqual(['b']);
    expect(second.clusters.get('b')?.name).toBe('beta2');
  });

  it('upserts a new cluster and replaces an existing one with its hosts', () => {
    const base = applyInventoryEvents(emptyInventory, [
      { type: 'snapshot', clusters: [cluster('a', 'alpha')] },
    ]);
    const s = applyInventoryEvents(base, [
      { type: 'cluster.upserted', cluster: cluster('c', 'gamma') },
      {
        type: 'cluster.upserted',
        cluster: cluster('a', 'alpha', [host('h1', 'a'), host('h22', 'a')]),
      },
    ]);
    expect(s.clusters.size).toBe(2);
    expect(s.clusters.get('a')?.hosts.map((h) => h.id)).toEqual(['h1', 'h22']);
    expect(s.clusters.get('c')?.name).toBe('gamma');
  });

  it('deletes a cluster and ignores a delete for an unknown id without changing state', () => {
    const base = applyInventoryEvents(emptyInventory, [
      { type: 'snapshot', clusters: [cluster('a', 'alpha'), cluster('b', 'beta')] },
    ]);
    const s = applyInventoryEvents(base, [{ type: 'cluster.deleted', id: 'a' }]);
    expect([...s.clusters.keys()]).toEqual(['b']);
    expect(applyInventoryEvents(s, [{ type: 'cluster.deleted', id: 'nope' }])).toBe(s);
  });

  it('applies events in order within a batch (upsert then delete leaves nothing)', () => {
    const base = applyInventoryEvents(emptyInventory, [{ type: 'snapshot', clusters: [] }]);
    const s = applyInventoryEvents(base, [
      { type: 'cluster.upserted', cluster: cluster('x', 'x') },
      { type: 'cluster.deleted', id: 'x' },
      { type: 'cluster.upserted', cluster: cluster('y', 'y') },
    ]);
    expect([...s.clusters.keys()]).toEqual(['y']);
  });

  it('never mutates the previous state (views holding it stay consistent)', () => {
    const base = applyInventoryEvents(emptyInventory, [
      { type: 'snapshot', clusters: [cluster('a', 'alpha')] },
    ]);
    const before = new Map(base.clusters);
    applyInventoryEvents(base, [
      { type: 'cluster.upserted', cluster: cluster('b', 'beta') },
      { type: 'cluster.deleted', id: 'a' },
    ]);
    expect(base.clusters).toEqual(before);
  });

  it('returns the same state object for an empty batch', () => {
    expect(applyInventoryEvents(emptyInventory, [])).toBe(emptyInventory);
  });

  it('handles a burst of 20,000 upserts in one batch', () => {
    const events: InventoryEvent[] = [{ type: 'snapshot', clusters: [] }];
    for (let i = 0; i < 20_000; i++)
      events.push({ type: 'cluster.upserted', cluster: cluster(`id${i % 5000}`, `c${i}`) });
    const started = performance.now();
    const s = applyInventoryEvents(emptyInventory, events);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(s.clusters.size).toBe(5000);
    expect(s.clusters.get('id4999')?.name).toBe('c19999');
  });
});

describe('sortedClusters', () => {
  it('orders by name regardless of arrival order', () => {
    const s = applyInventoryEvents(emptyInventory, [
      {
        type: 'snapshot',
        clusters: [cluster('1', 'prod'), cluster('2', 'dev'), cluster('3', 'lab')],
      },
    ]);
    expect(sortedClusters(s.clusters).map((c) => c.name)).toEqual(['dev', 'lab', 'prod']);
  });
});

describe('createInventoryStore', () => {
  it('coalesces a burst of events into one scheduled flush and one state update', () => {
    const pending: (() => void)[] = [];
    const inv = createInventoryStore((f) => pending.push(f));
    let updates = 0;
    inv.store.subscribe(() => updates++);
    inv.push({ type: 'snapshot', clusters: [] });
    for (let i = 0; i < 100; i++)
      inv.push({ type: 'cluster.upserted', cluster: cluster(`c${i}`, `n${i}`) });
    expect(pending).toHaveLength(1);
    expect(inv.store.getState().loaded).toBe(false);
    pending[0]?.();
    expect(updates).toBe(1);
    expect(inv.store.getState().clusters.size).toBe(100);
    inv.push({ type: 'cluster.deleted', id: 'c0' });
    expect(pending).toHaveLength(2);
  });

  it('keeps the connection status and skips no-op status updates', () => {
    const inv = createInventoryStore((f) => f());
    let updates = 0;
    inv.store.subscribe(() => updates++);
    expect(inv.store.getState().connection.kind).toBe('connecting');
    inv.setConnection({ kind: 'live' });
    inv.setConnection({ kind: 'live' });
    inv.setConnection({ kind: 'reconnecting', reason: 'network' });
    expect(updates).toBe(2);
    expect(inv.store.getState().connection).toEqual({ kind: 'reconnecting', reason: 'network' });
  });
});
