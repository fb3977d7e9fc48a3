/**
 * `/healthz` for the kubelet's liveness probe.
 *
 * Address: all interfaces (0.0.0.0). In the pod the kubelet probes the POD's IP, so a loopback
 * listener would fail every probe and restart the meter for ever. On the test substrates the
 * same program runs as a host process (same flags, its own port per replica); the answer is one
 * word about the meter's own loop and carries nothing worth protecting, as kube components'
 * own /healthz endpoints do.
 *
 * Healthy = the election loop finished a round recently: a wedged process is restarted, but an
 * API server outage is not a reason to restart (that would only add load), so the answer does not
 * depend on the API server being reachable.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import { createServer, type Server } from 'node:http';

export interface HealthServer {
  /** The port listened on (a free one when asked for 0 by tests). */
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(
  port: number,
  healthy: () => boolean,
  host = '0.0.0.0',
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    const ok = healthy();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'stalled');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
