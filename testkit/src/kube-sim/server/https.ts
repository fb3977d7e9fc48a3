/**
 * The HTTPS listener: node:https with the generated serving certificate, optional client
 * certificates verified against the kube-sim CA (requested, not required, so bearer tokens work
 * too), and a clean stop that ends watch/log streams first.
 *
 * @see https://nodejs.org/api/https.html#httpscreateserveroptions-requestlistener
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HttpsOptions {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  caPem: string;
}

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function listen(
  options: HttpsOptions,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  streams: Set<ServerResponse>,
): Promise<Listening> {
  const server = createServer(
    {
      cert: options.certPem,
      key: options.keyPem,
      ca: options.caPem,
      requestCert: true,
      rejectUnauthorized: false,
      keepAliveTimeout: 30_000,
    },
    handler,
  );
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that sends garbage gets its connection closed; the server keeps serving.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of streams) if (!r.writableEnded) r.end();
        streams.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
