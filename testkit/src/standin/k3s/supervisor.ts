/**
 * The :6443 listener. As in k3s, one port carries both the Kubernetes API (k3s's
 * kube-apiserver listens on 127.0.0.1:6444 behind it) and the supervisor endpoints agents
 * and joining servers use (`/cacerts`, `/ping`, `/v1-k3s/…`).
 *
 * The API is proxied upstream with the caller's identity kept: a client certificate
 * (verified against k3s's persistent client CA, `server/tls/client-ca.crt`) is re-presented
 * upstream as a certificate for the same user and groups; bearer tokens pass through
 * untouched.
 *
 * @see https://docs.k3s.io/architecture
 * @see https://docs.k3s.io/installation/requirements#inbound-rules-for-k3s-nodes (6443)
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { CertPair } from './pki.ts';

/** Upstream kube-sim and how to get credentials for an identity there. */
export interface Upstream {
  readonly port: number;
  readonly caPem: string;
  issueClientCert(user: string, groups: string[]): { certPem: string; keyPem: string };
}

/** Supervisor endpoint handler: return true when handled. */
export type SupervisorRoutes = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
) => Promise<boolean>;

interface Identity {
  user: string;
  groups: string[];
}

function peerIdentity(req: IncomingMessage): Identity | undefined {
  const socket = req.socket as tls.TLSSocket;
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert?.subject) return undefined;
  const cn = cert.subject.CN;
  const o = cert.subject.O;
  const user = Array.isArray(cn) ? cn[0] : cn;
  if (!user) return undefined;
  return { user, groups: o === undefined ? [] : Array.isArray(o) ? o : [o] };
}

export interface Supervisor {
  /** Replaces the serving certificate (new SANs after a server joined). */
  setServing(serving: CertPair): void;
  close(): Promise<void>;
}

/** Starts the :6443 listener. */
export async function startSupervisor(options: {
  host: string;
  port: number;
  serving: CertPair;
  /** CA whose client certificates identify callers (k3s's client CA). */
  clientCaPem: string;
  upstream: Upstream;
  routes: SupervisorRoutes;
}): Promise<Supervisor> {
  const { upstream } = options;
  const creds = new Map<string, { certPem: string; keyPem: string }>();
  const credsFor = (id: Identity | undefined) => {
    if (!id) return undefined;
    const key = `${id.user}|${id.groups.join(',')}`;
    let c = creds.get(key);
    if (!c) {
      c = upstream.issueClientCert(id.user, id.groups);
      creds.set(key, c);
    }
    return c;
  };
  const upstreamOptions = (req: IncomingMessage) => {
    const c = credsFor(peerIdentity(req));
    const headers = { ...req.headers };
    delete headers['host'];
    return {
      host: '127.0.0.1',
      port: upstream.port,
      ca: upstream.caPem,
      servername: 'localhost',
      method: req.method,
      path: req.url,
      headers: { ...headers, host: `127.0.0.1:${upstream.port}` },
      ...(c ? { cert: c.certPem, key: c.keyPem } : {}),
    };
  };

  const server = https.createServer(
    {
      cert: options.serving.certPem,
      key: options.serving.keyPem,
      ca: options.clientCaPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const isSupervisor = /^\/(cacerts|ping|v1-k3s\/)/.test(req.url ?? '');
      if (isSupervisor) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          options.routes(req, res, Buffer.concat(chunks)).then(
            (handled) => {
              if (!handled) {
                res.writeHead(404, { 'content-type': 'text/plain' });
                res.end('404 page not found\n');
              }
            },
            (err: unknown) => {
              res.writeHead(500, { 'content-type': 'text/plain' });
              res.end(`${err instanceof Error ? err.message : String(err)}\n`);
            },
          );
        });
        return;
      }
      const up = https.request(upstreamOptions(req), (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`upstream: ${e.message}\n`);
      });
      req.pipe(up);
      res.on('close', () => up.destroy());
    },
  );
  // exec/attach/port-forward and websocket watches: replay the request head upstream, then splice.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const o = upstreamOptions(req);
    const up = tls.connect(
      {
        host: o.host,
        port: o.port,
        ca: o.ca,
        servername: o.servername,
        ...(o.cert ? { cert: o.cert, key: o.key } : {}),
      },
      () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (const [k, v] of Object.entries(o.headers))
          for (const one of Array.isArray(v) ? v : [v])
            if (one !== undefined) lines.push(`${k}: ${one}`);
        up.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length) up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      },
    );
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    setServing: (s) =>
      server.setSecureContext({ cert: s.certPem, key: s.keyPem, ca: options.clientCaPem }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
