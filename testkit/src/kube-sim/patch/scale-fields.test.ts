import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../store/types.ts';
import { scaleManagedFields } from './scale-fields.ts';
import { serverSideApply, type ManagedFieldsEntry } from './ssa.ts';

const NOW = '2026-01-01T00:00:00Z';

function deployment(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}

/** `web` as `nodeless` applied it, with 2 replicas. */
function applied(): KubeObject {
  return serverSideApply({
    live: undefined,
    applied: deployment(2),
    manager: 'nodeless',
    apiVersion: 'apps/v1',
    force: false,
    now: NOW,
  });
}

const entriesOf = (o: KubeObject): ManagedFieldsEntry[] =>
  o.metadata.managedFields as ManagedFieldsEntry[];

describe('scale subresource field ownership', () => {
  it('makes the scaler an Update manager of spec.replicas with subresource scale, without time', () => {
    const out = scaleManagedFields(entriesOf(applied()), 'kubectl', 'apps/v1', 2, 3);
    expect(out).toHaveLength(2);
    expect(out[0]?.manager).toBe('nodeless');
    expect(out[0]?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    expect(out[0]?.fieldsV1).toHaveProperty(['f:spec', 'f:template']);
    expect(out[1]).toEqual({
      manager: 'kubectl',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      subresource: 'scale',
    });
  });

  it('changes nothing when the count stays', () => {
    const before = entriesOf(applied());
    expect(scaleManagedFields(before, 'kubectl', 'apps/v1', 2, 2)).toEqual(before);
  });

  it('drops an entry left without fields and keeps a second scale by the same manager in one entry', () => {
    const only: ManagedFieldsEntry = {
      manager: 'hpa',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: NOW,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    const once = scaleManagedFields([only], 'kubectl', 'apps/v1', 2, 3);
    expect(once.map((e) => e.manager)).toEqual(['kubectl']);
    expect(scaleManagedFields(once, 'kubectl', 'apps/v1', 3, 4)).toEqual(once);
  });

  it('lets a later apply of spec.replicas by another manager conflict, naming the scaler as upstream does', () => {
    const live = applied();
    live.metadata.managedFields = scaleManagedFields(entriesOf(live), 'kubectl', 'apps/v1', 2, 3);
    (live['spec'] as { replicas: number }).replicas = 3;
    const again = (force: boolean): KubeObject =>
      serverSideApply({
        live,
        applied: deployment(2),
        manager: 'nodeless',
        apiVersion: 'apps/v1',
        force,
        now: NOW,
      });
    expect(() => again(false)).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
    const forced = again(true);
    expect((forced['spec'] as { replicas: number }).replicas).toBe(2);
    expect(entriesOf(forced).map((e) => e.manager)).toEqual(['nodeless']);
  });
});
