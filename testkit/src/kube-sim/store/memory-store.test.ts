import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.ts';
import { StoreError, type KubeObject, type ResourceKey, type WatchEventType } from './types.ts';

const PODS: ResourceKey = { group: '', version: 'v1', resource: 'pods' };
const RS: ResourceKey = { group: 'apps', version: 'v1', resource: 'replicasets' };
const NS: ResourceKey = { group: '', version: 'v1', resource: 'namespaces' };
const CM: ResourceKey = { group: '', version: 'v1', resource: 'configmaps' };

const pod = (
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
  spec: object = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...extra },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
});

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function expectStoreError(fn: () => unknown, code: number): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(code);
    return err as StoreError;
  }
  throw new Error(`expected StoreError ${code}`);
}

describe('MemoryStore writes', () => {
  it('assigns uid, increasing resourceVersions, creationTimestamp and generation', () => {
    const s = new MemoryStore({ now: () => Date.parse('2025-01-02T03:04:05.678Z') });
    const a = s.create(PODS, pod('a'));
    const b = s.create(PODS, pod('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.uid).not.toBe(b.metadata.uid);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(a.metadata.creationTimestamp).toBe('2025-01-02T03:04:05Z');
    expect(a.metadata.generation).toBe(1);
  });

  it('resolves generateName and refuses duplicates with 409 AlreadyExists', () => {
    const s = new MemoryStore();
    const g = s.create(PODS, {
      ...pod(''),
      metadata: { generateName: 'web-', namespace: 'default' },
    });
    expect(g.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    s.create(PODS, pod('x'));
    const err = expectStoreError(() => s.create(PODS, pod('x')), 409);
    expect(err.reason).toBe('AlreadyExists');
    expect(err.message).toBe('pods "x" already exists');
  });

  it('rejects a stale resourceVersion with 409 Conflict and bumps generation only on spec changes', () => {
    const s = new MemoryStore();
    const a = s.create(PODS, pod('a'));
    const labelled = s.update(PODS, { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    const err = expectStoreError(() => s.update(PODS, { ...a, spec: { containers: [] } }), 409);
    expect(err.reason).toBe('Conflict');
    const changed = s.update(PODS, {
      ...labelled,
      spec: { containers: [{ name: 'c', image: 'j' }] },
    });
    expect(changed.metadata.generation).toBe(2);
    const statusOnly = s.update(
      PODS,
      { ...changed, status: { phase: 'Running' } },
      { subresource: 'status' },
    );
    expect(statusOnly.metadata.generation).toBe(2);
    expect(statusOnly['status']).toEqual({ phase: 'Running' });
  });

  it('does not bump resourceVersion for a no-op update', () => {
    const s = new MemoryStore();
    const a = s.create(PODS, pod('a'));
    expect(s.update(PODS, a).metadata.resourceVersion).toBe(a.metadata.resourceVersion);
  });

  it('returns copies: mutating a result does not change the store', () => {
    const s = new MemoryStore();
    const a = s.create(PODS, pod('a'));
    a.metadata.labels = { hacked: 'yes' };
    expect(s.get(PODS, 'default', 'a')?.metadata.labels).toBeUndefined();
  });
});

describe('MemoryStore deletion and garbage collection', () => {
  it('honours finalizers: deletionTimestamp first, gone once finalizers are removed', () => {
    const s = new MemoryStore();
    s.create(PODS, pod('f', { finalizers: ['example.com/hold'] }));
    const marked = s.delete(PODS, 'default', 'f');
    expect(marked?.metadata.deletionTimestamp).toBeDefined();
    expect(s.get(PODS, 'default', 'f')).toBeDefined();
    const cur = s.get(PODS, 'default', 'f');
    if (cur === undefined) throw new Error('missing');
    s.update(PODS, { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    expect(s.get(PODS, 'default', 'f')).toBeUndefined();
  });

  const owned = (s: MemoryStore): { owner: KubeObject; deps: KubeObject[] } => {
    const owner = s.create(RS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: 'default' },
      spec: {},
    });
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'rs',
      uid: owner.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    };
    const deps = [
      s.create(PODS, pod('p1', { ownerReferences: [ref] })),
      s.create(PODS, pod('p2', { ownerReferences: [ref], finalizers: ['hold'] })),
    ];
    return { owner, deps };
  };

  it('Background deletes dependents after the owner', () => {
    const s = new MemoryStore();
    owned(s);
    s.delete(RS, 'default', 'rs', { propagationPolicy: 'Background' });
    expect(s.get(RS, 'default', 'rs')).toBeUndefined();
    expect(s.get(PODS, 'default', 'p1')).toBeUndefined();
    expect(s.get(PODS, 'default', 'p2')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('Orphan removes the ownerReferences and keeps dependents', () => {
    const s = new MemoryStore();
    owned(s);
    s.delete(RS, 'default', 'rs', { propagationPolicy: 'Orphan' });
    expect(s.get(RS, 'default', 'rs')).toBeUndefined();
    expect(s.get(PODS, 'default', 'p1')?.metadata.ownerReferences).toBeUndefined();
  });

  it('Foreground keeps the owner until its blocking dependents are gone', () => {
    const s = new MemoryStore();
    owned(s);
    const o = s.delete(RS, 'default', 'rs', { propagationPolicy: 'Foreground' });
    expect(o?.metadata.finalizers).toContain('foregroundDeletion');
    expect(s.get(PODS, 'default', 'p1')).toBeUndefined();
    expect(s.get(RS, 'default', 'rs')).toBeDefined();
    const p2 = s.get(PODS, 'default', 'p2');
    if (p2 === undefined) throw new Error('missing');
    s.update(PODS, { ...p2, metadata: { ...p2.metadata, finalizers: [] } });
    expect(s.get(PODS, 'default', 'p2')).toBeUndefined();
    expect(s.get(RS, 'default', 'rs')).toBeUndefined();
  });

  it('terminates a namespace: Terminating, contents removed, then gone', async () => {
    const s = new MemoryStore();
    s.create(NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    s.create(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'team' },
    });
    const t = s.delete(NS, undefined, 'team');
    expect((t?.['status'] as { phase?: string }).phase).toBe('Terminating');
    expect(s.namespaceState('team')).toBe('terminating');
    await flush();
    expect(s.get(CM, 'team', 'c')).toBeUndefined();
    expect(s.namespaceState('team')).toBe('missing');
  });
});

describe('MemoryStore reads and watches', () => {
  it('filters by namespace, label and field selectors', () => {
    const s = new MemoryStore();
    s.create(PODS, pod('a', { labels: { app: 'web', tier: 'fe' } }, { nodeName: 'n1' }));
    s.create(PODS, pod('b', { labels: { app: 'db' } }, { nodeName: 'n2' }));
    s.create(PODS, {
      ...pod('c', { labels: { app: 'web' } }),
      metadata: { name: 'c', namespace: 'other', labels: { app: 'web' } },
    });
    const names = (o: KubeObject[]): string[] => o.map((x) => x.metadata.name ?? '');
    expect(names(s.list(PODS, { labelSelector: 'app=web' }))).toEqual(['a', 'c']);
    expect(
      names(s.list(PODS, { namespace: 'default', labelSelector: 'app in (web,db),!missing' })),
    ).toEqual(['a', 'b']);
    expect(names(s.list(PODS, { fieldSelector: 'spec.nodeName=n2' }))).toEqual(['b']);
    expect(names(s.list(PODS, { fieldSelector: 'metadata.namespace!=default' }))).toEqual(['c']);
  });

  it('pages in key order with a stable continuation point', () => {
    const s = new MemoryStore();
    for (const n of ['d', 'a', 'c', 'b', 'e']) s.create(PODS, pod(n));
    const p1 = s.page(PODS, { limit: 2 });
    expect(p1.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(p1.remaining).toBe(3);
    s.create(PODS, pod('aa'));
    const p2 = s.page(PODS, { limit: 2, after: p1.nextAfter });
    expect(p2.items.map((o) => o.metadata.name)).toEqual(['c', 'd']);
    const p3 = s.page(PODS, { limit: 2, after: p2.nextAfter });
    expect(p3.items.map((o) => o.metadata.name)).toEqual(['e']);
    expect(p3.nextAfter).toBeUndefined();
  });

  it('counts what remains after a page, in a namespace and under a selector too', () => {
    const s = new MemoryStore();
    for (const n of ['a', 'b', 'c', 'd', 'e'])
      s.create(PODS, pod(n, { labels: { app: n < 'c' ? 'x' : 'y' } }));
    s.create(PODS, { ...pod('z'), metadata: { name: 'z', namespace: 'other' } });
    const all = s.page(PODS, { limit: 2, after: 'default/a' });
    expect([all.items.map((o) => o.metadata.name), all.remaining]).toEqual([['b', 'c'], 3]);
    const ns = s.page(PODS, { namespace: 'default', limit: 2 });
    expect([ns.items.map((o) => o.metadata.name), ns.remaining]).toEqual([['a', 'b'], 3]);
    const sel = s.page(PODS, { labelSelector: 'app=y', limit: 1 });
    expect([sel.items.map((o) => o.metadata.name), sel.remaining]).toEqual([['c'], 2]);
    expect(s.page(PODS, { namespace: 'default', limit: 5 }).remaining).toBeUndefined();
  });

  it('delivers events asynchronously, translates selector exits, and resumes from a version', async () => {
    const s = new MemoryStore();
    const seen: Array<[WatchEventType, string]> = [];
    const stop = s.watch(PODS, (t, o) => seen.push([t, o.metadata.name ?? '']), {
      labelSelector: 'app=web',
    });
    const a = s.create(PODS, pod('a', { labels: { app: 'web' } }));
    expect(seen).toEqual([]);
    s.update(PODS, { ...a, metadata: { ...a.metadata, labels: { app: 'other' } } });
    await flush();
    expect(seen).toEqual([
      ['ADDED', 'a'],
      ['DELETED', 'a'],
    ]);
    stop();
    const resumed: string[] = [];
    s.watch(PODS, (t, o) => resumed.push(`${t}:${o.metadata.name ?? ''}`), {
      resourceVersion: a.metadata.resourceVersion ?? '',
    });
    await flush();
    expect(resumed).toEqual(['MODIFIED:a']);
  });

  it('answers 410 Gone for a version older than the kept window', () => {
    const s = new MemoryStore({ watchWindow: 3 });
    const first = s.create(PODS, pod('p0'));
    for (let i = 1; i <= 5; i++) s.create(PODS, pod(`p${i}`));
    const err = expectStoreError(
      () =>
        s.watch(PODS, () => undefined, { resourceVersion: first.metadata.resourceVersion ?? '' }),
      410,
    );
    expect(err.reason).toBe('Gone');
    expect(() =>
      s.watch(PODS, () => undefined, { resourceVersion: s.currentResourceVersion() }),
    ).not.toThrow();
  });

  it('snapshots and restores objects with their versions', () => {
    const s = new MemoryStore();
    const a = s.create(PODS, pod('a'));
    const restored = new MemoryStore();
    restored.restore(
      JSON.parse(JSON.stringify(s.snapshot())) as ReturnType<MemoryStore['snapshot']>,
    );
    expect(restored.get(PODS, 'default', 'a')?.metadata.uid).toBe(a.metadata.uid);
    const b = restored.create(PODS, pod('b'));
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
  });
});
