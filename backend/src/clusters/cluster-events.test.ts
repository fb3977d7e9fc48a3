/** The cluster list's stream: the list first, then each list that changed, to every subscriber. */
import { describe, expect, it } from 'vitest';
import { WorkspaceClusterEvents } from './cluster-events.ts';
import type { WorkspaceCluster, WorkspaceClustersEvent } from './contract.ts';

const cluster = (id: string): WorkspaceCluster => ({
  id,
  name: id,
  source: 'imported',
  servers: ['https://10.0.0.1:6443'],
});

const names = (r: IteratorResult<WorkspaceClustersEvent, void>) =>
  r.done ? undefined : r.value.clusters.map((c) => c.id);

describe('WorkspaceClusterEvents', () => {
  it('gives each subscriber the list, then the list again on every real change', async () => {
    let list = [cluster('a')];
    const events = new WorkspaceClusterEvents(() => list);
    const ac = new AbortController();
    const one = events.subscribe(ac.signal);
    const two = events.subscribe(ac.signal);
    expect(names(await one.next())).toEqual(['a']);
    expect(names(await two.next())).toEqual(['a']);

    list = [cluster('a'), cluster('b')];
    events.changed();
    events.changed(); // nothing new: not published twice
    list = [cluster('b')];
    events.changed();
    expect(names(await one.next())).toEqual(['a', 'b']);
    expect(names(await one.next())).toEqual(['b']);
    expect(names(await two.next())).toEqual(['a', 'b']);
    expect(names(await two.next())).toEqual(['b']);

    ac.abort();
    expect((await one.next()).done).toBe(true);
    expect((await two.next()).done).toBe(true);
    expect(events.subscriberCount).toBe(0);
  });

  it('publishes a change another subscriber had already read in its first list', async () => {
    let list = [cluster('a')];
    const events = new WorkspaceClusterEvents(() => list);
    const ac = new AbortController();
    const early = events.subscribe(ac.signal);
    await early.next();
    list = [cluster('a'), cluster('b')];
    const late = events.subscribe(ac.signal);
    expect(names(await late.next())).toEqual(['a', 'b']);
    events.changed(); // made before `late` subscribed, told after: `early` still needs it
    expect(names(await early.next())).toEqual(['a', 'b']);
    ac.abort();
  });
});
