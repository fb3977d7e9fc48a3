import { afterEach, describe, expect, it } from 'vitest';
import { R, type Deployment, type Endpoints, type EndpointSlice, type Hpa } from '../model.ts';
import { container, harness, resources, waitFor, type Harness } from '../testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
  h = undefined;
});

const deployment = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          container('web', 'nginx', {
            ...resources('100m', '128Mi'),
            ports: [{ name: 'http', containerPort: 8080 }],
            ...extra,
          }),
        ],
      },
    },
  },
});

describe('HPA', () => {
  it('scales up under load, holds within tolerance, scales down only after stabilisation', async () => {
    // A fixed total load shared by the running pods, as a service's traffic would be.
    let totalMilli = 400;
    const running = (): number =>
      h?.pods().filter((p) => p.status?.phase === 'Running').length || 1;
    h = harness({
      nodes: 4,
      scale: 200,
      sandboxStartMs: { p50: 100, p99: 300 },
      hpa: { syncPeriodMs: 15_000, tolerance: 0.1, downscaleStabilizationMs: 120_000 },
      loadModel: () => ({ cpu: totalMilli / running() }),
    });
    const x = h;
    h.create(R.deployments, deployment('web', 2));
    h.create(R.hpas, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
    });
    const replicas = () => x.get<Deployment>(R.deployments, 'default', 'web')?.spec?.replicas;
    const hpa = () => x.get<Hpa>(R.hpas, 'default', 'web');
    // 2 pods at 200% against 50% → desired 8, limited by max(2×, +4) per sync to 6 first.
    const first = await waitFor('scaled up', () => (replicas() ?? 2) > 2 && replicas(), 15_000);
    expect(first).toBe(6);
    await waitFor(
      '8 replicas',
      () =>
        replicas() === 8 &&
        hpa()?.status?.currentMetrics?.[0]?.resource?.current.averageUtilization === 50,
      15_000,
    );
    const s = hpa()?.status;
    expect(s?.conditions?.find((c) => c.type === 'ScalingActive')?.status).toBe('True');
    // Load rises to 53% per pod: within 10% tolerance of 50% → holds at 8 over several syncs.
    totalMilli = 8 * 53;
    const t0 = x.clock.now();
    await waitFor(
      'several syncs',
      () =>
        x.clock.now() - t0 > 60_000 &&
        hpa()?.status?.currentMetrics?.[0]?.resource?.current.averageUtilization === 53,
      15_000,
    );
    expect(replicas()).toBe(8);
    // Load drops to 10%: recommendation 2, but not before the 120 s stabilisation window passes.
    totalMilli = 80;
    const t1 = x.clock.now();
    await waitFor(
      'stabilised',
      () =>
        hpa()?.status?.conditions?.find((c) => c.type === 'AbleToScale')?.reason ===
        'ScaleDownStabilized',
      15_000,
    );
    expect(replicas()).toBe(8);
    await waitFor('scaled down', () => (replicas() ?? 8) < 8, 20_000);
    expect(x.clock.now() - t1).toBeGreaterThanOrEqual(100_000);
    await waitFor('min reached', () => replicas() === 2, 20_000);
    expect(hpa()?.status?.conditions?.find((c) => c.type === 'ScalingLimited')?.reason).toBe(
      'DesiredWithinRange',
    );
  });

  it('serves PodMetrics and NodeMetrics from the load model and annotations', async () => {
    h = harness({ nodes: 1, scale: 100, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    h.create(R.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'hot',
        namespace: 'default',
        annotations: {
          'sim.nodeless.dev/cpu-millicores': '750',
          'sim.nodeless.dev/memory-bytes': '256Mi',
        },
      },
      spec: { containers: [container('a', 'img')] },
    });
    await waitFor('metrics', () => x.sim.metrics.pod('default', 'hot'));
    const m = x.sim.metrics.pod('default', 'hot');
    expect(m).toMatchObject({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      containers: [{ name: 'a', usage: { cpu: '750000000n', memory: '262144Ki' } }],
    });
    const n = x.sim.metrics.node('sim-node-1');
    expect(n?.kind).toBe('NodeMetrics');
    expect(Number(n?.usage.cpu.replace('n', ''))).toBeGreaterThan(750_000_000);
    expect(x.sim.metrics.pods('default')).toHaveLength(1);
    expect(x.sim.metrics.nodes()).toHaveLength(1);
  });
});

describe('Endpoints', () => {
  it('follow pod readiness, with EndpointSlices and named target ports', async () => {
    h = harness({ nodes: 2, scale: 100, sandboxStartMs: { p50: 100, p99: 300 } });
    const x = h;
    h.create(
      R.deployments,
      deployment('api', 2, {
        readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 30 },
      }),
    );
    h.create(R.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'default' },
      spec: { selector: { app: 'api' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    });
    const ep = () => x.get<Endpoints>(R.endpoints, 'default', 'api');
    await waitFor(
      'not ready addresses',
      () => ep()?.subsets?.[0]?.notReadyAddresses?.length === 2,
      15_000,
    );
    expect(ep()?.subsets?.[0]?.addresses).toBeUndefined();
    expect(ep()?.subsets?.[0]?.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    await waitFor('ready addresses', () => ep()?.subsets?.[0]?.addresses?.length === 2, 15_000);
    const ips = x
      .pods()
      .map((p) => p.status?.podIP)
      .sort();
    expect(
      ep()
        ?.subsets?.[0]?.addresses?.map((a) => a.ip)
        .sort(),
    ).toEqual(ips);
    const slice = (x.store.list(R.endpointSlices) as unknown as EndpointSlice[]).find(
      (s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'api',
    );
    expect(slice?.endpoints.every((e) => e.conditions?.ready === true)).toBe(true);
    // Scale to zero: endpoints empty out.
    const d = x.get<Deployment>(R.deployments, 'default', 'api');
    if (!d?.spec) throw new Error('missing');
    d.spec.replicas = 0;
    x.store.update(R.deployments, d as never);
    await waitFor('empty', () => (ep()?.subsets ?? []).length === 0, 15_000);
  });
});
