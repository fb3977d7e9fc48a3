import { describe, expect, it } from 'vitest';
import { objectDiff, withoutNoise } from './object-diff.ts';

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '41',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'nodeless', operation: 'Apply' }],
    annotations: {},
    labels: { app: 'web' },
  },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
  status: { replicas: 2, readyReplicas: 1 },
};

describe('withoutNoise', () => {
  it('drops server bookkeeping, status and empty annotations, not the input', () => {
    expect(withoutNoise(live)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: live.spec,
    });
    expect(live.metadata.uid).toBe('u-1');
    expect(live.status.replicas).toBe(2);
  });
});

describe('objectDiff', () => {
  it('is empty when only bookkeeping and status differ', () => {
    const dry = structuredClone(live);
    dry.metadata.resourceVersion = '42';
    dry.metadata.generation = 4;
    dry.status.readyReplicas = 2;
    expect(objectDiff(live, dry)).toBe('');
  });

  it('shows a changed image as one removed and one added line', () => {
    const dry = structuredClone(live);
    dry.spec.template.spec.containers = [{ name: 'web', image: 'nginx:2' }];
    const diff = objectDiff(live, dry);
    expect(diff.startsWith('--- live\n+++ dry run\n@@ ')).toBe(true);
    const changed = diff.split('\n').filter((l) => /^[-+] /.test(l));
    expect(changed).toEqual(['-          image: nginx:1', '+          image: nginx:2']);
  });

  it('shows a new object as all added lines', () => {
    const diff = objectDiff(undefined, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
    });
    expect(diff).toContain('@@ -0,0 +1,4 @@');
    expect(diff).toContain('+kind: ConfigMap');
  });
});
