/**
 * What launching the control plane waits on and prepares, apart from the processes: free
 * ports, KWOK's files, nodes Ready, the default ServiceAccount, a TCP probe.
 *
 * @see ./launch.ts
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
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
