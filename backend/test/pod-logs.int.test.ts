/**
 * Pod logs end to end on kube-sim: Nodeless's `pods.logs` stream and the real `kubectl logs`
 * show the same lines (--tail, --timestamps, --previous, -c, the default container); a follow
 * stream grows as the container writes; a container that has not started says `waiting` and
 * the stream starts by itself; a workload's pods are merged and a redeploy's new pods join; and
 * once the subscriber goes no API-server connection is left open.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '@nodeless/cluster-runtime';
import { startKubeSim, type KubeSim } from '../../testkit/src/kube-sim/index.ts';
import { podLogs, type LogsDeps } from '../src/pods/logs-service.ts';
import type { LogLine, LogsInput, LogsMessage } from '../src/pods/logs-types.ts';
import type { RunningBackend } from '../src/backend.ts';
import { client, SseReader, startTestBackend, tempDir } from './support.ts';

let sim: KubeSim;
let kube: KubeClient;
let dir: string;
let kubeconfigFile: string;
let deps: LogsDeps;

const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
type PodObject = {
  kind?: string;
  status?: { phase?: string; containerStatuses?: { restartCount?: number }[] };
};

function pod(name: string, containers: object[], annotations: Record<string, string> = {}) {
  return kube.create(POD, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations },
    spec: { containers },
  });
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(100);
  }
}

const running = (name: string) =>
  until(async () => {
    const p = await kube.get<PodObject>(POD, name, 'default');
    return p?.status?.phase === 'Running' ? p : undefined;
  });

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfigFile, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every message of a non-following stream, until it ends. */
async function collect(input: Omit<LogsInput, 'clusterId' | 'namespace'>) {
  const messages: LogsMessage[] = [];
  const stop = new AbortController();
  for await (const m of podLogs(
    deps,
    { clusterId: 'c', namespace: 'default', ...input },
    stop.signal,
  ))
    messages.push(m);
  return messages;
}

const linesOf = (messages: LogsMessage[]): LogLine[] =>
  messages.flatMap((m) => (m.type === 'lines' ? m.lines : []));
const asKubectl = (lines: LogLine[]): string =>
  lines.map((l) => (l.time ? `${l.time} ${l.text}` : l.text)).join('\n') +
  (lines.length ? '\n' : '');

/** Sockets open in this process (both ends: kube-sim runs here too). */
const sockets = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;

beforeAll(async () => {
  // Sandboxes take 1.5–2.5 s here, so a stream opened right after a create sees the wait.
  sim = await startKubeSim({
    timeScale: 10,
    nodes: 1,
    simOptions: { sandboxStartMs: { p50: 15_000, p99: 25_000 } },
  });
  dir = tempDir('pod-logs');
  kubeconfigFile = path.join(dir, 'sim.kubeconfig');
  fs.writeFileSync(kubeconfigFile, sim.kubeconfig, { mode: 0o600 });
  kube = createKubeClient(sim.kubeconfig);
  deps = {
    workspace: { withConnection: (_id, use) => use({ client: () => kube } as never) },
    relistMs: 100,
  };
  await pod('writer', [{ name: 'app', image: 'busybox:1.37' }]);
  await pod(
    'duo',
    [
      { name: 'a', image: 'busybox:1.37' },
      { name: 'b', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
    ],
    { 'kubectl.kubernetes.io/default-container': 'b' },
  );
  await pod('crasher', [
    { name: 'app', image: 'busybox:1.37', command: ['sh', '-c', 'sim.crash'] },
  ]);
  await running('writer');
  await running('duo');
  // A few heartbeats (every 10 s of simulated time, 1 s here).
  await sleep(3500);
  await until(async () => {
    const p = await kube.get<PodObject>(POD, 'crasher', 'default');
    return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
  });
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('pods.logs against kube-sim', () => {
  /** The same read through both, retried while a heartbeat landed between them. */
  async function same(input: Omit<LogsInput, 'clusterId' | 'namespace'>, args: string[]) {
    let ours = '';
    let theirs = '';
    for (let i = 0; i < 5; i++) {
      ours = asKubectl(linesOf(await collect({ follow: false, ...input })));
      const r = await kubectl(['logs', ...args]);
      expect(r.code, r.stderr).toBe(0);
      theirs = r.stdout;
      if (ours === theirs) break;
    }
    expect(ours).toBe(theirs);
    expect(ours).not.toBe('');
    return ours;
  }

  it('shows what kubectl logs shows: all, --tail, --timestamps, -c, default container, --previous', async () => {
    const all = await same({ pod: 'writer' }, ['writer']);
    expect(all).toContain('[kube-sim] simulated container app started');
    const tail = await same({ pod: 'writer', tailLines: 2 }, ['writer', '--tail=2']);
    expect(tail.trimEnd().split('\n')).toHaveLength(2);
    const stamped = await same({ pod: 'writer', tailLines: 2, timestamps: true }, [
      'writer',
      '--tail=2',
      '--timestamps',
    ]);
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z /);
    const a = await same({ pod: 'duo', container: 'a' }, ['duo', '-c', 'a']);
    expect(a).toContain('container a started');
    // kubectl and Nodeless both take the annotated default container.
    const b = await same({ pod: 'duo' }, ['duo']);
    expect(b).toContain('listening on TCP :80');
    const previous = await same({ pod: 'crasher', previous: true }, ['crasher', '--previous']);
    expect(previous).toContain('exiting with status 1');
  }, 60_000);

  it('says in the API words when there is no previous instance', async () => {
    const messages = await collect({ pod: 'writer', previous: true });
    expect(messages).toContainEqual({
      type: 'error',
      message: 'previous terminated container "app" in pod "writer" not found',
    });
    const r = await kubectl(['logs', 'writer', '--previous']);
    expect(r.stderr).toContain('previous terminated container "app" in pod "writer" not found');
  });

  it('follows: lines grow as the container writes, and the subscriber leaving closes every connection', async () => {
    await sleep(300); // the earlier tests' sockets are closed
    const before = sockets();
    const stop = new AbortController();
    const seen: LogLine[] = [];
    const stream = podLogs(
      deps,
      { clusterId: 'c', namespace: 'default', pod: 'writer', tailLines: 1 },
      stop.signal,
    );
    const reading = (async () => {
      for await (const m of stream) if (m.type === 'lines') seen.push(...m.lines);
    })();
    await until(() => (seen.length >= 3 ? true : undefined), 10_000);
    expect(seen[0]?.pod).toBe('writer');
    expect(seen[0]?.container).toBe('app');
    expect(new Set(seen.map((l) => l.text)).size).toBe(seen.length);
    expect(sockets()).toBeGreaterThan(before);
    stop.abort();
    await reading;
    await until(() => (sockets() <= before ? true : undefined), 5_000);
    expect(sockets()).toBeLessThanOrEqual(before);
  }, 30_000);

  it('says waiting to start while the container is created, then streams by itself', async () => {
    const messages: LogsMessage[] = [];
    const stop = new AbortController();
    await pod('late', [{ name: 'app', image: 'busybox:1.37' }]);
    const reading = (async () => {
      for await (const m of podLogs(
        deps,
        { clusterId: 'c', namespace: 'default', pod: 'late' },
        stop.signal,
      ))
        messages.push(m);
    })();
    await until(() => (linesOf(messages).length > 0 ? true : undefined), 20_000);
    stop.abort();
    await reading;
    const waiting = messages.findIndex((m) => m.type === 'waiting');
    const lines = messages.findIndex((m) => m.type === 'lines');
    expect(messages[waiting]).toEqual({
      type: 'waiting',
      pod: 'late',
      container: 'app',
      reason: 'ContainerCreating',
    });
    expect(waiting).toBeLessThan(lines);
  }, 30_000);

  it('merges a Deployment’s pods labelled by pod and follows a redeploy to the new pods', async () => {
    await kube.create(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    );
    const messages: LogsMessage[] = [];
    const stop = new AbortController();
    const input: LogsInput = {
      clusterId: 'c',
      namespace: 'default',
      workload: { kind: 'Deployment', name: 'web' },
    };
    const reading = (async () => {
      for await (const m of podLogs(deps, input, stop.signal)) messages.push(m);
    })();
    const added = () => messages.flatMap((m) => (m.type === 'pod-added' ? [m.pod] : []));
    const podsWithLines = () => new Set(linesOf(messages).map((l) => l.pod));
    await until(() => (podsWithLines().size >= 2 ? true : undefined), 20_000);
    const first = new Set(added());
    expect(first.size).toBe(2);
    for (const p of podsWithLines()) expect(first.has(p)).toBe(true);
    await kube.mergePatch(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      'web',
      { spec: { template: { metadata: { annotations: { redeploy: '1' } } } } },
      'default',
    );
    await until(() => {
      const gone = messages.filter((m) => m.type === 'pod-gone').length;
      const fresh = [...podsWithLines()].filter((p) => !first.has(p));
      return gone >= 2 && fresh.length >= 2 ? true : undefined;
    }, 40_000);
    stop.abort();
    await reading;
  }, 60_000);
});

describe('pods.logs through the backend API', () => {
  let backend: RunningBackend;
  let dataDir: string;
  let clusterId: string;

  beforeAll(async () => {
    dataDir = tempDir('pod-logs-api');
    backend = await startTestBackend({ dataDir, workspace: { demoKubeconfig: kubeconfigFile } });
    const [demo] = await client(backend).workspace.clusters.query();
    clusterId = demo?.id ?? '';
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams behind the launch token, and the lines never reach the app log', async () => {
    const input = { clusterId, namespace: 'default', pod: 'writer', tailLines: 3 };
    const refused = await fetch(
      `${backend.url}/api/trpc/pods.logs?input=${encodeURIComponent(JSON.stringify(input))}`,
      { headers: { accept: 'text/event-stream' } },
    );
    expect(refused.status).toBe(401);
    const sse = await SseReader.open(backend, {
      path: 'pods.logs',
      input,
      ready: (e) => (e as LogsMessage).type === 'lines',
    });
    const first = (await sse.waitFor((e) => (e as LogsMessage).type === 'lines')) as {
      lines: LogLine[];
    };
    await sse.close();
    expect(first.lines.length).toBeGreaterThan(0);
    expect(first.lines[0]).toMatchObject({ pod: 'writer', container: 'app' });
    await backend.close();
    const logDir = path.join(dataDir, 'logs');
    const logs = fs.existsSync(logDir)
      ? fs
          .readdirSync(logDir)
          .map((name) => fs.readFileSync(path.join(logDir, name), 'utf8'))
          .join('\n')
      : '';
    expect(logs).toContain('"path":"pods.logs"');
    for (const l of first.lines) expect(logs).not.toContain(l.text);
  }, 30_000);
});
