/**
 * A fake `workspace.*` for the dev entry (dev.html): a demo-like cluster with N pods, live
 * updates at a given rate, and a scripted fault, so the screens can be looked at and profiled
 * without a backend. Never part of the built app (vite builds index.html only).
 *
 * URL parameters: `pods` (default 2,000), `rate` (updates per second, default 20), `fault`
 * (`stale`, `failed`, `forbidden`).
 */
import { GIB, MIB, podSizeLabel, POD_SIZES } from '@nodeless/common';
import type {
  ConnectionStatus,
  FeedMessage,
  KubeconfigContextChoice,
  Overview,
  WorkspaceCluster,
} from '@nodeless/backend/api';
import type { NodeRow, PodRow, WorkspaceApi } from '../api/workspace-api.ts';

const NAMESPACES = ['shop', 'data', 'ml', 'team-a', 'team-b', 'kube-system'];
const APPS = ['web', 'api', 'worker', 'cache', 'ingest', 'trainer', 'report'];
const STATUSES: [string, string, number][] = [
  ['Running', 'Running', 70],
  ['Pending', 'Pending', 6],
  ['ContainerCreating', 'Pending', 4],
  ['CrashLoopBackOff', 'Running', 3],
  ['Completed', 'Succeeded', 8],
  ['Init:0/1', 'Pending', 3],
  ['Error', 'Failed', 2],
  ['ImagePullBackOff', 'Pending', 2],
  ['Terminating', 'Running', 2],
];
const WEIGHT = STATUSES.reduce((n, s) => n + s[2], 0);

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

function status(i: number): [string, string] {
  let r = (i * 7919) % WEIGHT;
  for (const [s, phase, w] of STATUSES) {
    if (r < w) return [s, phase];
    r -= w;
  }
  return ['Running', 'Running'];
}

function makePod(i: number, now: number, gen = 0): PodRow {
  const ns = pick(NAMESPACES, i);
  const app = pick(APPS, Math.floor(i / NAMESPACES.length));
  const [st, phase] = status(i + gen);
  const size = i % 17 === 0 ? undefined : podSizeLabel(pick(POD_SIZES.slice(0, 12), i));
  return {
    uid: `uid-${i}`,
    name: `${app}-${(i * 2654435761) % 0xfffff}-${(i % 97).toString(36)}x${i.toString(36)}`,
    namespace: ns,
    labels: { app, tier: i % 3 === 0 ? 'db' : 'front', env: pick(['prod', 'staging', 'dev'], i) },
    owner: {
      kind: app === 'report' ? 'CronJob' : app === 'cache' ? 'StatefulSet' : 'Deployment',
      name: app,
    },
    phase,
    status: st,
    ready: st === 'Running' ? 1 : 0,
    total: 1,
    restarts: st === 'CrashLoopBackOff' ? 5 + gen : i % 13 === 0 ? 1 : 0,
    createdAt: now - ((i * 4567) % (3 * 24 * 3600)) * 1000,
    ...(st === 'Terminating' ? { deletedAt: now } : {}),
    ...(size ? { size } : {}),
    node: `machine-${(i % 3) + 1}`,
  };
}

function nodeRow(n: number, ready: boolean): NodeRow {
  return {
    uid: `node-${n}`,
    name: `machine-${n}`,
    status: ready ? 'Ready' : 'NotReady',
    ready,
    unschedulable: false,
    roles: n === 1 ? ['control-plane'] : [],
    labels: {},
    kubeletVersion: 'v1.36.0',
    kernelVersion: '6.8.0',
    internalIP: `10.0.0.${10 + n}`,
    capacity: { cpu: '8', memory: '32Gi' },
    allocatable: { cpu: '7800m', memory: '31Gi' },
    runtimeHandlers: ['kata'],
  };
}

export function createFakeWorkspace(params: URLSearchParams): WorkspaceApi {
  const count = Number(params.get('pods') ?? 2000);
  const rate = Number(params.get('rate') ?? 20);
  const fault = params.get('fault');
  const started = Date.now();
  const cluster: WorkspaceCluster = {
    id: 'demo',
    name: 'demo',
    source: 'demo',
    servers: ['https://127.0.0.1:6443'],
  };
  const imported: WorkspaceCluster = {
    id: 'prod',
    name: 'prod-eu',
    source: 'imported',
    servers: ['https://k8s.example.com:6443'],
    context: 'prod-admin',
  };
  const connStatus = (): ConnectionStatus => {
    if (fault === 'stale')
      return {
        state: 'stale',
        since: started,
        server: cluster.servers[0] as string,
        problem: {
          code: 'unreachable',
          // As backend/src/clusters/problems.ts words it.
          message: 'no API server answered (https://127.0.0.1:6443): ECONNREFUSED',
          remedy: 'Check that the cluster is running and that this computer can reach it.',
        },
      };
    if (fault === 'failed' || fault === 'forbidden')
      return {
        state: 'failed',
        since: started,
        problem:
          fault === 'forbidden'
            ? {
                code: 'forbidden',
                message: '403: cannot list pods at the cluster scope (user "dev")',
                remedy: 'Ask an administrator for a ClusterRole that can list and watch pods.',
              }
            : {
                code: 'unauthorized',
                message: '401: the credentials expired',
                remedy: 'Import a fresh kubeconfig.',
              },
      };
    return { state: 'live', since: started };
  };
  const overview = (): Overview => ({
    status: connStatus(),
    version: 'v1.36.0',
    machines: { total: 3, ready: 2 },
    pool: {
      total: { cpuMilli: 15600, memoryBytes: 62 * GIB },
      taken: { cpuMilli: 9750, memoryBytes: 30 * GIB + 512 * MIB },
      free: { cpuMilli: 5850, memoryBytes: 31 * GIB + 512 * MIB },
      fits: POD_SIZES.slice(0, 40).map((s) => ({
        size: podSizeLabel(s),
        count: Math.max(0, Math.floor(5850 / s.cpuMilli) - (s.memoryBytes > 8 * GIB ? 1 : 0)),
      })),
    },
    pods: {
      total: count,
      running: Math.round(count * 0.7),
      pending: Math.round(count * 0.15),
      failed: Math.round(count * 0.02),
      succeeded: Math.round(count * 0.08),
    },
    metricsAvailable: false,
    warnings: [
      {
        kind: 'pending-pods',
        message: `${Math.round(count * 0.15)} pods are pending: no machine has room for them.`,
        count: Math.round(count * 0.15),
      },
      { kind: 'machines-not-ready', message: '1 machine is not ready (machine-3).', count: 1 },
      {
        kind: 'metrics-missing',
        message: 'Usage metrics are missing: metrics.k8s.io is not served by this cluster.',
      },
    ],
  });

  return {
    clusterEvents(handlers) {
      const timer = setTimeout(
        () => handlers.onData({ type: 'clusters', clusters: [cluster, imported] }),
        0,
      );
      return () => clearTimeout(timer);
    },
    previewKubeconfig(input) {
      if ('text' in input && !input.text.includes('apiVersion'))
        return Promise.reject(
          Object.assign(new Error('bad'), {
            data: {
              code: 'BAD_REQUEST',
              fieldErrors: { text: 'is not a kubeconfig: line 1: expected a mapping' },
            },
          }),
        );
      const list: KubeconfigContextChoice[] = [
        {
          name: 'prod-admin',
          cluster: 'prod',
          server: 'https://k8s.example.com:6443',
          user: 'admin',
          auth: 'certificate',
          current: true,
        },
        {
          name: 'gke-dev',
          cluster: 'gke',
          server: 'https://34.1.2.3',
          user: 'me',
          auth: 'exec',
          execCommand: 'gke-gcloud-auth-plugin',
          current: false,
        },
        {
          name: 'broken',
          cluster: 'none',
          server: '',
          user: 'x',
          auth: 'none',
          current: false,
          problem: 'its cluster "none" is not in the file',
        },
      ];
      return Promise.resolve(list);
    },
    importKubeconfig: () => Promise.resolve(imported),
    remove: () => Promise.resolve(),
    pod({ namespace, name }) {
      const i = Number(
        /x([0-9a-z]+)$/.exec(name)?.[1] ? parseInt(/x([0-9a-z]+)$/.exec(name)?.[1] ?? '0', 36) : 0,
      );
      const row = makePod(i, started);
      return Promise.resolve({
        row,
        object: {
          metadata: { name, namespace },
          spec: {
            nodeName: row.node,
            runtimeClassName: 'nodeless-sandbox',
            containers: [
              {
                name: 'app',
                image: `registry.example.com/${row.labels.app ?? 'app'}:1.4.2`,
                resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
              },
            ],
          },
          status: {
            phase: row.phase,
            podIP: '10.42.1.17',
            qosClass: 'Burstable',
            conditions: [
              { type: 'PodScheduled', status: 'True' },
              {
                type: 'Ready',
                status: row.ready ? 'True' : 'False',
                reason: row.ready ? undefined : 'ContainersNotReady',
                message: 'containers with unready status: [app]',
              },
            ],
            containerStatuses: [
              {
                name: 'app',
                ready: row.ready > 0,
                restartCount: row.restarts,
                state:
                  row.status === 'Running'
                    ? { running: { startedAt: '2026-01-01T10:00:00Z' } }
                    : { waiting: { reason: row.status } },
              },
            ],
          },
        },
        events: [
          {
            uid: 'e1',
            name: 'e1',
            namespace,
            type: 'Warning',
            reason: 'BackOff',
            message: 'Back-off restarting failed container app',
            regarding: { kind: 'Pod', name },
            count: 12,
            lastAt: Date.now() - 60_000,
            source: 'kubelet',
          },
          {
            uid: 'e2',
            name: 'e2',
            namespace,
            type: 'Normal',
            reason: 'Scheduled',
            message: `Successfully assigned ${namespace}/${name} to ${row.node ?? ''}`,
            regarding: { kind: 'Pod', name },
            count: 1,
            lastAt: Date.now() - 600_000,
            source: 'default-scheduler',
          },
        ],
      });
    },
    feed(clusterId, kind, handlers) {
      const send = handlers.onData as (m: FeedMessage<{ uid: string }>) => void;
      const timers: ReturnType<typeof setTimeout>[] = [];
      const now = Date.now();
      send({ type: 'status', status: { state: 'connecting', since: now } });
      if (kind === 'nodes') {
        timers.push(
          setTimeout(() => {
            send({ type: 'reset', total: 3 });
            send({ type: 'rows', rows: [nodeRow(1, true), nodeRow(2, true), nodeRow(3, false)] });
            send({ type: 'synced' });
            send({ type: 'status', status: connStatus() });
          }, 100),
        );
      } else if (kind === 'pods') {
        const n = clusterId === 'demo' ? count : 40;
        timers.push(
          setTimeout(() => {
            send({ type: 'reset', total: n });
            for (let from = 0; from < n; from += 5000) {
              const rows: PodRow[] = [];
              for (let i = from; i < Math.min(n, from + 5000); i++) rows.push(makePod(i, now));
              send({ type: 'rows', rows });
            }
            send({ type: 'synced' });
            send({ type: 'status', status: connStatus() });
          }, 150),
        );
        if (rate > 0 && !fault) {
          let gen = 1;
          const tick = setInterval(() => {
            const rows: PodRow[] = [];
            for (let k = 0; k < Math.max(1, Math.round(rate / 20)); k++)
              rows.push(makePod(Math.floor(Math.random() * n), now, gen++));
            send({ type: 'rows', rows });
          }, 50);
          timers.push(tick);
        }
      }
      return () => timers.forEach((t) => clearInterval(t));
    },
    overview(_clusterId, handlers) {
      const t = setTimeout(() => handlers.onData(overview()), 100);
      return () => clearTimeout(t);
    },
  };
}
