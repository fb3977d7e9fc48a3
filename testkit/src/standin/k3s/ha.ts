/**
 * A server joining an existing one (HA). Simplification (testkit/README.md): it registers
 * as a control-plane+etcd node on the first server and serves the same API on its own
 * :6443 by forwarding to the first server; there is one datastore (the first server's).
 *
 * @see https://docs.k3s.io/datastore/ha-embedded
 */
import net from 'node:net';
import { log } from '../log.ts';
import { notifyReady } from '../notify.ts';
import { flag, list, str, type K3sConfig } from './config.ts';
import { writeKubeconfig, writeTokens } from './files.ts';
import { FatalJoinError, SupervisorClient } from './join.ts';
import { fatal, retryTransient, waitForSignal } from './lifecycle.ts';
import { startCri, startNetwork } from './node-runtime.ts';
import { registration } from './registration.ts';
import { forwardKubeletPort } from './kubelet-port.ts';
import { formatToken } from './token.ts';

export async function runJoiningServer(config: K3sConfig): Promise<void> {
  const serverUrl = str(config, 'server') ?? '';
  const token = str(config, 'token');
  if (!token) throw new FatalJoinError('--token is required when joining a server');
  const port = Number(str(config, 'https-listen-port') ?? '6443');
  const client = new SupervisorClient(serverUrl, token, 'server');
  await retryTransient(() => client.config(registration('server', config, [])));
  const agent = !flag(config, 'disable-agent');
  const handlers = agent ? await startCri(config) : [];
  const reg = () => registration('server', config, handlers);
  const joined = await retryTransient(() => client.join(reg()));
  if (!joined.admin) throw new Error('join answer lacks admin credentials');
  const full = token.startsWith('K10') ? token : formatToken(joined.caPem, token);
  writeTokens(config, full);
  writeKubeconfig(config, joined.caPem, joined.admin, port);
  if (agent) {
    startNetwork(config, list(config, 'node-ip')[0] ?? reg().facts.addresses[0]);
    forwardKubeletPort(new URL(serverUrl).hostname);
  }
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
