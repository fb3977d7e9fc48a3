/**
 * Autoscaling on the real control plane: HPAs written by the editor's model read back as plain
 * autoscaling/v2 objects, and the real HPA controller (windows shortened by flags) acts on the
 * usage metrics-server reads from KWOK's pods.
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../src/client.ts';
import {
  applyHpa,
  deleteHpa,
  findHpa,
  hpaModelOf,
  workloadStatus,
  type HpaModel,
  type WorkloadAddress,
} from '../src/workloads/operate/index.ts';
import {
  deployment,
  getJson,
  NS,
  ok,
  readyDeployment,
  setUsage,
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

describe('HPA', () => {
  const api: WorkloadAddress = { kind: 'Deployment', namespace: NS, name: 'api' };
  const model: HpaModel = {
    namespace: NS,
    name: 'api',
    target: { kind: 'Deployment', name: 'api' },
    minReplicas: 1,
    maxReplicas: 4,
    cpuUtilization: 50,
    memoryUtilization: 90,
    scaleDownStabilizationSeconds: 5,
  };

  it('creates and edits a plain autoscaling/v2 HPA that kubectl reads back', async () => {
    await client.apply(deployment('api', 'registry.example/api:1'));
    await readyDeployment('api', 1);
    await applyHpa(client, model);
    const created = await getJson<V2HorizontalPodAutoscaler>('hpa', 'api');
    expect(hpaModelOf(created)).toEqual(model);
    // kubectl hides managedFields unless asked: ask, to see who wrote it and how.
    const managed = JSON.parse(
      await ok(['get', 'hpa', '-n', NS, 'api', '-o', 'json', '--show-managed-fields']),
    ) as V2HorizontalPodAutoscaler;
    expect(managed.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual([
      'nodeless',
      'Apply',
    ]);

    // Edit: memory target dropped, max raised, window removed (back to the controller's default).
    const {
      memoryUtilization: _m,
      scaleDownStabilizationSeconds: _w,
      ...edited
    } = {
      ...model,
      maxReplicas: 5,
    };
    await applyHpa(client, edited);
    const read = await getJson<V2HorizontalPodAutoscaler>('hpa', 'api');
    expect(hpaModelOf(read)).toEqual(edited);
    expect(read.spec?.metrics).toHaveLength(1);

    await applyHpa(client, { ...model, maxReplicas: 4 });
    expect(hpaModelOf(await getJson<V2HorizontalPodAutoscaler>('hpa', 'api'))).toEqual(model);
  });

  it('the real HPA controller scales up under load and down after the stabilisation window', async () => {
    // 300m used of 100m requested: 300 % against a 50 % target → the maximum. Patched as a
    // user would (re-applying the Deployment would take spec.replicas back from the HPA).
    await setUsage('api', '300m');
    const up = await until(
      'the HPA to scale up to 4',
      async () => {
        const s = await workloadStatus(client, api);
        return s.hpa && s.hpa.desiredReplicas === 4 && s.replicas === 4 ? s : undefined;
      },
      120_000,
    );
    expect(up.hpa?.metrics.find((m) => m.resource === 'cpu')?.currentUtilization).toBeGreaterThan(
      50,
    );
    expect(up.hpa?.conditions.map((c) => [c.type, c.status])).toEqual([
      ['AbleToScale', 'True'],
      ['ScalingActive', 'True'],
      ['ScalingLimited', 'True'],
    ]);
    expect(up.hpa?.conditions[2]?.reason).toBe('TooManyReplicas');

    // The load goes: 10m of 100m → 10 %; after the 5 s window the HPA goes back to the minimum.
    await setUsage('api', '10m');
    const down = await until(
      'the HPA to scale down to 1',
      async () => {
        const s = await workloadStatus(client, api);
        return s.hpa && s.hpa.desiredReplicas === 1 && s.replicas === 1 ? s : undefined;
      },
      120_000,
    );
    expect(down.hpa?.currentReplicas).toBeLessThanOrEqual(4);

    expect(await deleteHpa(client, NS, 'api')).toBe(true);
    expect(await findHpa(client, api)).toBeUndefined();
  });
});
