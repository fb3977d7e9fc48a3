/**
 * Operating workloads on the real control plane (kube-apiserver and kube-controller-manager
 * v1.36 with the real deployment and statefulset controllers; KWOK pods): rollout history,
 * diff and undo, restart and pause, scale, delete. Each case checks what kubectl reads back.
 * Autoscaling is workload-autoscaling.int.test.ts.
 */
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../src/client.ts';
import {
  deleteNamespace,
  deleteWorkload,
  diffRevisions,
  restartWorkload,
  rolloutHistory,
  scaleWorkload,
  setPaused,
  undoRollout,
  workloadStatus,
  type WorkloadAddress,
} from '../src/workloads/operate/index.ts';
import {
  deployment,
  getJson,
  NS,
  ok,
  readyDeployment,
  startOperationsLab,
  stopOperationsLab,
  until,
} from './workload-operations-lab.ts';

let client: KubeClient;

beforeAll(async () => {
  client = await startOperationsLab();
});

afterAll(async () => {
  await stopOperationsLab();
});

describe('rollouts', () => {
  const web: WorkloadAddress = { kind: 'Deployment', namespace: NS, name: 'web' };

  it('lists the history, diffs two revisions and undoes to a chosen one as kubectl does', async () => {
    await client.apply(deployment('web', 'registry.example/web:1'));
    await readyDeployment('web', 1);
    await ok(['set', 'image', '-n', NS, 'deployment/web', 'app=registry.example/web:2']);
    await readyDeployment('web', 1);
    await ok(['set', 'image', '-n', NS, 'deployment/web', 'app=registry.example/web:3']);
    // After the new ReplicaSet exists, so the controller copies it onto revision 3 only.
    await ok(['annotate', '-n', NS, 'deployment/web', 'kubernetes.io/change-cause=three']);
    await readyDeployment('web', 1);

    const history = await rolloutHistory(client, web);
    expect(history.map((r) => [r.revision, r.images[0], r.current])).toEqual([
      [1, 'registry.example/web:1', false],
      [2, 'registry.example/web:2', false],
      [3, 'registry.example/web:3', true],
    ]);
    expect(history[2]?.changeCause).toBe('three');
    // kubectl agrees on the revisions and the change-cause.
    expect(await ok(['rollout', 'history', '-n', NS, 'deployment/web'])).toMatch(
      /1\s+<none>\s+2\s+<none>\s+3\s+three/,
    );

    expect(await diffRevisions(client, web, 1, 3)).toEqual([
      {
        path: 'spec.containers[app].image',
        before: 'registry.example/web:1',
        after: 'registry.example/web:3',
      },
    ]);

    const revision1 = await getJson<{ spec: { template: object } }>(
      'replicaset',
      history[0]?.replicaSet ?? '',
    );
    expect(await undoRollout(client, web, 1)).toEqual({ rolledBack: true });
    const d = await readyDeployment('web', 1);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('registry.example/web:1');
    // The template is revision 1's, but for the controller's hash label.
    const { ['pod-template-hash']: _hash, ...labels } = (
      revision1.spec.template as { metadata: { labels: Record<string, string> } }
    ).metadata.labels;
    expect(d.spec?.template.metadata?.labels).toEqual(labels);
    // The revision's change-cause came back with it (none): kubectl's annotation handling.
    expect(d.metadata?.annotations?.['kubernetes.io/change-cause']).toBeUndefined();
    // The controller reused revision 1's ReplicaSet as revision 4.
    const after = await rolloutHistory(client, web);
    expect(after.map((r) => [r.revision, r.images[0]])).toEqual([
      [2, 'registry.example/web:2'],
      [3, 'registry.example/web:3'],
      [4, 'registry.example/web:1'],
    ]);
    expect(await undoRollout(client, web, 4)).toEqual({
      rolledBack: false,
      reason: 'the current template already matches this revision',
    });
    await expect(undoRollout(client, web, 1)).rejects.toThrow(
      'unable to find specified revision 1 in history',
    );
  });

  it('restart makes a new revision with restartedAt; a paused deployment is refused as kubectl does', async () => {
    const before = (await rolloutHistory(client, web)).at(-1)?.revision ?? 0;
    await restartWorkload(client, web, new Date());
    await until('a new revision', async () => {
      const last = (await rolloutHistory(client, web)).at(-1);
      return last && last.revision === before + 1 ? last : undefined;
    });
    const d = await readyDeployment('web', 1);
    expect(d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );

    expect(await setPaused(client, web, true)).toBe(true);
    expect(await setPaused(client, web, true)).toBe(false);
    expect((await getJson<V1Deployment>('deployment', 'web')).spec?.paused).toBe(true);
    await expect(restartWorkload(client, web, new Date())).rejects.toThrow(
      "can't restart paused deployment",
    );
    await expect(undoRollout(client, web, 2)).rejects.toThrow(
      'you cannot rollback a paused deployment',
    );
    expect(await setPaused(client, web, false)).toBe(true);
    expect((await getJson<V1Deployment>('deployment', 'web')).spec?.paused).toBeUndefined();
  });
});

describe('scale', () => {
  it('scales a StatefulSet through the scale subresource and reports progress to done', async () => {
    const sts: V1StatefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NS },
      spec: {
        serviceName: 'db',
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'registry.example/db:1' }] },
        },
      },
    };
    await client.apply(sts);
    const db: WorkloadAddress = { kind: 'StatefulSet', namespace: NS, name: 'db' };
    expect(await scaleWorkload(client, db, 3)).toBe(3);
    const status = await until('3 ready StatefulSet pods', async () => {
      const s = await workloadStatus(client, db);
      return s.progress?.done ? s : undefined;
    });
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3 });
    expect(status.progress).toMatchObject({ current: 3, max: 3 });
    expect(
      await ok(['get', 'statefulset', '-n', NS, 'db', '-o', 'jsonpath={.spec.replicas}']),
    ).toBe('3');
  });

  it('lists a StatefulSet history from its ControllerRevisions and undoes to revision 1', async () => {
    const db: WorkloadAddress = { kind: 'StatefulSet', namespace: NS, name: 'db' };
    await ok(['set', 'image', '-n', NS, 'statefulset/db', 'db=registry.example/db:2']);
    await until('revision 2', async () => {
      const h = await rolloutHistory(client, db);
      return h.length === 2 ? h : undefined;
    });
    expect(
      (await rolloutHistory(client, db)).map((r) => [r.revision, r.images[0], r.current]),
    ).toEqual([
      [1, 'registry.example/db:1', false],
      [2, 'registry.example/db:2', true],
    ]);
    expect(await diffRevisions(client, db, 2, 1)).toEqual([
      {
        path: 'spec.containers[db].image',
        before: 'registry.example/db:2',
        after: 'registry.example/db:1',
      },
    ]);
    expect(await undoRollout(client, db, 1)).toEqual({ rolledBack: true });
    expect(
      await ok([
        'get',
        'statefulset',
        '-n',
        NS,
        'db',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('registry.example/db:1');
    // As for kubectl: the controller makes the old template the newest revision.
    const after = await until('revision 3', async () => {
      const h = await rolloutHistory(client, db);
      return h.at(-1)?.revision === 3 ? h : undefined;
    });
    expect(after.at(-1)?.images).toEqual(['registry.example/db:1']);
    expect(await undoRollout(client, db, 3)).toEqual({
      rolledBack: false,
      reason: 'the current template already matches this revision',
    });
  });
});

describe('delete', () => {
  it('deletes a workload only as the uid the user saw, and a namespace only by its typed name', async () => {
    await ok(['create', 'namespace', 'scratch']);
    await client.apply({
      ...deployment('tmp', 'registry.example/tmp:1'),
      metadata: { name: 'tmp', namespace: 'scratch' },
    });
    const tmp: WorkloadAddress = { kind: 'Deployment', namespace: 'scratch', name: 'tmp' };
    const { uid } = await workloadStatus(client, tmp);
    await expect(deleteWorkload(client, tmp, { uid: 'another-uid' })).rejects.toThrow(
      /409 Conflict.*the UID in the precondition \(another-uid\) does not match/,
    );
    expect(await deleteWorkload(client, tmp, { uid })).toBe(true);
    expect(await deleteWorkload(client, tmp)).toBe(false);

    await expect(deleteNamespace(client, 'kube-system', 'kube-system')).rejects.toThrow('reserved');
    await expect(deleteNamespace(client, 'scratch', 'scratc')).rejects.toThrow(
      'the typed name "scratc" is not "scratch"',
    );
    expect(await deleteNamespace(client, 'scratch', 'scratch')).toBe(true);
    const phase = await ok(['get', 'namespace', 'scratch', '-o', 'jsonpath={.status.phase}']).catch(
      () => 'gone',
    );
    expect(['Terminating', 'gone']).toContain(phase);
  });
});
