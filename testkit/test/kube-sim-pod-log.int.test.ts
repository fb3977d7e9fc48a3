/**
 * kube-sim's `pods/log` parameters and refusals, in the API's words (where the real kubectl
 * cannot tell: `limitBytes`, `sinceSeconds`, the waiting and container-choice 400s, a pod
 * without a node). The kubectl comparison of tail/timestamps/previous/-c is
 * backend/test/pod-logs.int.test.ts.
 */
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '@nodeless/cluster-runtime';
import { startKubeSim, type KubeSim } from '../src/kube-sim/index.ts';
import { hasSimulation } from './kube-sim-helpers.ts';

let sim: KubeSim;
let kube: KubeClient;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.url}${path}`,
      { ca: sim.caPem, headers: { authorization: `Bearer ${sim.adminToken}` } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const log = (pod: string, query: string) =>
  get(`/api/v1/namespaces/default/pods/${pod}/log${query}`);
const message = (body: string) => (JSON.parse(body) as { message: string }).message;

async function create(name: string, containers: object[], spec: object = {}) {
  await kube.create(POD, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers, ...spec },
  });
}

beforeAll(async () => {
  sim = await startKubeSim({
    timeScale: 10,
    nodes: 1,
    simOptions: { sandboxStartMs: { p50: 30_000, p99: 40_000 } },
  });
  kube = createKubeClient(sim.kubeconfig);
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

describe.skipIf(!hasSimulation)('kube-sim pods/log', () => {
  it('answers a container that has not started with the kubelet 400, then its lines', async () => {
    await create('slow', [{ name: 'app', image: 'busybox:1.37' }]);
    await sleep(300);
    const early = await log('slow', '');
    expect(early.status).toBe(400);
    expect(message(early.body)).toBe(
      'container "app" in pod "slow" is waiting to start: ContainerCreating',
    );
    for (let i = 0; i < 100; i++) {
      const r = await log('slow', '');
      if (r.status === 200) {
        expect(r.body).toContain('simulated container app started');
        // limitBytes cuts the body, mid-line if so.
        const cut = await log('slow', '?limitBytes=10');
        expect(cut.body).toBe(r.body.slice(0, 10));
        // sinceSeconds counts simulated time: the banner is older than 1 s (0.3 s here × 10).
        await sleep(300);
        expect((await log('slow', '?sinceSeconds=1')).body).not.toContain('started');
        const all = await log('slow', '?sinceSeconds=100000');
        expect(all.body).toContain('simulated container app started');
        const both = await log('slow', '?sinceSeconds=1&sinceTime=2020-01-01T00:00:00Z');
        expect(both.status).toBe(422);
        const previous = await log('slow', '?previous=true');
        expect(previous.status).toBe(400);
        expect(message(previous.body)).toBe(
          'previous terminated container "app" in pod "slow" not found',
        );
        return;
      }
      await sleep(100);
    }
    throw new Error('slow never started');
  }, 30_000);

  it('asks for a container name when there are several, naming them', async () => {
    await create('pair', [
      { name: 'a', image: 'busybox:1.37' },
      { name: 'b', image: 'busybox:1.37' },
    ]);
    const r = await log('pair', '');
    expect(r.status).toBe(400);
    expect(message(r.body)).toBe(
      'a container name must be specified for pod pair, choose one of: [a b]',
    );
    const wrong = await log('pair', '?container=c');
    expect(message(wrong.body)).toBe('container c is not valid for pod pair');
  });

  it('answers an empty log for a pod no node runs', async () => {
    await create('nowhere', [{ name: 'app', image: 'busybox:1.37' }], {
      nodeSelector: { 'no-such': 'node' },
    });
    const r = await log('nowhere', '');
    expect(r).toEqual({ status: 200, body: '' });
  });
});
