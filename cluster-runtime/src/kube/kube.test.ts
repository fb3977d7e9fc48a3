import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { resourcePath } from './discovery.ts';
import { RESOURCES } from './resources.ts';
import { waitUntil, WaitTimeoutError, type WatchSource } from './wait.ts';

describe('resource paths', () => {
  it('builds core, group, namespaced, cluster-scoped and subresource paths', () => {
    expect(resourcePath(RESOURCES.nodes, { name: 'n1' })).toBe('/api/v1/nodes/n1');
    expect(resourcePath(RESOURCES.pods)).toBe('/api/v1/pods');
    expect(
      resourcePath(RESOURCES.pods, { namespace: 'a', name: 'p', subresource: 'eviction' }),
    ).toBe('/api/v1/namespaces/a/pods/p/eviction');
    expect(resourcePath(RESOURCES.runtimeClasses, { name: 'kata-clh' })).toBe(
      '/apis/node.k8s.io/v1/runtimeclasses/kata-clh',
    );
    expect(() => resourcePath(RESOURCES.pods, { name: 'p' })).toThrow(/namespace is required/);
    expect(resourcePath(RESOURCES.roles, { namespace: 'a' })).toBe(
      '/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles',
    );
    expect(resourcePath(RESOURCES.pods, { namespace: 'a b', name: 'p/q' })).toBe(
      '/api/v1/namespaces/a%20b/pods/p%2Fq',
    );
  });
});

type Obj = KubernetesObject & { ready?: boolean };
const obj = (name: string, ready = false): Obj => ({ metadata: { name }, ready });

/** A scripted list/watch source: the watch replays `events`, then ends (or stays open). */
function source(
  initial: Obj[],
  rounds: { events: [string, Obj][]; end: boolean }[],
): WatchSource<Obj> & { lists: number } {
  let round = 0;
  const s = {
    lists: 0,
    list: () => {
      s.lists++;
      return Promise.resolve({ items: initial, resourceVersion: String(s.lists) });
    },
    watch: (_rv: string, onEvent: (t: string, o: Obj) => void, onEnd: () => void) => {
      const r = rounds[round++] ?? { events: [], end: false };
      queueMicrotask(() => {
        for (const [t, o] of r.events) onEvent(t, o);
        if (r.end) onEnd();
      });
      return Promise.resolve(() => undefined);
    },
  };
  return s;
}

describe('waitUntil', () => {
  const allReady = (m: ReadonlyMap<string, Obj>) =>
    m.size > 0 && [...m.values()].every((o) => o.ready) ? m.size : undefined;

  it('resolves from the list when the condition already holds', async () => {
    const s = source([obj('a', true)], []);
    await expect(waitUntil(s, { until: allReady, describe: 'x', timeoutMs: 1000 })).resolves.toBe(
      1,
    );
  });
  it('applies watch events, including deletions, until the condition holds', async () => {
    const s = source(
      [obj('a'), obj('b', true)],
      [
        {
          events: [
            ['MODIFIED', obj('b', false)],
            ['BOOKMARK', obj('zz')],
            ['DELETED', obj('a')],
            ['MODIFIED', obj('b', true)],
          ],
          end: false,
        },
      ],
    );
    const seen: number[] = [];
    await expect(
      waitUntil(s, {
        until: allReady,
        describe: 'x',
        timeoutMs: 1000,
        onChange: (m) => seen.push(m.size),
      }),
    ).resolves.toBe(1);
    expect(seen).toEqual([2, 2, 1, 1]);
  });
  it('re-lists when a watch ends', async () => {
    const s = source(
      [obj('a')],
      [
        { events: [], end: true },
        { events: [['MODIFIED', obj('a', true)]], end: false },
      ],
    );
    await expect(waitUntil(s, { until: allReady, describe: 'x', timeoutMs: 5000 })).resolves.toBe(
      1,
    );
    expect(s.lists).toBe(2);
  });
  it('times out with the last observed set, and honours abort', async () => {
    const s = source([obj('a')], []);
    const err = await waitUntil(s, {
      until: allReady,
      describe: 'a to be ready',
      timeoutMs: 50,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toBe('timed out after 0 s waiting for a to be ready');
    expect([...(err as WaitTimeoutError<Obj>).last.keys()]).toEqual(['/a']);
    const c = new AbortController();
    const p = waitUntil(source([obj('a')], []), {
      until: allReady,
      describe: 'x',
      timeoutMs: 10_000,
      signal: c.signal,
    });
    c.abort(new Error('cancel'));
    await expect(p).rejects.toThrow('cancel');
  });
});
