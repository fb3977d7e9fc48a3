/**
 * What launching the control plane waits on and prepares, apart from the processes: free
 * ports, KWOK's files, nodes Ready, the default ServiceAccount, an aggregated API group served,
 * a TCP probe.
 *
 * @see ./launch.ts
 */
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { ApiregistrationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Ports } from './components.ts';
import { kwokConfig, type StageTiming } from './kwok-stages.ts';
import { freePort } from './processes.ts';

/** Free ports for whatever `fixed` leaves open. */
export async function allocatePorts(fixed: Partial<Ports>): Promise<Ports> {
  return {
    apiserver: fixed.apiserver || (await freePort()),
    etcdClient: fixed.etcdClient || (await freePort()),
    etcdPeer: fixed.etcdPeer || (await freePort()),
    controllerManager: fixed.controllerManager || (await freePort()),
    scheduler: fixed.scheduler || (await freePort()),
    kwok: fixed.kwok || (await freePort()),
    metricsServer: fixed.metricsServer || (await freePort()),
  };
}

/** KWOK's config file and the CRI-format log file it serves for every container. */
export function writeKwokFiles(dir: string, timing: StageTiming | undefined): string {
  fs.mkdirSync(path.join(dir, 'exec'), { recursive: true });
  const logsFile = path.join(dir, 'container.log');
  // CRI log format (`<time> <stream> <P|F> <line>`), what KWOK's Logs resource serves, like a
  // kubelet reading containerd's log files.
  if (!fs.existsSync(logsFile))
    fs.writeFileSync(
      logsFile,
      `${new Date().toISOString()} stdout F simulated container output (KWOK)\n`,
    );
  const file = path.join(dir, 'kwok.yaml');
  fs.writeFileSync(
    file,
    kwokConfig({ ...(timing ? { timing } : {}), logsFile, execDir: path.join(dir, 'exec') }),
  );
  return file;
}

/** Waits until `count` nodes report Ready (KWOK's node-initialize stage has run). */
export async function waitNodesReady(
  kubeconfig: string,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await core.listNode().catch(() => undefined);
    const ready = (nodes?.items ?? []).filter((n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    if (ready >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} KWOK nodes became Ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits for the `default` ServiceAccount of the `default` namespace: until the controller
 * manager has made it, ServiceAccount admission refuses every pod there.
 */
export async function waitDefaultServiceAccount(
  kubeconfig: string,
  timeoutMs = 60_000,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  while (
    !(await core
      .readNamespacedServiceAccount({ name: 'default', namespace: 'default' })
      .catch(() => undefined))
  ) {
    if (Date.now() > deadline) throw new Error('the default ServiceAccount was not created');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** The aggregated discovery document kubectl ≥ 1.30 asks `/apis` for. */
const AGGREGATED_DISCOVERY =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

/**
 * Waits until the aggregator serves `group` (an APIService backed by a process, such as
 * metrics-server): its APIService is `Available` and the aggregated discovery document lists
 * the group. Both, because the aggregator fetches a remote group's discovery on its own worker:
 * a fetch made before the service answered leaves the group out of `/apis` until the next
 * refresh, so `kubectl api-resources` right after launch would miss it.
 *
 * @see https://github.com/kubernetes/kube-aggregator/blob/master/pkg/controllers/status/remote/remote_available_controller.go
 * @see https://github.com/kubernetes/kube-aggregator/blob/master/pkg/apiserver/handler_discovery.go
 */
export async function waitAggregatedGroup(
  kubeconfig: string,
  apiService: string,
  group: string,
  timeoutMs = 90_000,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const registration = kc.makeApiClient(ApiregistrationV1Api);
  const deadline = Date.now() + timeoutMs;
  let last = 'not Available';
  for (;;) {
    const svc = await registration.readAPIService({ name: apiService }).catch(() => undefined);
    const available = svc?.status?.conditions?.find((c) => c.type === 'Available');
    if (available?.status === 'True') {
      const groups = await getJson(kc, '/apis', AGGREGATED_DISCOVERY).catch(() => undefined);
      if (listsGroup(groups, group)) return;
      last = 'Available, not yet in aggregated discovery';
    } else if (available)
      last = `not Available (${available.reason ?? ''}: ${available.message ?? ''})`;
    if (Date.now() > deadline)
      throw new Error(`APIService ${apiService} was ${last} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function listsGroup(doc: unknown, group: string): boolean {
  if (typeof doc !== 'object' || doc === null || !('items' in doc)) return false;
  const items = (doc as { items?: unknown }).items;
  return (
    Array.isArray(items) &&
    items.some((g: { metadata?: { name?: string } } | null) => g?.metadata?.name === group)
  );
}

/** GET `path` on the API server with the kubeconfig's identity; the parsed JSON body. */
async function getJson(kc: KubeConfig, path: string, accept: string): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const opts: https.RequestOptions = { headers: { Accept: accept } };
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(path, cluster.server);
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...opts, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        else {
          // Inside an event handler a parse error would be uncaught: it must reject instead.
          try {
            resolve(JSON.parse(body) as unknown);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}
