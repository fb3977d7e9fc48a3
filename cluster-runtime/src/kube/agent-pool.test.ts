/**
 * Connection reuse against a loopback HTTPS server (real TLS, a CA from testkit's PKI): a
 * client reuses one socket for sequential requests, survives a server that closes idle
 * sockets and one that drops a reused socket as the request arrives (idempotent requests are
 * retried once on a fresh connection, a PATCH is not replayed), and distinct TLS identities
 * or clients never share an agent.
 */
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCa, issueCert, type CertPair } from '../../../testkit/src/pki/pki.ts';
import { createKubeClient, RESOURCES } from '../client.ts';
import { AgentPool } from './agent-pool.ts';

type Mode = 'keep' | 'close-idle' | 'drop-reused';

let ca: CertPair;
let server: https.Server;
let base: string;
let mode: Mode = 'keep';
let connections = 0;
let requests: string[] = [];
const perSocket = new WeakMap<Socket, number>();

const kubeconfig = () => `
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${base}", certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}}}]
users: [{name: u, user: {token: secret-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

const CM = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } };

beforeAll(async () => {
  ca = createCa('pool-test-ca');
  const serving = issueCert(ca, { commonName: '127.0.0.1', sans: ['127.0.0.1'] });
  server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const socket = req.socket;
    const n = (perSocket.get(socket) ?? 0) + 1;
    perSocket.set(socket, n);
    // Closed as the request arrives, unanswered: what a restarting server does to a reused socket.
    if (mode === 'drop-reused' && n > 1) {
      socket.destroy();
      return;
    }
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.setHeader('Content-Type', 'application/json');
    req.on('end', () => {
      if (req.url === '/api/v1')
        res.end(
          JSON.stringify({
            kind: 'APIResourceList',
            groupVersion: 'v1',
            resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: [] }],
          }),
        );
      else res.end(req.url === '/readyz' ? 'ok' : JSON.stringify(CM));
      // Closing after answering, with no Keep-Alive hint: a Go server's idle timeout firing.
      if (mode === 'close-idle') res.on('finish', () => setTimeout(() => socket.end(), 20));
    });
  });
  // No `Keep-Alive: timeout=` hint (as kube-apiserver) and no server-side idle close of its own.
  server.keepAliveTimeout = 0;
  server.on('secureConnection', () => (connections += 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  mode = 'keep';
  connections = 0;
  requests = [];
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('connection reuse', () => {
  it('sends sequential requests of one client over one TLS connection', async () => {
    const client = createKubeClient(kubeconfig());
    expect(await client.readyz()).toBe(true);
    expect(await client.get(RESOURCES.configMaps, 'a', 'ns')).toEqual(CM);
    expect(await client.readyz()).toBe(true);
    expect(requests).toEqual([
      'GET /readyz',
      'GET /api/v1',
      'GET /api/v1/namespaces/ns/configmaps/a',
      'GET /readyz',
    ]);
    expect(connections).toBe(1);
  });

  it('opens a new connection when the server closed the idle one', async () => {
    mode = 'close-idle';
    const client = createKubeClient(kubeconfig());
    expect(await client.readyz()).toBe(true);
    await pause(100);
    expect(await client.readyz()).toBe(true);
    expect(connections).toBe(2);
  });

  it('retries an idempotent request once on a fresh connection when a reused socket drops it', async () => {
    const client = createKubeClient(kubeconfig());
    expect(await client.readyz()).toBe(true);
    mode = 'drop-reused';
    expect(await client.get(RESOURCES.configMaps, 'a', 'ns')).toEqual(CM);
    expect(requests.filter((r) => r.includes('configmaps/a'))).toEqual([
      'GET /api/v1/namespaces/ns/configmaps/a',
    ]);
  });

  it('does not replay a PATCH that a reused socket dropped: the caller sees the error', async () => {
    const client = createKubeClient(kubeconfig());
    expect(await client.get(RESOURCES.configMaps, 'a', 'ns')).toEqual(CM);
    mode = 'drop-reused';
    await expect(client.mergePatch(RESOURCES.configMaps, 'a', { data: {} }, 'ns')).rejects.toThrow(
      /socket hang up|ECONNRESET|EPIPE/,
    );
    mode = 'keep';
    expect(requests.some((r) => r.startsWith('PATCH'))).toBe(false);
  });

  it('gives each client its own connections', async () => {
    const a = createKubeClient(kubeconfig());
    const b = createKubeClient(kubeconfig());
    expect(await a.readyz()).toBe(true);
    expect(await b.readyz()).toBe(true);
    expect(await a.readyz()).toBe(true);
    expect(connections).toBe(2);
  });
});

describe('AgentPool', () => {
  const built = (o: https.AgentOptions) => new https.Agent(o);

  it('keeps one keep-alive agent per TLS identity; a changed credential gets a new one', () => {
    const client1 = issueCert(ca, { commonName: 'alice', client: true });
    const client2 = issueCert(ca, { commonName: 'alice', client: true });
    const pool = new AgentPool();
    const same = { ca: Buffer.from(ca.certPem), cert: client1.certPem, key: client1.keyPem };
    const first = pool.agentFor(built(same));
    expect(pool.agentFor(built({ ...same, ca: Buffer.from(ca.certPem) }))).toBe(first);
    expect(first).not.toBe(built(same));
    expect((first as https.Agent).options.keepAlive).toBe(true);
    const rotated = pool.agentFor(built({ ...same, cert: client2.certPem, key: client2.keyPem }));
    expect(rotated).not.toBe(first);
    expect(pool.agentFor(built({ ...same, servername: 'kubernetes' }))).not.toBe(first);
    expect(pool.agentFor(built({ ...same, rejectUnauthorized: false }))).not.toBe(first);
    expect(new AgentPool().agentFor(built(same))).not.toBe(first);
  });

  it('passes other agents (proxies) through unpooled', () => {
    const pool = new AgentPool();
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent();
    expect(pool.agentFor(proxy)).toBe(proxy);
    expect(pool.size).toBe(0);
  });
});
