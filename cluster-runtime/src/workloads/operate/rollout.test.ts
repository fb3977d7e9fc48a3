import type {
  V1ControllerRevision,
  V1Deployment,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deploymentHistory, labelSelectorText } from './history.ts';
import { mergePatchBetween, planUndo, restartPatch } from './patches.ts';
import {
  planStatefulSetUndo,
  revisionTemplate,
  statefulSetHistory,
} from './statefulset-history.ts';
import { templateDiff } from './template-diff.ts';

const template = (image: string, extra: Record<string, string> = {}): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web', ...extra } },
  spec: { containers: [{ name: 'web', image, env: [{ name: 'A', value: '1' }] }] },
});

const deployment = (over: Partial<V1Deployment> = {}): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'd-uid',
    resourceVersion: '42',
    generation: 3,
    annotations: {
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'kubernetes.io/change-cause': 'image 3',
      team: 'blue',
    },
  },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      ...template('web:3'),
      metadata: {
        labels: { app: 'web' },
        annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      },
    },
  },
  ...over,
});

const rs = (revision: string | undefined, image: string, owner = 'd-uid'): V1ReplicaSet => ({
  metadata: {
    name: `web-${image.replace(/\W/g, '')}`,
    namespace: 'shop',
    creationTimestamp: new Date('2026-01-01T00:00:00Z'),
    annotations: {
      ...(revision ? { 'deployment.kubernetes.io/revision': revision } : {}),
      'deployment.kubernetes.io/desired-replicas': '2',
      'kubernetes.io/change-cause': `set ${image}`,
    },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true },
    ],
  },
  spec: {
    replicas: revision === '3' ? 2 : 0,
    selector: { matchLabels: { app: 'web' } },
    template: template(image, { 'pod-template-hash': `h${image.length}` }),
  },
});

describe('rollout history', () => {
  it('orders revisions by number, marks the newest current and keeps only owned, numbered sets', () => {
    const sets = [
      rs('10', 'web:10'),
      rs('2', 'web:2'),
      rs('9', 'web:9'),
      rs(undefined, 'web:x'),
      rs('5', 'web:other', 'someone-else'),
    ];
    const history = deploymentHistory(deployment(), sets);
    expect(history.map((r) => r.revision)).toEqual([2, 9, 10]);
    expect(history.map((r) => r.current)).toEqual([false, false, true]);
    expect(history[0]).toMatchObject({ changeCause: 'set web:2', images: ['web:2'] });
  });

  it('writes selectors in the query syntax', () => {
    expect(
      labelSelectorText({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
        ],
      }),
    ).toBe('app=web,tier in (a,b),!canary,zone');
  });
});

describe('undo to a revision (kubectl rollback.go)', () => {
  it("replaces the template with the revision's, without pod-template-hash, and the annotations as kubectl does", () => {
    const plan = planUndo(deployment(), rs('1', 'web:1'));
    expect(plan.kind).toBe('patch');
    if (plan.kind !== 'patch') return;
    expect(plan.template).toEqual(template('web:1'));
    expect(plan.patch).toEqual({
      metadata: {
        resourceVersion: '42',
        annotations: {
          // The revision's change-cause comes back; the Deployment's own keys stay; others go.
          'kubernetes.io/change-cause': 'set web:1',
          team: null,
        },
      },
      spec: {
        template: {
          // restartedAt was on the current template, not on revision 1's: it goes.
          metadata: { annotations: null },
          spec: { containers: [{ name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }] }] },
        },
      },
    });
  });

  it('skips when the template already matches the revision but for the hash', () => {
    const d = deployment();
    d.spec = { selector: {}, template: template('web:1') };
    expect(planUndo(d, rs('1', 'web:1'))).toEqual({
      kind: 'skip',
      reason: 'the current template already matches this revision',
    });
  });

  it('spells replace as a merge patch: removed keys null, lists whole', () => {
    expect(
      mergePatchBetween({ a: 1, b: { c: 1, d: 2 }, l: [1, 2] }, { b: { c: 1 }, l: [2] }),
    ).toEqual({
      a: null,
      b: { d: null },
      l: [2],
    });
    expect(mergePatchBetween({ a: [1] }, { a: [1] })).toBeUndefined();
  });

  it('restart writes the restartedAt annotation in RFC 3339 seconds, as kubectl', () => {
    expect(restartPatch(new Date('2026-03-04T05:06:07.890Z'))).toEqual({
      spec: {
        template: {
          metadata: {
            annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-03-04T05:06:07Z' },
          },
        },
      },
    });
  });
});

describe('template diff', () => {
  it('names the changed image by container, ignores the hash, lists added and removed fields', () => {
    const from = template('web:1', { 'pod-template-hash': 'aaa' });
    const to = template('web:2', { 'pod-template-hash': 'bbb', track: 'stable' });
    to.spec = { containers: [{ name: 'web', image: 'web:2', env: [] }] };
    expect(templateDiff(from, to)).toEqual([
      { path: 'metadata.labels.track', after: 'stable' },
      { path: 'spec.containers[web].env', after: '[]' },
      { path: 'spec.containers[web].env[A].name', before: 'A' },
      { path: 'spec.containers[web].env[A].value', before: '1' },
      { path: 'spec.containers[web].image', before: 'web:1', after: 'web:2' },
    ]);
  });
});

describe('StatefulSet history (ControllerRevisions)', () => {
  const sts: V1StatefulSet = {
    metadata: { name: 'db', uid: 's-uid', resourceVersion: '7' },
    spec: { selector: {}, serviceName: 'db', template: template('db:2') },
  };
  const revision = (n: number, image: string, owner = 's-uid'): V1ControllerRevision => ({
    revision: n,
    metadata: {
      name: `db-${n}`,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: owner, controller: true },
      ],
    },
    data: { spec: { template: { ...template(image), $patch: 'replace' } } },
  });

  it('reads the template each revision stores, numbered and owned', () => {
    const list = [revision(2, 'db:2'), revision(1, 'db:1'), revision(5, 'x', 'other')];
    expect(statefulSetHistory(sts, list).map((r) => [r.revision, r.images, r.current])).toEqual([
      [1, ['db:1'], false],
      [2, ['db:2'], true],
    ]);
    expect(revisionTemplate(revision(1, 'db:1'))).toEqual(template('db:1'));
  });

  it('undoes by merge patch with a precondition, or skips when it already matches', () => {
    expect(planStatefulSetUndo(sts, revision(2, 'db:2'))).toMatchObject({ kind: 'skip' });
    expect(planStatefulSetUndo(sts, revision(1, 'db:1'))).toMatchObject({
      kind: 'patch',
      patch: {
        metadata: { resourceVersion: '7' },
        spec: { template: { spec: { containers: [{ name: 'web', image: 'db:1' }] } } },
      },
    });
  });
});
