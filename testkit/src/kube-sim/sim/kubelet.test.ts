import { afterEach, describe, expect, it } from 'vitest';
import { CRASH_SENTINEL, R, type KubeEvent, type Pod } from './model.ts';
import { container, harness, podCond, waitFor, type Harness } from './testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
  h = undefined;
});

const pod = (
  name: string,
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...metadata },
  spec,
});
const get = (x: Harness, name: string) => x.get<Pod>(R.pods, 'default', name);

describe('sandbox kubelet', () => {
  it('walks pods Pending → ContainerCreating → Running with sampled latency, IPs, conditions and events', async () => {
    h = harness({ nodes: 2, scale: 20, sandboxStartMs: { p50: 700, p99: 2500 } });
    const x = h;
    const names = Array.from({ length: 30 }, (_, i) => `p${i}`);
    for (const n of names)
      h.create(
        R.pods,
        pod(n, {
          containers: [container('web', 'nginx:1.27', { ports: [{ containerPort: 80 }] })],
        }),
      );
    const creating = await waitFor('ContainerCreating', () =>
      x
        .pods()
        .find(
          (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating',
        ),
    );
    expect(creating.status?.phase).toBe('Pending');
    await waitFor(
      'all running',
      () => names.every((n) => get(x, n)?.status?.phase === 'Running'),
      15_000,
    );
    const latencies: number[] = [];
    for (const n of names) {
      const p = get(x, n);
      expect(p?.status?.podIP).toMatch(/^10\.42\.\d+\.\d+$/);
      expect(p?.status?.hostIP).toMatch(/^172\.20\./);
      expect(podCond(p as Pod, 'Ready')).toBe('True');
      expect(podCond(p as Pod, 'Initialized')).toBe('True');
      expect(podCond(p as Pod, 'ContainersReady')).toBe('True');
      expect(podCond(p as Pod, 'PodScheduled')).toBe('True');
      const started = Date.parse(
        p?.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '',
      );
      latencies.push(started - Date.parse(p?.status?.startTime ?? ''));
    }
    // Second-precision timestamps and real event-loop jitter (×20): a loose plausibility bound;
    // the distribution itself is checked in prng.test.ts.
    for (const l of latencies) {
      expect(l).toBeGreaterThanOrEqual(0);
      expect(l).toBeLessThanOrEqual(12_000);
    }
    expect(latencies.some((l) => l > 0)).toBe(true);
    expect(new Set(names.map((n) => get(x, n)?.status?.podIP)).size).toBe(names.length);
    const reasons = new Set(
      (x.store.list(R.events) as unknown as KubeEvent[])
        .filter((e) => e.involvedObject.name === 'p0')
        .map((e) => e.reason),
    );
    for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) expect(reasons).toContain(r);
    const log = x.sim.logs.read('default', 'p0', undefined);
    expect(log[0]).toContain('nginx:1.27');
    expect(log.join('\n')).toContain('listening on TCP :80');
  });

  it('marks a container ready only after the readiness probe initial delay', async () => {
    h = harness({ nodes: 1, scale: 100, sandboxStartMs: { p50: 100, p99: 200 } });
    const x = h;
    h.create(
      R.pods,
      pod('slow', {
        containers: [
          container('app', 'app:1', {
            readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 20 },
          }),
        ],
      }),
    );
    const running = await waitFor('running', () =>
      get(x, 'slow')?.status?.phase === 'Running' ? get(x, 'slow') : undefined,
    );
    expect(podCond(running as Pod, 'Ready')).toBe('False');
    const t0 = x.clock.now();
    await waitFor('ready', () => podCond(get(x, 'slow') as Pod, 'Ready') === 'True');
    expect(x.clock.now() - t0).toBeGreaterThanOrEqual(15_000);
  });

  it('restarts a crashing container with CrashLoopBackOff and growing backoff', async () => {
    h = harness({ nodes: 1, scale: 400, sandboxStartMs: { p50: 100, p99: 200 } });
    const x = h;
    h.create(
      R.pods,
      pod('crasher', {
        containers: [container('app', 'busybox', { command: ['sh', '-c', `${CRASH_SENTINEL}`] })],
      }),
    );
    await waitFor(
      'CrashLoopBackOff',
      () =>
        get(x, 'crasher')?.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
        'CrashLoopBackOff',
    );
    const s = get(x, 'crasher')?.status?.containerStatuses?.[0];
    expect(s?.lastState?.terminated?.exitCode).toBe(1);
    expect(s?.state?.waiting?.message).toContain('back-off 10s');
    await waitFor(
      'restartCount 2',
      () => (get(x, 'crasher')?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
      15_000,
    );
    await waitFor(
      'backoff 40s',
      () =>
        get(x, 'crasher')?.status?.containerStatuses?.[0]?.state?.waiting?.message?.includes(
          'back-off 40s',
        ),
      15_000,
    );
    expect(podCond(get(x, 'crasher') as Pod, 'Ready')).toBe('False');
    const backoffs = (x.store.list(R.events) as unknown as KubeEvent[]).find(
      (e) => e.reason === 'BackOff',
    );
    expect(backoffs?.count).toBeGreaterThanOrEqual(2);
  });

  it('fails a crashing pod with restartPolicy Never and completes pods with a duration', async () => {
    h = harness({ nodes: 1, scale: 100, sandboxStartMs: { p50: 100, p99: 200 } });
    const x = h;
    h.create(
      R.pods,
      pod('once', {
        restartPolicy: 'Never',
        containers: [container('app', `img-${CRASH_SENTINEL}`)],
      }),
    );
    h.create(
      R.pods,
      pod(
        'batch',
        { restartPolicy: 'Never', containers: [container('app', 'img')] },
        { annotations: { 'sim.nodeless.dev/duration-ms': '3000' } },
      ),
    );
    await waitFor('Failed', () => get(x, 'once')?.status?.phase === 'Failed');
    await waitFor('Succeeded', () => get(x, 'batch')?.status?.phase === 'Succeeded');
    expect(get(x, 'batch')?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(x.sim.logs.read('default', 'batch', 'app').at(-1)).toContain('exiting 0');
  });

  it('terminates deleted pods and removes them; node removal force-deletes its pods', async () => {
    // The test double implements graceful deletion of bound pods, as the API server does.
    h = harness({
      nodes: 1,
      scale: 100,
      sandboxStartMs: { p50: 100, p99: 200 },
      storeKind: 'double',
    });
    const x = h;
    h.create(R.pods, pod('bye', { containers: [container('app', 'img')] }));
    h.create(R.pods, pod('stays', { containers: [container('app', 'img')] }));
    await waitFor(
      'running',
      () =>
        get(x, 'bye')?.status?.phase === 'Running' && get(x, 'stays')?.status?.phase === 'Running',
    );
    const deleting = x.store.delete(R.pods, 'default', 'bye');
    expect(deleting?.metadata.deletionTimestamp).toBeDefined();
    await waitFor('gone', () => !get(x, 'bye'));
    expect(() => x.sim.logs.read('default', 'bye', undefined)).toThrow(/not found/);
    x.sim.removeNode('sim-node-1');
    await waitFor('pod of removed node gone', () => !get(x, 'stays'));
  });

  it('serves logs with tail, since and follow', async () => {
    h = harness({ nodes: 1, scale: 200, sandboxStartMs: { p50: 100, p99: 200 } });
    const x = h;
    h.create(R.pods, pod('chatty', { containers: [container('app', 'img:2')] }));
    expect(() => x.sim.logs.read('default', 'chatty', 'nope')).toThrow(/not valid/);
    await waitFor('running', () => get(x, 'chatty')?.status?.phase === 'Running');
    const seen: string[] = [];
    const stop = x.sim.logs.follow('default', 'chatty', 'app', (l) => seen.push(l));
    await waitFor('heartbeats', () => seen.length >= 2);
    stop();
    const all = x.sim.logs.read('default', 'chatty', 'app');
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(x.sim.logs.read('default', 'chatty', 'app', { tailLines: 1 })).toEqual(all.slice(-1));
    expect(x.sim.logs.read('default', 'chatty', 'app', { timestamps: true })[0]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z /,
    );
    expect(
      x.sim.logs.read('default', 'chatty', 'app', { sinceTime: x.clock.now() + 60_000 }),
    ).toEqual([]);
  });
});
