/**
 * The Workloads section's feed (a connection's `workloads` feed, as `workspace.feed` serves it)
 * on the real control plane (kube-apiserver, controllers,
 * scheduler, KWOK machines of 8 vCPU / 32 GiB): a Deployment, StatefulSet, Job, CronJob and a
 * bare pod created with the real kubectl show in `workspace.feed` kind `workloads` with their
 * size (template resources rounded up to the table), sandbox-free status in words and
 * ready/desired; `kubectl scale` shows at once; a Deployment too big for any machine gets the
 * pool-full sentence on its row and on the Overview.
 */
import { createKubeClient, createWatchCache } from '@nodeless/cluster-runtime';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../src/clusters/connection.ts';
import type { FeedMessage, WorkloadRow } from '../src/clusters/contract.ts';
import { computeOverview } from '../src/clusters/overview.ts';
import { systemTimers } from '../src/clusters/startup.ts';

let cp: ControlPlane;
let connection: Connection;
const seen = new Map<string, WorkloadRow>();
const abort = new AbortController();
const NS = 'wl';

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 2 });
  connection = new Connection({
    clusterId: 'cp',
    credentials: () => ({
      clusterId: 'cp',
      kubeconfig: cp.kubeconfig,
      servers: [cp.url],
      version: '1',
    }),
    credentialsVersion: () => '1',
    createClient: (text) => createKubeClient(text),
    createCache: createWatchCache,
    envPath: () => process.env['PATH'] ?? '',
    timers: systemTimers,
  });
  connection.open();
  // A window's subscription: the latest row of each workload by kind/name.
  void (async () => {
    for await (const m of connection.feeds.workloads.subscribe(abort.signal)) {
      const message = m as FeedMessage<WorkloadRow>;
      if (message.type === 'reset') seen.clear();
      if (message.type === 'rows') for (const r of message.rows) seen.set(`${r.kind}/${r.name}`, r);
      if (message.type === 'deleted') {
        for (const [k, r] of seen) if (message.uids.includes(r.uid)) seen.delete(k);
      }
    }
  })();
}, 900_000);
afterAll(async () => {
  abort.abort();
  connection?.dispose();
  await cp?.stop();
});

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await cp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const containers = (cpu: string, memory: string) => [
  { name: 'app', image: 'registry.example/app:1', resources: { limits: { cpu, memory } } },
];
const template = (app: string, cpu: string, memory: string, restartPolicy?: string) => ({
  metadata: { labels: { app } },
  spec: { containers: containers(cpu, memory), ...(restartPolicy ? { restartPolicy } : {}) },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  name: string,
  test: (row: WorkloadRow) => boolean,
  timeout = 60_000,
): Promise<WorkloadRow> {
  const end = Date.now() + timeout;
  for (;;) {
    const row = seen.get(name);
    if (row !== undefined && test(row)) return row;
    if (Date.now() > end)
      throw new Error(`${name}: not there in time; last ${JSON.stringify(row)}`);
    await sleep(100);
  }
}

describe('the workloads feed', () => {
  it('shows what kubectl created with size, ready/desired and status in words', async () => {
    await kubectl(['create', 'namespace', NS]);
    const objects = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: NS },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: template('web', '1500m', '3Gi'),
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: NS },
        spec: {
          replicas: 1,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: template('db', '500m', '1Gi'),
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', namespace: NS },
        spec: { template: template('once', '250m', '512Mi', 'Never') },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: NS },
        spec: {
          schedule: '0 3 * * *',
          suspend: true,
          jobTemplate: { spec: { template: template('nightly', '1', '2Gi', 'Never') } },
        },
      },
    ];
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    );
    await kubectl(['run', 'solo', '-n', NS, '--image=registry.example/solo:1']);

    const web = await until('Deployment/web', (r) => r.state === 'available', 120_000);
    expect(web).toMatchObject({
      namespace: NS,
      ready: 2,
      desired: 2,
      size: '2x4',
      status: 'Available',
    });
    expect(web.images).toEqual(['registry.example/app:1']);
    const db = await until('StatefulSet/db', (r) => r.state === 'available', 120_000);
    expect(db).toMatchObject({ ready: 1, desired: 1, size: '0.5x1' });
    const once = await until('Job/once', () => true);
    expect(once).toMatchObject({ size: '0.25x0.5', desired: 1 });
    expect(['running', 'complete']).toContain(once.state);
    const nightly = await until('CronJob/nightly', () => true);
    expect(nightly).toMatchObject({
      state: 'suspended',
      status: 'Suspended (0 3 * * *)',
      size: '1x2',
    });
    // A pod with no resources and no admission label: nothing says its size.
    const solo = await until('Pod/solo', (r) => r.state === 'running');
    expect(solo.size).toBeUndefined();
    expect(solo.images).toEqual(['registry.example/solo:1']);
    // The pods of the Deployment are not rows of their own.
    expect([...seen.keys()].filter((k) => k.startsWith('Pod/'))).toEqual(['Pod/solo']);

    await kubectl(['scale', '-n', NS, 'deployment/web', '--replicas=3']);
    const scaled = await until('Deployment/web', (r) => r.desired === 3, 10_000);
    expect(scaled.ready).toBeLessThanOrEqual(3);
    await until('Deployment/web', (r) => r.state === 'available' && r.ready === 3, 120_000);

    // The hpas feed: kubectl's autoscaler, with what it scales and its bounds.
    await kubectl(['autoscale', '-n', NS, 'deployment/web', '--min=2', '--max=5', '--cpu=70%']);
    const end = Date.now() + 30_000;
    let hpa = [...connection.feeds.hpas.rows().values()].find((h) => h.name === 'web');
    while (!hpa && Date.now() < end) {
      await sleep(100);
      hpa = [...connection.feeds.hpas.rows().values()].find((h) => h.name === 'web');
    }
    expect(hpa).toMatchObject({
      namespace: NS,
      target: { kind: 'Deployment', name: 'web' },
      min: 2,
      max: 5,
    });
  }, 400_000);

  it('says the pool is full on the workload and on the Overview', async () => {
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'trainer', namespace: NS },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'trainer' } },
          template: template('trainer', '16', '64Gi'),
        },
      }),
    );
    const trainer = await until('Deployment/trainer', (r) => r.poolFull !== undefined, 120_000);
    expect(trainer.warning).toBe(true);
    expect(trainer.size).toBe('16x64');
    expect(trainer.poolFull).toMatchObject({ pods: 1, sizes: [{ size: '16x64', count: 1 }] });
    expect(trainer.poolFull?.message).toMatch(
      /^1 pod of 16 vCPU \/ 64 GiB is waiting: the pool has [\d.]+ vCPU( and [\d.]+ GiB)? free/,
    );
    const warning = computeOverview(connection).warnings.find((w) => w.kind === 'pool-full');
    expect(warning?.count).toBe(1);
    expect(warning?.message).toMatch(/^1 pod of 16 vCPU \/ 64 GiB is waiting: the pool has /);
    // Smaller, it fits: the sentence goes away by itself.
    await kubectl([
      'set',
      'resources',
      '-n',
      NS,
      'deployment/trainer',
      '--limits=cpu=1,memory=2Gi',
    ]);
    await until(
      'Deployment/trainer',
      (r) => r.poolFull === undefined && r.state === 'available',
      120_000,
    );
  }, 300_000);
});
