/**
 * `k3s server` stand-in: the Kubernetes API (see apiserver.ts) behind the :6443
 * supervisor, the files k3s writes (k3s.yaml, token, node-token), agents and servers joining
 * with the token, and — unless `disable-agent` — its own node: containerd from k3s's
 * templates (refusing configs containerd refuses), then the Node registered and
 * heartbeating, then flannel/CNI/kube-proxy state on the host.
 *
 * @see https://docs.k3s.io/cli/server
 * @see https://docs.k3s.io/architecture
 */
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log.ts';
import { notifyReady } from '../notify.ts';
import { STAND_IN } from '../versions.ts';
import { flag, list, loadConfig, str, type K3sConfig } from './config.ts';
import { BIN_DIR_ENV, startApiServer } from './apiserver.ts';
import { hostAddresses } from './facts.ts';
import {
  DEFAULT_DATA_DIR,
  dataDir,
  existingPassword,
  writeKubeconfig,
  writeTokens,
} from './files.ts';
import { runJoiningServer } from './ha.ts';
import { waitForSignal } from './lifecycle.ts';
import { startCri, startNetwork } from './node-runtime.ts';
import { gracePeriodMs, type NodeRegistration } from './nodes.ts';
import { issueClient, issueServing, loadOrCreateCa } from './pki.ts';
import { registration } from './registration.ts';
import { startSupervisor } from './supervisor.ts';
import { formatToken, parseToken, randomPassword } from './token.ts';

const HEARTBEAT_S = 10;

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

/** The TLS names k3s puts on its serving certificate. */
function servingSans(config: K3sConfig, hostname: string): Set<string> {
  return new Set<string>([
    '127.0.0.1',
    '::1',
    'localhost',
    hostname,
    ...hostAddresses(),
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
}

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
  const clientCa = loadOrCreateCa(path.join(serverDir, 'tls'), 'client-ca');
  const hostname = registration('server', config, []).facts.hostname;

  log('info', `Starting k3s ${STAND_IN} server`, {
    'data-dir': dataDir(config) ?? DEFAULT_DATA_DIR,
  });
  const sans = servingSans(config, hostname);
  const reg0 = registration('server', config, []);
  const grace = gracePeriodMs(list(config, 'kube-controller-manager-arg'));
  const api = await startApiServer({
    port: port + 1,
    stateDir: path.join(serverDir, 'db', 'kube-sim'),
    binDir: process.env[BIN_DIR_ENV],
    address: reg0.nodeIp ?? reg0.facts.addresses[0] ?? '127.0.0.1',
    clientCa,
    sans: [...sans],
    nodeMonitorGracePeriod: `${Math.max(1, Math.round(grace / 1000))}s`,
  });
  log('info', `Running kube-apiserver (stand-in: ${api.name}) on https://127.0.0.1:${api.port}`);

  const admin = () => issueClient(clientCa, 'system:admin', ['system:masters']);

  const routes = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'https://x');
    if (req.method === 'GET' && url.pathname === '/cacerts')
      return (send(res, 200, ca.certPem), true);
    if (req.method === 'GET' && url.pathname === '/ping') return (send(res, 200, 'pong'), true);
    const m = /^\/v1-k3s\/stand-in\/(config|join|heartbeat)$/.exec(url.pathname);
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
    // `config` is k3s's agent-config fetch: token checked, nothing registered yet.
    if (m[1] === 'config') return (send(res, 200, { caPem: ca.certPem }), true);
    await api.upsertNode(nodeReg);
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
    clientCaPem: clientCa.certPem,
    upstream: { port: api.port, caPem: api.caPem, issueClientCert: api.issueClientCert },
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

  // The embedded agent: containerd first (k3s exits if containerd does); its node is
  // registered only once the CRI is up, which never happens when containerd refuses it.
  let ownNode: NodeRegistration | undefined;
  const agent = flag(config, 'disable-agent')
    ? Promise.resolve()
    : startCri(config).then(async (handlers) => {
        const node = registration('server', config, handlers);
        await api.upsertNode(node);
        ownNode = node;
        startNetwork(config, node.nodeIp ?? node.facts.addresses[0]);
      });
  const beat = () => {
    if (ownNode)
      Promise.resolve(api.upsertNode(ownNode)).catch((e: unknown) =>
        log('warning', `node status update failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    for (const n of api.markStaleNodes(new Date(), grace))
      log('info', 'Node stopped posting status; marked Ready=Unknown', { node: n });
  };
  beat();
  // Check staleness at least four times per grace period, so a short test grace is honoured promptly.
  const timer = setInterval(beat, Math.min(HEARTBEAT_S * 1000, Math.max(1000, grace / 4)));
  // Ready once our node is registered. A containerd that exits has ended k3s by now; one
  // without CRI never lets the node register, and k3s still reports its API as up.
  await Promise.race([agent, new Promise((r) => setTimeout(r, 3000))]);
  notifyReady();
  log('info', 'k3s is up and running');
  await waitForSignal();
  clearInterval(timer);
  await supervisor.close();
  await api.stop();
}
