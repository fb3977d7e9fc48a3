/**
 * Pod logs on the real control plane (kube-apiserver proxying to KWOK's kubelet API, whose Logs
 * resource serves one CRI line per container — testkit/README.md): a follow stream gets the
 * line, stays open as `kubectl logs -f` would, and closes cleanly when the subscriber goes,
 * leaving no API-server connection behind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '@nodeless/cluster-runtime';
import { startControlPlane, type ControlPlane } from '../../testkit/src/control-plane/index.ts';
import { podLogs, type LogsDeps } from '../src/pods/logs-service.ts';
import type { LogLine, LogsMessage } from '../src/pods/logs-types.ts';

let cp: ControlPlane;
let kube: KubeClient;
let deps: LogsDeps;

/** Sockets open in this process. */
const sockets = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1, metrics: false });
  kube = createKubeClient(cp.kubeconfig);
  deps = { workspace: { withConnection: (_id, use) => use({ client: () => kube } as never) } };
  const created = await cp.kubectl(['run', 'talker', '--image=busybox', '--', 'sleep', '3600']);
  expect(created.code, created.stderr).toBe(0);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await cp.kubectl(['get', 'pod', 'talker', '-o', 'jsonpath={.status.phase}']);
    if (r.stdout === 'Running') break;
    if (Date.now() > deadline) throw new Error('talker did not run');
    await sleep(250);
  }
}, 900_000);
afterAll(async () => {
  await cp?.stop();
});

describe('pods.logs on the real control plane', () => {
  it('follows: gets the container line as kubectl does and closes cleanly', async () => {
    const kubectl = await cp.kubectl(['logs', 'talker']);
    expect(kubectl.code, kubectl.stderr).toBe(0);
    await sleep(300);
    const before = sockets();
    const stop = new AbortController();
    const messages: LogsMessage[] = [];
    const lines: LogLine[] = [];
    const reading = (async () => {
      for await (const m of podLogs(
        deps,
        { clusterId: 'c', namespace: 'default', pod: 'talker' },
        stop.signal,
      )) {
        messages.push(m);
        if (m.type === 'lines') lines.push(...m.lines);
      }
    })();
    const deadline = Date.now() + 20_000;
    while (lines.length === 0 && Date.now() < deadline) await sleep(50);
    expect(lines.map((l) => `${l.text}\n`).join('')).toBe(kubectl.stdout);
    expect(lines[0]).toMatchObject({ pod: 'talker', container: 'talker' });
    // Following: still open, nothing ended.
    await sleep(500);
    expect(messages.some((m) => m.type === 'ended' || m.type === 'error')).toBe(false);
    expect(sockets()).toBeGreaterThan(before); // the log body and the pod watch
    stop.abort();
    await reading;
    const settle = Date.now() + 5_000;
    while (sockets() > before && Date.now() < settle) await sleep(50);
    expect(sockets()).toBeLessThanOrEqual(before);
  }, 60_000);
});
