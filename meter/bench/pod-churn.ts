/**
 * The bench's load: pods driven through their lifecycle by hand, as a kubelet would report it —
 * create (bound to a node, carrying the meter's finalizer as the install's admission policy adds
 * it) → status Running (sandbox up: PodReadyToStartContainers, container started) → status
 * Succeeded (container terminated) → delete. Each step is one write, so one pod is four
 * lifecycle events on the meter's watch (the meter's own finalizer removal adds a fifth).
 *
 * Writes are paced by a token bucket at `eventsPerSecond` with at most `inFlight` outstanding,
 * so the rate is bounded (never a flood) and, when the API server cannot keep up, the achieved
 * rate says so instead of a queue growing without bound. Pods due for their next step go first;
 * a new pod is created only when nothing is due.
 */
import { Agent, request, type RequestOptions } from 'node:https';
import type { V1Pod } from '@kubernetes/client-node';
import { kubeConfigFromText, METER_FINALIZER } from '@nodeless/cluster-runtime';
import { rfc3339 } from '@nodeless/common';

/** One write: method, path, JSON body, content type → the HTTP status (throws on ≥ 300). */
export type Writer = (method: string, path: string, body?: unknown, type?: string) => Promise<void>;

/**
 * Writes over keep-alive HTTPS with the kubeconfig's credentials (client-node's own
 * applyToHTTPSOptions). Not the product's KubeClient on purpose: the generator must cost little
 * next to the meter it loads, and a pooled agent with no per-call discovery does.
 */
export async function httpsWriter(kubeconfig: string, sockets: number): Promise<Writer> {
  const kc = kubeConfigFromText(kubeconfig);
  const server = new URL(kc.getCurrentCluster()?.server ?? '');
  const base: RequestOptions = {};
  await kc.applyToHTTPSOptions(base);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return (method, path, body, type = 'application/json') =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, server),
        { ...base, agent, method, headers: { ...base.headers, 'Content-Type': type } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status < 300) resolve();
            else
              reject(new Error(`${method} ${path}: ${status} ${Buffer.concat(chunks).toString()}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

export interface ChurnOptions {
  write: Writer;
  namespace: string;
  node: string;
  eventsPerSecond: number;
  /** How long new pods are created; the pods in flight then finish their steps. */
  seconds: number;
  inFlight: number;
  /** Running → Succeeded after this long. */
  lifeMs: number;
  /** Called once when creation stops (the pods in flight still finish afterwards). */
  onCreationEnd?: () => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ChurnResult {
  pods: number;
  /** Writes that succeeded, and that failed (with the first few errors). */
  events: number;
  failed: number;
  errors: string[];
  /** Wall time from the first write to the last answer. */
  seconds: number;
  /** Writes answered while pods were being created (the steady part, `seconds` of options). */
  windowEvents: number;
  /** Answer time of each write, ms, sorted. */
  latencies: number[];
}

type Step = 'running' | 'succeeded' | 'delete';
interface Due {
  name: string;
  step: Step;
  at: number;
  started?: string;
}

function pod(namespace: string, name: string, node: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'meter-bench' },
      finalizers: [METER_FINALIZER],
    },
    spec: {
      nodeName: node,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'c',
          image: 'registry.invalid/bench:1',
          resources: { requests: { cpu: '250m', memory: '256Mi' } },
        },
      ],
    },
  };
}

const condition = (type: string, status: 'True' | 'False', at: string) => ({
  type,
  status,
  lastTransitionTime: at,
});

function runningStatus(at: string) {
  return {
    status: {
      phase: 'Running',
      startTime: at,
      conditions: [
        condition('PodReadyToStartContainers', 'True', at),
        condition('Initialized', 'True', at),
        condition('Ready', 'True', at),
        condition('ContainersReady', 'True', at),
        condition('PodScheduled', 'True', at),
      ],
      containerStatuses: [
        {
          name: 'c',
          image: 'registry.invalid/bench:1',
          imageID: '',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: at } },
        },
      ],
    },
  };
}

function succeededStatus(started: string, at: string) {
  return {
    status: {
      phase: 'Succeeded',
      conditions: [
        // As the kubelet reports a finished pod: the sandbox is gone.
        condition('PodReadyToStartContainers', 'False', at),
        condition('Initialized', 'True', started),
        condition('Ready', 'False', at),
        condition('ContainersReady', 'False', at),
        condition('PodScheduled', 'True', started),
      ],
      containerStatuses: [
        {
          name: 'c',
          image: 'registry.invalid/bench:1',
          imageID: '',
          ready: false,
          started: false,
          restartCount: 0,
          state: {
            terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: at },
          },
        },
      ],
    },
  };
}

export async function churnPods(o: ChurnOptions): Promise<ChurnResult> {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // One FIFO per step: each step waits a fixed time, so every queue is ordered by `at`.
  const queues: Record<Step, Due[]> = { delete: [], succeeded: [], running: [] };
  const push = (d: Due) => queues[d.step].push(d);
  /** The next step due now, latest steps first (finishing pods keeps the set in flight small). */
  const nextDue = (t: number): Due | undefined => {
    for (const q of Object.values(queues)) if ((q[0]?.at ?? Infinity) <= t) return q.shift();
    return undefined;
  };
  const pending = () => queues.delete.length + queues.succeeded.length + queues.running.length;
  const result: ChurnResult = {
    pods: 0,
    events: 0,
    failed: 0,
    errors: [],
    seconds: 0,
    windowEvents: 0,
    latencies: [],
  };
  let creationEnded = false;
  const t0 = now();
  let issued = 0;
  let running = 0;
  let idle: (() => void) | undefined;

  const fail = (e: unknown) => {
    result.failed++;
    if (result.errors.length < 5) result.errors.push(e instanceof Error ? e.message : String(e));
  };
  const write = async (op: Due | undefined): Promise<void> => {
    const wall = Date.now();
    const sent = now();
    const pods = `/api/v1/namespaces/${o.namespace}/pods`;
    const MERGE = 'application/merge-patch+json';
    if (op === undefined) {
      const name = `bench-${result.pods++}`;
      await o.write('POST', pods, pod(o.namespace, name, o.node));
      push({ name, step: 'running', at: now() + 200 });
    } else if (op.step === 'running') {
      const started = rfc3339(wall / 1000);
      await o.write('PATCH', `${pods}/${op.name}/status`, runningStatus(started), MERGE);
      push({ name: op.name, step: 'succeeded', at: now() + o.lifeMs, started });
    } else if (op.step === 'succeeded') {
      const status = succeededStatus(op.started ?? rfc3339(wall / 1000), rfc3339(wall / 1000));
      await o.write('PATCH', `${pods}/${op.name}/status`, status, MERGE);
      push({ name: op.name, step: 'delete', at: now() });
    } else {
      await o.write('DELETE', `${pods}/${op.name}`);
    }
    result.events++;
    result.latencies.push(now() - sent);
  };

  for (;;) {
    const t = now();
    const creating = t - t0 < o.seconds * 1000;
    if (!creating && !creationEnded) {
      creationEnded = true;
      result.windowEvents = result.events;
      o.onCreationEnd?.();
    }
    if (!creating && pending() === 0 && running === 0) break;
    const allowed = Math.floor(((t - t0) / 1000) * o.eventsPerSecond) - issued;
    const op = allowed > 0 && running < o.inFlight ? nextDue(t) : undefined;
    if (allowed <= 0 || running >= o.inFlight || (op === undefined && !creating)) {
      // Nothing may or can go now: wait for a token, an answer or the next due step.
      await Promise.race([sleep(5), new Promise<void>((r) => (idle = r))]);
      idle = undefined;
      continue;
    }
    issued++;
    running++;
    void write(op)
      .catch(fail)
      .finally(() => {
        running--;
        idle?.();
      });
  }
  result.seconds = (now() - t0) / 1000;
  result.latencies.sort((a, b) => a - b);
  return result;
}
