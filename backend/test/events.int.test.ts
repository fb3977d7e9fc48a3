/**
 * Events of both APIs reach the connection's one events cache (events.k8s.io/v1), its feed and
 * its index by regarded uid, with kubectl's LAST SEEN and COUNT — on the real control plane
 * (one storage, converted on read) and on kube-sim (core/v1 mirrored into events.k8s.io/v1):
 * - written through events.k8s.io/v1 as the scheduler does: `eventTime` + `series`, no
 *   `lastTimestamp`, no `count`;
 * - written through core/v1 as kubelet does: `firstTimestamp`/`lastTimestamp` + `count`.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/cmd/events/events.go (eventTime)
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  createKubeClient,
  createWatchCache,
  EVENT,
  EVENT_V1,
  type EventRow,
} from '@nodeless/cluster-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../testkit/src/control-plane/index.ts';
import { startKubeSim } from '../../testkit/src/kube-sim/index.ts';
import { Connection } from '../src/clusters/connection.ts';
import type { FeedMessage } from '../src/clusters/contract.ts';
import { systemTimers } from '../src/clusters/startup.ts';

interface Substrate {
  kubeconfig: string;
  url: string;
  stop(): Promise<void>;
}

const SUBSTRATES: [string, () => Promise<Substrate>][] = [
  ['the real control plane', () => startControlPlane({ nodes: 1 })],
  ['kube-sim', () => startKubeSim({ sim: false })],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NS = 'default';
const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');
/** Whole seconds: core/v1 timestamps have second precision. */
const base = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;

const stops: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

describe.each(SUBSTRATES)('events of both APIs on %s', (_name, start) => {
  it('both appear in the feed and the uid index with kubectl’s last seen and count', async () => {
    const s = await start();
    stops.push(() => s.stop());
    const connection = new Connection({
      clusterId: 'c',
      credentials: () => ({
        clusterId: 'c',
        kubeconfig: s.kubeconfig,
        servers: [s.url],
        version: '1',
      }),
      credentialsVersion: () => '1',
      createClient: (text) => createKubeClient(text),
      createCache: createWatchCache,
      envPath: () => process.env['PATH'] ?? '',
      timers: systemTimers,
    });
    connection.open();
    const abort = new AbortController();
    stops.push(() => {
      abort.abort();
      connection.dispose();
    });
    const fed = new Map<string, EventRow>();
    void (async () => {
      for await (const m of connection.feeds.events.subscribe(abort.signal)) {
        const message = m as FeedMessage<EventRow>;
        if (message.type === 'reset') fed.clear();
        if (message.type === 'rows') for (const r of message.rows) fed.set(r.uid, r);
        if (message.type === 'deleted') for (const u of message.uids) fed.delete(u);
      }
    })();

    const uid = `uid-${Date.now()}`;
    const regarding = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: NS, uid };
    const client = connection.client();
    // The scheduler's shape: events.k8s.io/v1 only, a series and no legacy fields.
    await client.create(EVENT_V1, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `p.sched-${uid}`, namespace: NS },
      eventTime: micro(base),
      series: { count: 4, lastObservedTime: micro(base + 5 * 60_000) },
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-test',
      action: 'Scheduling',
      reason: 'FailedScheduling',
      regarding,
      note: '0/1 nodes are available',
      type: 'Warning',
    } as KubernetesObject);
    // kubelet's shape: core/v1 with first/last timestamps and a count.
    await client.create(EVENT, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `p.backoff-${uid}`, namespace: NS },
      involvedObject: regarding,
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
      count: 7,
      firstTimestamp: new Date(base + 60_000).toISOString(),
      lastTimestamp: new Date(base + 8 * 60_000).toISOString(),
      source: { component: 'kubelet', host: 'node-1' },
    } as KubernetesObject);

    const end = Date.now() + 30_000;
    let indexed: EventRow[] = [];
    while (Date.now() < end) {
      indexed = connection.eventsByObject.get(uid);
      if (
        indexed.length === 2 &&
        [...fed.values()].filter((e) => e.regarding.uid === uid).length === 2
      )
        break;
      await sleep(100);
    }
    const byReason = new Map(indexed.map((e) => [e.reason, e]));
    expect(byReason.get('FailedScheduling')).toMatchObject({
      type: 'Warning',
      count: 4,
      firstAt: base,
      lastAt: base + 5 * 60_000,
      source: 'default-scheduler',
      message: '0/1 nodes are available',
    });
    expect(byReason.get('BackOff')).toMatchObject({
      type: 'Warning',
      count: 7,
      firstAt: base + 60_000,
      lastAt: base + 8 * 60_000,
      source: 'kubelet',
    });
    // The feed carries the same rows the index holds.
    for (const e of indexed) expect(fed.get(e.uid)).toEqual(e);
  }, 900_000);
});
