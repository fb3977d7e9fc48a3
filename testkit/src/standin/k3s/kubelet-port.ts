/**
 * The kubelet port (10250) on agents and joining servers. A real kubelet serves logs, exec and
 * resource metrics there; in the stand-in, KWOK on the first server plays every node's
 * kubelet, so each other node forwards its :10250 to the server's. kube-apiserver and
 * metrics-server then reach every node at its own InternalIP:10250, as on a real cluster.
 *
 * @see https://kubernetes.io/docs/reference/networking/ports-and-protocols/ (10250)
 */
import net from 'node:net';
import { log } from '../log.ts';

export const KUBELET_PORT = 10250;

/** Forwards 0.0.0.0:10250 to `serverHost`:10250 until the process ends. */
export function forwardKubeletPort(serverHost: string): net.Server {
  const server = net.createServer((socket) => {
    const up = net.connect(KUBELET_PORT, serverHost);
    socket.pipe(up).pipe(socket);
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  server.on('error', (e) =>
    log('warning', `kubelet port ${KUBELET_PORT} not served: ${e.message}`),
  );
  server.listen(KUBELET_PORT, '0.0.0.0');
  server.unref();
  return server;
}
