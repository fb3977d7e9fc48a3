import { describe, expect, it } from 'vitest';
import type { FeedMessage, Overview } from '@nodeless/backend/api';
import type { StreamHandlers, WorkspaceApi } from '../api/workspace-api.ts';
import { createWorkspaceHub, type HubTimers } from './workspace-hub.ts';

function fakeApi() {
  const open: { what: string; handlers: StreamHandlers<unknown>; closed: boolean }[] = [];
  const api: WorkspaceApi = {
    clusters: () =>
      Promise.resolve([{ id: 'demo', name: 'demo', source: 'demo', servers: ['https://x'] }]),
    previewKubeconfig: () => Promise.resolve([]),
    importKubeconfig: () => Promise.reject(new Error('unused')),
    remove: () => Promise.resolve(),
    pod: () => Promise.reject(new Error('unused')),
    feed(clusterId, kind, handlers) {
      const sub = {
        what: `${clusterId}/${kind}`,
        handlers: handlers as StreamHandlers<unknown>,
        closed: false,
      };
      open.push(sub);
      return () => (sub.closed = true);
    },
    overview(clusterId, handlers) {
      const sub = {
        what: `${clusterId}/overview`,
        handlers: handlers as StreamHandlers<unknown>,
        closed: false,
      };
      open.push(sub);
      return () => (sub.closed = true);
    },
  };
  return { api, open };
}

function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: HubTimers = {
    setTimeout: (fn) => {
      pending.set(++next, fn);
      return next;
    },
    clearTimeout: (h) => pending.delete(h as number),
  };
  const runAll = () => {
    for (const [id, fn] of [...pending]) {
      pending.delete(id);
      fn();
    }
  };
  return { timers, pending, runAll };
}

describe('workspace hub', () => {
  it('opens a feed once for all views and closes it after the last one left and lingered', () => {
    const { api, open } = fakeApi();
    const t = manualTimers();
    const hub = createWorkspaceHub(api, { timers: t.timers, schedule: () => undefined });
    const a = hub.acquire('c1', 'pods');
    const b = hub.acquire('c1', 'pods');
    expect(open.map((o) => o.what)).toEqual(['c1/pods']);
    a();
    a(); // a second release of the same lease is ignored
    expect(t.pending.size).toBe(0);
    b();
    expect(t.pending.size).toBe(1);
    // Coming back within the linger keeps the same subscription and rows.
    const store = hub.feed('c1', 'pods');
    const c = hub.acquire('c1', 'pods');
    expect(t.pending.size).toBe(0);
    expect(hub.feed('c1', 'pods')).toBe(store);
    c();
    t.runAll();
    expect(open[0]?.closed).toBe(true);
    expect(hub.feed('c1', 'pods')).not.toBe(store);
  });

  it('feeds messages into the store and a failure into its stream error', () => {
    const { api, open } = fakeApi();
    const hub = createWorkspaceHub(api, { schedule: () => undefined });
    hub.acquire('c1', 'nodes');
    const feed = hub.feed('c1', 'nodes');
    const msg: FeedMessage<{ uid: string }> = { type: 'synced' };
    open[0]?.handlers.onData(msg);
    feed.flush();
    expect(feed.store.getState().loaded).toBe(true);
    open[0]?.handlers.onFailed(new Error('boom'));
    expect(feed.store.getState().streamError).toMatch(/Cannot reach the Nodeless backend/);
  });

  it('keeps the latest overview and reads the cluster list', async () => {
    const { api, open } = fakeApi();
    const hub = createWorkspaceHub(api);
    hub.acquire('c1', 'overview');
    const overview = { version: 'v1.36.0' } as Overview;
    open[0]?.handlers.onData(overview);
    expect(hub.overview('c1').getState().overview).toBe(overview);
    await hub.refreshClusters();
    expect(hub.clusters.getState().clusters.map((c) => c.id)).toEqual(['demo']);
  });
});
