/**
 * Row projections of pods and workloads, table-driven: owner workloads resolved through the
 * index, slim rows (no managedFields, no spec blobs), kubectl's deployment and job columns.
 * Services, HPAs, nodes, namespaces and events: columns.test.ts.
 */
import type { V1Job, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deploymentRow } from './deployment.ts';
import { jobRow } from './job.ts';
import { timeOf } from './kind.ts';
import { OwnerIndex } from './owners.ts';
import { podRow } from './pod.ts';

// The wire carries RFC 3339 strings where client-node's types say Date.
const at = (s: string) => s as unknown as Date;
const T0 = '2026-03-01T08:00:00Z';

const owned = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: `${name}-uid`, controller: true },
];

function podOwnedBy(kind: string, name: string, labels: Record<string, string> = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'team',
      uid: 'pod-uid',
      labels,
      creationTimestamp: at(T0),
      ownerReferences: owned(kind, name),
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }],
    },
    spec: {
      containers: [{ name: 'c', image: 'img' }],
      nodeName: 'node-1',
      runtimeClassName: 'kata-clh',
    },
    status: { phase: 'Running' },
  };
}

const replicaSet: V1ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-5d8f', namespace: 'team', ownerReferences: owned('Deployment', 'web') },
};
const cronJobJob: V1Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'nightly-290',
    namespace: 'team',
    ownerReferences: owned('CronJob', 'nightly'),
  },
};
const bareJob: V1Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'once', namespace: 'team' },
};

describe('pod rows', () => {
  const index = OwnerIndex.of([replicaSet, cronJobJob, bareJob]);
  it.each([
    ['ReplicaSet', 'web-5d8f', { kind: 'Deployment', name: 'web' }],
    ['Job', 'nightly-290', { kind: 'CronJob', name: 'nightly' }],
    ['Job', 'once', { kind: 'Job', name: 'once' }],
    ['ReplicaSet', 'orphan-rs', { kind: 'ReplicaSet', name: 'orphan-rs' }],
    ['StatefulSet', 'db', { kind: 'StatefulSet', name: 'db' }],
  ])('a pod of %s %s belongs to %o', (kind, name, owner) => {
    expect(podRow(podOwnedBy(kind, name), index).owner).toEqual(owner);
  });

  it('without an index names the direct controller, never a guess', () => {
    expect(podRow(podOwnedBy('ReplicaSet', 'web-5d8f')).owner).toEqual({
      kind: 'ReplicaSet',
      name: 'web-5d8f',
    });
  });

  it('follows the index as it changes (watch events)', () => {
    const live = new OwnerIndex();
    live.observe(replicaSet);
    expect(podRow(podOwnedBy('ReplicaSet', 'web-5d8f'), live).owner?.kind).toBe('Deployment');
    live.observe(replicaSet, true);
    expect(live.size).toBe(0);
    expect(podRow(podOwnedBy('ReplicaSet', 'web-5d8f'), live).owner?.kind).toBe('ReplicaSet');
  });

  it('is slim: identity, columns, size label; no managedFields or spec', () => {
    const row = podRow(
      podOwnedBy('StatefulSet', 'db', { app: 'db', 'nodeless.dev/size': '0.5x1' }),
    );
    expect(row).toEqual({
      uid: 'pod-uid',
      name: 'p',
      namespace: 'team',
      createdAt: Date.parse(T0),
      labels: { app: 'db', 'nodeless.dev/size': '0.5x1' },
      owner: { kind: 'StatefulSet', name: 'db' },
      phase: 'Running',
      status: 'Running',
      ready: 0,
      total: 1,
      restarts: 0,
      node: 'node-1',
      size: '0.5x1',
      runtimeClass: 'kata-clh',
    });
  });

  it('reads timestamps as strings (the wire) and as Dates (client-node typed APIs)', () => {
    expect(timeOf(T0)).toBe(timeOf(new Date(T0)));
    expect(timeOf('not a time')).toBeUndefined();
    expect(timeOf(undefined)).toBeUndefined();
  });
});

describe('workload rows', () => {
  it('deployment: kubectl READY/UP-TO-DATE/AVAILABLE and a rollout in progress', () => {
    const row = deploymentRow({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team', generation: 3 },
      spec: {
        replicas: 3,
        selector: {},
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'nginx:1.27' },
              { name: 'b', image: 'nginx:1.27' },
            ],
          },
        },
      },
      status: {
        observedGeneration: 3,
        replicas: 4,
        updatedReplicas: 2,
        readyReplicas: 3,
        availableReplicas: 3,
      },
    });
    expect(row).toMatchObject({
      desired: 3,
      ready: 3,
      updated: 2,
      available: 3,
      rollingOut: true,
      images: ['nginx:1.27'],
    });
  });

  const job = (o: {
    conditions?: [string, string][];
    completions?: number;
    parallelism?: number;
    deleting?: boolean;
    succeeded?: number;
  }): V1Job => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'j',
      namespace: 'team',
      ...(o.deleting ? { deletionTimestamp: at(T0) } : {}),
    },
    spec: {
      template: {},
      ...(o.completions === undefined ? {} : { completions: o.completions }),
      ...(o.parallelism === undefined ? {} : { parallelism: o.parallelism }),
    },
    status: {
      succeeded: o.succeeded ?? 0,
      conditions: (o.conditions ?? []).map(([type, status]) => ({ type, status })),
    },
  });
  it.each([
    [job({ conditions: [['Complete', 'True']], completions: 3, succeeded: 3 }), 'Complete', '3/3'],
    [job({ conditions: [['Failed', 'True']] }), 'Failed', '0/1'],
    [job({ deleting: true, conditions: [['Suspended', 'True']] }), 'Terminating', '0/1'],
    [job({ conditions: [['Suspended', 'True']], parallelism: 4 }), 'Suspended', '0/1 of 4'],
    [
      job({
        conditions: [
          ['FailureTarget', 'True'],
          ['SuccessCriteriaMet', 'True'],
        ],
      }),
      'FailureTarget',
      '0/1',
    ],
    [
      job({ conditions: [['SuccessCriteriaMet', 'True']], completions: 2, succeeded: 1 }),
      'SuccessCriteriaMet',
      '1/2',
    ],
    [job({ conditions: [['Complete', 'False']] }), 'Running', '0/1'],
  ])('job %#: %s %s', (j, status, completions) => {
    expect(jobRow(j)).toMatchObject({ status, completions });
  });
});
