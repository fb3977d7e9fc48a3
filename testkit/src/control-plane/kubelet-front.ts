/**
 * The kubelet API in front of KWOK. KWOK plays every kubelet but runs no container, so it has
 * one canned log for all of them; the few commands the test substrate "runs" for real
 * (kube-sim's `simulatedCommand`: `uname -r` answers with the kernel the pod's sandbox
 * presents) get their true output here, from the pod's spec and its RuntimeClass handler, as
 * containerd's log files would hold it. Everything else — other logs, exec, attach,
 * port-forward, resource metrics — goes to KWOK unchanged (upgrades spliced as raw streams).
 *
 * @see https://kubernetes.io/docs/reference/node/kubelet-api/ (containerLogs)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/server/server.go
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { CoreV1Api, KubeConfig, NodeV1Api, type V1Pod } from '@kubernetes/client-node';
import { simulatedCommand } from '../kube-sim/sim/commands.ts';

export interface KubeletFront {
  close(): Promise<void>;
}

/** The output of `container` in `pod` when the substrate simulates its command, else undefined. */
export async function simulatedLog(
  pod: V1Pod,
  container: string,
  lookup: {
    handlerOf(runtimeClass: string): Promise<string | undefined>;
    nodeKernel(node: string): Promise<string>;
  },
): Promise<{ lines: string[]; startedAt?: string } | undefined> {
  const spec = pod.spec?.containers.find((c) => c.name === container);
  if (!spec) return undefined;
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  const startedAt = status?.state?.terminated?.startedAt ?? status?.state?.running?.startedAt;
  if (!startedAt) return undefined;
  const handler = pod.spec?.runtimeClassName
    ? await lookup.handlerOf(pod.spec.runtimeClassName)
    : undefined;
  const run = simulatedCommand(argv, {
    handler,
    nodeKernel: pod.spec?.nodeName ? await lookup.nodeKernel(pod.spec.nodeName) : '',
  });
  return run ? { lines: run.output, startedAt: new Date(startedAt).toISOString() } : undefined;
}

/** Starts the front on `address:port`, forwarding to KWOK's server at 127.0.0.1:`kwokPort`. */
export async function startKubeletFront(o: {
  address: string;
  port: number;
  kwokPort: number;
  tls: { certPem: string; keyPem: string };
  kubeconfig: string;
}): Promise<KubeletFront> {
  const kc = new KubeConfig();
  kc.loadFromString(o.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const nodeApi = kc.makeApiClient(NodeV1Api);
  const lookup = {
    handlerOf: async (name: string) =>
      (await nodeApi.readRuntimeClass({ name }).catch(() => undefined))?.handler,
    nodeKernel: async (name: string) =>
      (await core.readNode({ name }).catch(() => undefined))?.status?.nodeInfo?.kernelVersion ?? '',
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const up = http.request(
      {
        host: '127.0.0.1',
        port: o.kwokPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`kubelet: ${e.message}\n`);
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  };

  const server = https.createServer({ cert: o.tls.certPem, key: o.tls.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (
      req.method !== 'GET' ||
      !m?.[1] ||
      !m[2] ||
      !m[3] ||
      url.searchParams.get('previous') === 'true'
    )
      return forward(req, res);
    const [ns, name, container] = [m[1], m[2], m[3]].map(decodeURIComponent) as [
      string,
      string,
      string,
    ];
    core
      .readNamespacedPod({ name, namespace: ns })
      .then((pod) => simulatedLog(pod, container, lookup))
      .then(
        (log) => {
          if (!log) return forward(req, res);
          const stamp = url.searchParams.get('timestamps') === 'true' ? `${log.startedAt} ` : '';
          const tail = Number(url.searchParams.get('tailLines') ?? NaN);
          const lines =
            Number.isInteger(tail) && tail >= 0
              ? log.lines.slice(-tail || log.lines.length)
              : log.lines;
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(lines.map((l) => `${stamp}${l}\n`).join(''));
        },
        () => forward(req, res),
      );
  });
  // exec, attach, port-forward: replay the request head to KWOK, then splice both ways.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const up = tls.connect(
      { port: o.kwokPort, host: '127.0.0.1', rejectUnauthorized: false },
      () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2)
          lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        up.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) up.write(head);
        socket.pipe(up).pipe(socket);
      },
    );
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
