import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../store/types.ts';
import { serverSideApply, trackUpdate } from './ssa.ts';
import { mergePatch, strategicMerge, type Json } from './strategic.ts';

const deploy = (containers: Json[]): Json => ({ spec: { template: { spec: { containers } } } });

describe('strategic merge patch', () => {
  it('merges containers by name and env by name, leaving other items alone', () => {
    const base = deploy([
      { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
      { name: 'b', image: 'b:1' },
    ]);
    const out = strategicMerge(base, deploy([{ name: 'a', env: [{ name: 'Y', value: '2' }] }]));
    expect(out).toEqual(
      deploy([
        {
          name: 'a',
          image: 'a:1',
          env: [
            { name: 'X', value: '1' },
            { name: 'Y', value: '2' },
          ],
        },
        { name: 'b', image: 'b:1' },
      ]),
    );
  });

  it('honours $patch: delete on list items, $patch: replace on lists, and null deletes', () => {
    const base = deploy([
      { name: 'a', image: 'a:1', ports: [{ containerPort: 80 }, { containerPort: 443 }] },
      { name: 'b', image: 'b' },
    ]);
    const del = strategicMerge(
      base,
      deploy([
        { name: 'b', $patch: 'delete' },
        { name: 'a', image: null, ports: [{ containerPort: 443, name: 'https' }] },
      ]),
    );
    expect(del).toEqual(
      deploy([
        { name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }] },
      ]),
    );
    const rep = strategicMerge(base, deploy([{ $patch: 'replace' }, { name: 'c', image: 'c' }]));
    expect(rep).toEqual(deploy([{ name: 'c', image: 'c' }]));
  });

  it('merges volumeMounts by mountPath and service ports by port; drops $setElementOrder', () => {
    const base = {
      spec: {
        ports: [{ port: 80, targetPort: 8080 }],
        volumeMounts: [{ mountPath: '/a', name: 'x' }],
      },
    };
    const out = strategicMerge(base, {
      '$setElementOrder/ports': [{ port: 80 }, { port: 81 }],
      spec: { ports: [{ port: 81 }], volumeMounts: [{ mountPath: '/a', name: 'y' }] },
    });
    expect(out).toEqual({
      spec: {
        ports: [{ port: 80, targetPort: 8080 }, { port: 81 }],
        volumeMounts: [{ mountPath: '/a', name: 'y' }],
      },
    });
  });

  it('JSON merge patch replaces lists and removes nulls', () => {
    expect(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { c: null } })).toEqual({
      a: [3],
      b: { d: 2 },
    });
  });
});

describe('server-side apply', () => {
  const applied = (replicas: number, image = 'nginx'): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: { replicas, template: { spec: { containers: [{ name: 'c', image }] } } },
  });
  const args = (live: KubeObject | undefined, o: KubeObject, manager: string, force = false) => ({
    live,
    applied: o,
    manager,
    apiVersion: 'apps/v1',
    force,
    now: '2025-01-01T00:00:00Z',
  });

  it('records managedFields and reports conflicts naming manager and field', () => {
    const first = serverSideApply(args(undefined, applied(2), 'alice'));
    expect(first.metadata.managedFields).toHaveLength(1);
    // An applier is named alone; an Update manager with its version, never its time: the manager
    // identifier drops the time (BuildManagerIdentifier), so printManager has none to print.
    expect(() => serverSideApply(args(first, applied(3), 'bob'))).toThrow(
      'Apply failed with 1 conflict: conflict with "alice": .spec.replicas',
    );
    const byUpdate = structuredClone(first);
    (byUpdate['spec'] as { replicas: number }).replicas = 4;
    trackUpdate(first, byUpdate, 'kubectl', 'apps/v1', '2025-01-02T00:00:00Z');
    expect(() => serverSideApply(args(byUpdate, applied(3), 'bob'))).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas',
    );
  });

  it('shares ownership when values agree and takes ownership with force', () => {
    const first = serverSideApply(args(undefined, applied(2), 'alice'));
    const shared = serverSideApply(args(first, applied(2), 'bob'));
    expect(
      (shared.metadata.managedFields ?? []).map((m) => (m as { manager: string }).manager).sort(),
    ).toEqual(['alice', 'bob']);
    const forced = serverSideApply(args(shared, applied(5), 'bob', true));
    expect((forced['spec'] as { replicas: number }).replicas).toBe(5);
    const alice = (forced.metadata.managedFields ?? []).find(
      (m) => (m as { manager: string }).manager === 'alice',
    ) as { fieldsV1: { 'f:spec': Record<string, unknown> } };
    expect(alice.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  it('removes fields the manager stopped applying', () => {
    const first = serverSideApply(
      args(
        undefined,
        { ...applied(2), metadata: { name: 'd', labels: { a: '1', b: '2' } } },
        'alice',
      ),
    );
    const second = serverSideApply(
      args(first, { ...applied(2), metadata: { name: 'd', labels: { a: '1' } } }, 'alice'),
    );
    expect(second.metadata.labels).toEqual({ a: '1' });
  });
});
