/**
 * `k3s server` stand-in: kube-sim on 127.0.0.1:6444 behind the :6443 supervisor, the files
 * k3s writes (k3s.yaml, token, node-token), its own Node registered and heartbeating, and
 * agents/servers joining with the token.
 *
 * HA simplification: a server started with `server: https://<first>:6443` (after
 * `cluster-init` on the first) registers as a control-plane+etcd node on the first server and
 * serves the same API on its own :6443 by forwarding to the first server. There is one
 * datastore (the first server's); losing it loses the API — unlike real embedded etcd.
 *
 * @see https://docs.k3s.io/cli/server
 * @see https://docs.k3s.io/datastore/ha-embedded
 */
import net from 'node:net';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startKubeSim } from '../../kube-sim/index.ts';
import { log } from '../log.ts';
import { notifyReady } from '../notify.ts';
import { flag, list, loadConfig, nodeArgs, str, type K3sConfig } from './config.ts';
import { gatherFacts } from './facts.ts';
import {
  DEFAULT_DATA_DIR,
  dataDir,
  existingPassword,
  isHa,
  writeKubeconfig,
  writeTokens,
} from './files.ts';
import { FatalJoinError, SupervisorClient } from './join.ts';
import { gracePeriodMs, markStaleNodes, upsertNode, type NodeRegistration } from './nodes.ts';
import { issueServing, loadOrCreateCa } from './pki.ts';
import { startSupervisor } from './supervisor.ts';
import { formatToken, parseToken, randomPassword } from './token.ts';

const HEARTBEAT_S = 10;

export function registration(role: 'server' | 'agent', config: K3sConfig): NodeRegistration {
  return {
    role,
    etcd: role === 'server' && isHa(config),
    facts: gatherFacts(
      path.join(dataDir(config), 'agent/etc/containerd'),
      str(config, 'node-name'),
    ),
    labels: list(config, 'node-label'),
    taints: list(config, 'node-taint'),
    nodeArgs: nodeArgs(role, config),
    nodeIp: list(config, 'node-ip')[0],
  };
}

function basicAuth(req: IncomingMessage): { user: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { user: text.slice(0, i), password: text.slice(i + 1) };
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** Runs until SIGTERM/SIGINT. */
export async function runServer(argv: readonly string[]): Promise<void> {
  const config = loadConfig(argv);
  if (str(config, 'server')) return runJoiningServer(config);
  const port = Number(str(config, 'https-listen-port') ?? '6443');
  const serverDir = path.join(dataDir(config), 'server');
  const given = str(config, 'token');
  const password = given
    ? parseToken(given).password
    : (existingPassword(config) ?? randomPassword());
  const agentPassword = str(config, 'agent-token')
    ? parseToken(str(config, 'agent-token') ?? '').password
    : undefined;
  const ca = loadOrCreateCa(path.join(serverDir, 'tls'));
  const reg = registration('server', config);

  log('info', `Starting k3s ${'STAND-IN'} server`, {
    'data-dir': dataDir(config) ?? DEFAULT_DATA_DIR,
  });
  const sim = await startKubeSim({
    host: '127.0.0.1',
    port: port + 1,
    nodes: 0,
    sim: true,
    stateDir: path.join(serverDir, 'db', 'kube-sim'),
  });
  log('info', `Running kube-apiserver (stand-in: kube-sim) on https://127.0.0.1:${port + 1}`);

  const sans = new Set<string>([
    '127.0.0.1',
    '::1',
    'localhost',
    reg.facts.hostname,
    ...reg.facts.addresses,
    ...list(config, 'node-ip'),
    ...list(config, 'node-external-ip'),
    ...list(config, 'tls-san'),
    ...(str(config, 'advertise-address') ? [str(config, 'advertise-address') ?? ''] : []),
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    '10.43.0.1',
  ]);
  const admin = () => sim.issueClientCert('system:admin', ['system:masters']);

  const routes = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'https://x');
    if (req.method === 'GET' && url.pathname === '/cacerts')
      return (send(res, 200, ca.certPem), true);
    if (req.method === 'GET' && url.pathname === '/ping') return (send(res, 200, 'pong'), true);
    const m = /^\/v1-k3s\/stand-in\/(join|heartbeat)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return false;
    const auth = basicAuth(req);
    const asServer = auth?.user === 'server' && auth.password === password;
    const asAgent =
      auth !== undefined &&
      (auth.password === password ||
        (agentPassword !== undefined && auth.password === agentPassword));
    const nodeReg = JSON.parse(body.toString('utf8')) as NodeRegistration;
    if (!(nodeReg.role === 'server' ? asServer : asAgent)) {
      log('error', 'Node join refused: token is not valid', {
        role: nodeReg.role,
        node: nodeReg.facts?.hostname ?? '',
      });
      return (send(res, 401, 'Unauthorized\n'), true);
    }
    upsertNode(sim.store, nodeReg);
    if (m[1] === 'heartbeat') return (send(res, 200, { ok: true }), true);
    log('info', `${nodeReg.role === 'server' ? 'Server' : 'Agent'} node joined`, {
      node: nodeReg.facts.hostname,
    });
    if (nodeReg.role === 'server') {
      for (const a of nodeReg.facts.addresses) sans.add(a);
      sans.add(nodeReg.facts.hostname);
      supervisor.setServing(issueServing(ca, [...sans]));
    }
    return (
      send(res, 200, {
        caPem: ca.certPem,
        heartbeatSeconds: HEARTBEAT_S,
        ...(nodeReg.role === 'server' ? { admin: admin() } : {}),
      }),
      true
    );
  };

  const supervisor = await startSupervisor({
    host: str(config, 'bind-address') ?? '0.0.0.0',
    port,
    serving: issueServing(ca, [...sans]),
    upstream: {
      port: sim.port,
      caPem: sim.caPem,
      issueClientCert: (u, g) => sim.issueClientCert(u, g),
    },
    routes,
  });
  const token = formatToken(ca.certPem, password);
  writeTokens(
    config,
    token,
    agentPassword ? formatToken(ca.certPem, agentPassword, 'node') : undefined,
  );
  const kubeconfig = writeKubeconfig(config, ca.certPem, admin(), port);
  log('info', `Wrote kubeconfig ${kubeconfig}`);

  const grace = gracePeriodMs(list(config, 'kube-controller-manager-arg'));
  const beat = () => {
    if (!flag(config, 'disable-agent')) upsertNode(sim.store, registration('server', config));
    const stale = markStaleNodes(sim.store, new Date(), grace);
    for (const n of stale)
      log('info', 'Node stopped posting status; marked Ready=Unknown', { node: n });
  };
  beat();
  // Check staleness at least four times per grace period, so a short test grace is honoured promptly.
  const timer = setInterval(beat, Math.min(HEARTBEAT_S * 1000, Math.max(1000, grace / 4)));
  notifyReady();
  log('info', 'k3s is up and running');
  await waitForSignal();
  clearInterval(timer);
  await supervisor.close();
  await sim.stop();
}

/** A server joining an existing one (HA): see the module comment for the simplification. */
async function runJoiningServer(config: K3sConfig): Promise<void> {
  const serverUrl = str(config, 'server') ?? '';
  const token = str(config, 'token');
  if (!token) throw new FatalJoinError('--token is required when joining a server');
  const port = Number(str(config, 'https-listen-port') ?? '6443');
  const client = new SupervisorClient(serverUrl, token, 'server');
  const reg = () => registration('server', config);
  const joined = await retryTransient(() => client.join(reg()));
  if (!joined.admin) throw new Error('join answer lacks admin credentials');
  const full = token.startsWith('K10') ? token : formatToken(joined.caPem, token);
  writeTokens(config, full);
  writeKubeconfig(config, joined.caPem, joined.admin, port);
  const target = new URL(serverUrl);
  const proxy = net.createServer((socket) => {
    const up = net.connect(Number(target.port || 6443), target.hostname);
    socket.pipe(up).pipe(socket);
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(port, str(config, 'bind-address') ?? '0.0.0.0', () => resolve());
  });
  const timer = setInterval(() => {
    client.heartbeat(reg()).catch((e: unknown) => {
      if (e instanceof FatalJoinError) fatal(e.message);
      log('warning', `heartbeat failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }, joined.heartbeatSeconds * 1000);
  notifyReady();
  log('info', `k3s is up and running (joined ${serverUrl})`);
  await waitForSignal();
  clearInterval(timer);
  proxy.close();
}

/** Retries transient failures (server not up yet) for up to 10 min; token errors are fatal at once. */
export async function retryTransient<T>(fn: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof FatalJoinError || Date.now() > deadline) throw e;
      log(
        'info',
        `Waiting to retrieve agent configuration; server is not ready: ${e instanceof Error ? e.message : String(e)}`,
      );
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

export function fatal(message: string): never {
  log('fatal', `Error: ${message}`);
  process.exit(1);
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
