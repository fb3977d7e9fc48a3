import { afterEach, describe, expect, it } from 'vitest';
import { R, type Deployment, type Pod, type ReplicaSet } from '../model.ts';
import { isReady } from '../pods.ts';
import { container, harness, waitFor, type Harness } from '../testing/harness.ts';
import { REVISION } from './deployment.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
  h = undefined;
});

const deployment = (
  name: string,
  replicas: number,
  image: string,
  strategy: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [container('web', image)] },
    },
    ...(Object.keys(strategy).length ? { strategy } : {}),
    ...extra,
  },
});

const getD = (x: Harness, name: string) => x.get<Deployment>(R.deployments, 'default', name);
const sets = (x: Harness) => x.store.list(R.replicaSets) as unknown as ReplicaSet[];

/** What `kubectl rollout status` waits for. */
const rolledOut = (d: Deployment | undefined): boolean =>
  !!d &&
  (d.metadata?.generation ?? 0) <= (d.status?.observedGeneration ?? -1) &&
  (d.status?.updatedReplicas ?? 0) === d.spec?.replicas &&
  (d.status?.replicas ?? 0) === (d.status?.updatedReplicas ?? 0) &&
  (d.status?.availableReplicas ?? 0) === (d.status?.updatedReplicas ?? 0) &&
  d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';

function setImage(x: Harness, name: string, image: string): void {
  const d = getD(x, name);
  if (!d?.spec?.template.spec) throw new Error('no deployment');
  d.spec.template.spec.containers[0] = { name: 'web', image };
  x.store.update(R.deployments, d as never);
}

describe('deployment controller', () => {
  it('rolls out, and a rolling update never exceeds maxSurge / maxUnavailable', async () => {
    h = harness({ nodes: 3, scale: 100, sandboxStartMs: { p50: 300, p99: 1500 } });
    const x = h;
    const replicas = 6;
    h.create(
      R.deployments,
      deployment('web', replicas, 'nginx:1', {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '34%', maxUnavailable: 1 },
      }),
    );
    await waitFor('rolled out', () => rolledOut(getD(x, 'web')), 15_000);
    expect(sets(x)).toHaveLength(1);
    expect(sets(x)[0]?.metadata?.labels?.['pod-template-hash']).toBeTruthy();
    expect(getD(x, 'web')?.metadata?.annotations?.[REVISION]).toBe('1');
    // maxSurge 34% of 6 rounds up to 3; maxUnavailable 1.
    const violations: string[] = [];
    let maxTotal = 0;
    let minReady = Infinity;
    const check = (): void => {
      const total = sets(x).reduce((a, r) => a + (r.spec?.replicas ?? 0), 0);
      const pods = x
        .pods()
        .filter(
          (p) =>
            !p.metadata?.deletionTimestamp &&
            p.status?.phase !== 'Succeeded' &&
            p.status?.phase !== 'Failed',
        );
      const ready = pods.filter((p) => isReady(p as Pod)).length;
      maxTotal = Math.max(maxTotal, total, pods.length);
      minReady = Math.min(minReady, ready);
      if (total > replicas + 3) violations.push(`replica sum ${total}`);
      if (pods.length > replicas + 3) violations.push(`pods ${pods.length}`);
      if (ready < replicas - 1) violations.push(`ready ${ready}`);
    };
    const unwatch = [R.pods, R.replicaSets].map((r) => x.store.watch(r, check));
    setImage(x, 'web', 'nginx:2');
    await waitFor(
      'updated',
      () => rolledOut(getD(x, 'web')) && getD(x, 'web')?.metadata?.annotations?.[REVISION] === '2',
      20_000,
    );
    unwatch.forEach((u) => u());
    expect(violations).toEqual([]);
    expect(maxTotal).toBeGreaterThan(replicas); // it did surge
    expect(minReady).toBeGreaterThanOrEqual(replicas - 1);
    expect(
      x
        .pods()
        .filter((p) => !p.metadata?.deletionTimestamp)
        .every((p) => p.spec?.containers[0]?.image === 'nginx:2'),
    ).toBe(true);
    const old = sets(x).find((r) => r.metadata?.annotations?.[REVISION] === '1');
    expect(old?.spec?.replicas).toBe(0);
  });

  it('keeps revisionHistoryLimit and rolls back by template reusing the old ReplicaSet', async () => {
    h = harness({ nodes: 3, scale: 200, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    h.create(R.deployments, deployment('api', 2, 'api:1', {}, { revisionHistoryLimit: 2 }));
    await waitFor('v1', () => rolledOut(getD(x, 'api')));
    const v1 = sets(x)[0];
    for (const v of [2, 3, 4]) {
      setImage(x, 'api', `api:${v}`);
      await waitFor(
        `v${v}`,
        () =>
          rolledOut(getD(x, 'api')) &&
          getD(x, 'api')?.metadata?.annotations?.[REVISION] === String(v),
        15_000,
      );
    }
    // Current + 2 old ones are kept; revision 1 went.
    await waitFor('history trimmed', () => sets(x).length === 3);
    expect(
      sets(x)
        .map((r) => r.metadata?.annotations?.[REVISION])
        .sort(),
    ).toEqual(['2', '3', '4']);
    expect(sets(x).some((r) => r.metadata?.uid === v1?.metadata?.uid)).toBe(false);
    // kubectl rollout undo: copy revision 3's template (minus pod-template-hash) into the deployment.
    const r3 = sets(x).find((r) => r.metadata?.annotations?.[REVISION] === '3');
    const d = getD(x, 'api');
    if (!d?.spec || !r3?.spec?.template) throw new Error('missing');
    const template = structuredClone(r3.spec.template);
    delete template.metadata?.labels?.['pod-template-hash'];
    d.spec.template = template;
    x.store.update(R.deployments, d as never);
    await waitFor(
      'undone',
      () => rolledOut(getD(x, 'api')) && getD(x, 'api')?.metadata?.annotations?.[REVISION] === '5',
      15_000,
    );
    const reused = sets(x).find((r) => r.metadata?.uid === r3.metadata?.uid);
    expect(reused?.metadata?.annotations?.[REVISION]).toBe('5');
    expect(reused?.spec?.replicas).toBe(2);
    expect(sets(x)).toHaveLength(3);
  });

  it('Recreate scales the old ReplicaSet to zero before starting the new one', async () => {
    h = harness({ nodes: 2, scale: 100, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    h.create(R.deployments, deployment('db', 2, 'db:1', { type: 'Recreate' }));
    await waitFor('v1', () => rolledOut(getD(x, 'db')));
    let overlap = false;
    const unwatch = x.store.watch(R.pods, () => {
      const live = x
        .pods()
        .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      if (new Set(live.map((p) => p.spec?.containers[0]?.image)).size > 1) overlap = true;
    });
    setImage(x, 'db', 'db:2');
    await waitFor(
      'v2',
      () => rolledOut(getD(x, 'db')) && getD(x, 'db')?.metadata?.annotations?.[REVISION] === '2',
      15_000,
    );
    unwatch();
    expect(overlap).toBe(false);
  });

  it('scales via spec.replicas and reports ReplicaSet status', async () => {
    h = harness({ nodes: 2, scale: 200, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    h.create(R.deployments, deployment('s', 1, 'img'));
    await waitFor('1', () => rolledOut(getD(x, 's')));
    const d = getD(x, 's');
    if (!d?.spec) throw new Error('missing');
    d.spec.replicas = 4;
    x.store.update(R.deployments, d as never);
    await waitFor('4', () => rolledOut(getD(x, 's')) && getD(x, 's')?.status?.readyReplicas === 4);
    const rs = sets(x)[0];
    expect(rs?.status).toMatchObject({
      replicas: 4,
      readyReplicas: 4,
      availableReplicas: 4,
      fullyLabeledReplicas: 4,
    });
    expect(
      x
        .pods()
        .every(
          (p) =>
            p.metadata?.ownerReferences?.[0]?.controller === true &&
            p.metadata.labels?.['pod-template-hash'],
        ),
    ).toBe(true);
  });
});
