import { describe, expect, it } from 'vitest';
import type { FeedMessage, Overview, WorkspaceClustersEvent } from '@nodeless/backend/api';
import type { StreamHandlers, WorkspaceApi } from '../api/workspace-api.ts';
import { createWorkspaceHub, type HubTimers } from './workspace-hub.ts';

function fakeApi() {
  const open: { what: string; handlers: StreamHandlers<unknown>; closed: boolean }[] = [];
  const api: WorkspaceApi = {
    clusterEvents(handlers) {
      const sub = {
        what: 'clusters',
        handlers: handlers as StreamHandlers<unknown>,
        closed: false,
      };
      open.push(sub);
      return () => (sub.closed = true);
    },
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

  it('keeps the latest overview', () => {
    const { api, open } = fakeApi();
    const hub = createWorkspaceHub(api);
    hub.acquire('c1', 'overview');
    const overview = { version: 'v1.36.0' } as Overview;
    open[0]?.handlers.onData(overview);
    expect(hub.overview('c1').getState().overview).toBe(overview);
  });

  it('follows the pushed cluster list: each list replaces the last, until disconnected', () => {
    const { api, open } = fakeApi();
    const hub = createWorkspaceHub(api);
    const ids = () => hub.clusters.getState().clusters.map((c) => c.id);
    expect(hub.clusters.getState().loaded).toBe(false);
    const close = hub.connectClusters();
    const stream = open.find((o) => o.what === 'clusters');
    stream?.handlers.onData(event(['demo']));
    expect(ids()).toEqual(['demo']);
    expect(hub.clusters.getState().loaded).toBe(true);
    stream?.handlers.onData(event(['demo', 'theirs'])); // imported in another window
    expect(ids()).toEqual(['demo', 'theirs']);
    stream?.handlers.onData(event(['theirs'])); // the demo removed elsewhere
    expect(ids()).toEqual(['theirs']);
    stream?.handlers.onFailed(new Error('boom'));
    expect(hub.clusters.getState()).toMatchObject({ clusters: [{ id: 'theirs' }] });
    expect(hub.clusters.getState().error).toMatch(/Cannot reach the Nodeless backend/);
    stream?.handlers.onData(event(['theirs']));
    expect(hub.clusters.getState().error).toBeUndefined();
    close();
    expect(stream?.closed).toBe(true);
  });

  it('answers whenListed once the pushed list has the cluster, or after the timeout', async () => {
    const { api, open } = fakeApi();
    const t = manualTimers();
    const hub = createWorkspaceHub(api, { timers: t.timers });
    hub.connectClusters();
    const stream = open.find((o) => o.what === 'clusters');
    let listed = false;
    const waiting = hub.whenListed('new').then(() => (listed = true));
    stream?.handlers.onData(event(['demo']));
    await Promise.resolve();
    expect(listed).toBe(false);
    stream?.handlers.onData(event(['demo', 'new']));
    await waiting;
    expect(t.pending.size).toBe(0);
    let timedOut = false;
    const never = hub.whenListed('gone').then(() => (timedOut = true));
    t.runAll();
    await never;
    expect(timedOut).toBe(true);
  });
});

function event(ids: string[]): WorkspaceClustersEvent {
  return {
    type: 'clusters',
    clusters: ids.map((id) => ({ id, name: id, source: 'imported', servers: ['https://x'] })),
  };
}
