/**
 * The API server's "cluster" egress, as k3s routes it through its own tunnel: kube-apiserver
 * reaches aggregated API servers (metrics-server) and kubelets (KWOK) through an HTTP CONNECT
 * proxy on a Unix socket (`--egress-selector-config-file`), so the control plane needs no
 * address outside loopback.
 *
 * Why a proxy at all: the API refuses loopback addresses in Endpoints and EndpointSlices ("may
 * not be in the loopback range"), so a Service can never point at a process on 127.0.0.1. The
 * Service names {@link LOOPBACK_ALIAS} instead — an address in the pod range that nothing else
 * uses — and this proxy maps any CONNECT to the alias onto 127.0.0.1 at the same port. A
 * CONNECT to 127.0.0.1 passes through; anything else is refused, so no traffic leaves the box.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/setup-konnectivity/
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/server/egressselector/egress_selector.go
 * @see https://github.com/k3s-io/k3s/blob/master/pkg/daemons/control/tunnel.go
 */
import fs from 'node:fs';
import net from 'node:net';
import YAML from 'yaml';

/** A pod-range address standing for "a process on this machine's loopback". */
export const LOOPBACK_ALIAS = '10.42.255.254';

/** `--egress-selector-config-file` content: cluster traffic via HTTP CONNECT on `socket`. */
export function egressSelectorConfig(socket: string): string {
  return YAML.stringify({
    apiVersion: 'apiserver.k8s.io/v1beta1',
    kind: 'EgressSelectorConfiguration',
    egressSelections: [
      {
        name: 'cluster',
        connection: { proxyProtocol: 'HTTPConnect', transport: { uds: { udsName: socket } } },
      },
    ],
  });
}

/** Where a CONNECT target goes, or undefined when it must be refused. */
export function egressTarget(authority: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(authority);
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] === LOOPBACK_ALIAS || m[1] === '127.0.0.1' || m[1] === 'localhost')
    return { host: '127.0.0.1', port };
  return undefined;
}

export interface EgressProxy {
  readonly socket: string;
  close(): Promise<void>;
}

/** Starts the CONNECT proxy on the Unix socket `socket` (mode 0600). */
export async function startEgressProxy(socket: string): Promise<EgressProxy> {
  fs.rmSync(socket, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 8192) client.destroy();
        return;
      }
      client.off('data', onData);
      const [requestLine = ''] = head.subarray(0, end).toString('latin1').split('\r\n');
      const [method, authority = ''] = requestLine.split(' ');
      const target = method === 'CONNECT' ? egressTarget(authority) : undefined;
      if (!target) {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      const upstream = net.connect(target.port, target.host, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        upstream.destroy();
      });
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  fs.chmodSync(socket, 0o600);
  return {
    socket,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        fs.rmSync(socket, { force: true });
      }),
  };
}
