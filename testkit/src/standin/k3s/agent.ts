/**
 * `k3s agent` stand-in: with `server` and `token` (flags, config.yaml or K3S_URL/K3S_TOKEN)
 * it verifies the cluster CA against the token and fetches its configuration (a wrong
 * token ends it with k3s's fatal message), starts containerd from k3s's templates (exiting,
 * or waiting forever, where containerd refuses the config), registers its host as a Node,
 * creates the flannel/CNI/kube-proxy host state, and keeps the Node Ready with heartbeats.
 *
 * @see https://docs.k3s.io/cli/agent
 * @see https://docs.k3s.io/architecture#how-agent-node-registration-works
 */
import { log } from '../log.ts';
import { notifyReady } from '../notify.ts';
import { loadConfig, str } from './config.ts';
import { FatalJoinError, SupervisorClient } from './join.ts';
import { fatal, retryTransient, waitForSignal } from './lifecycle.ts';
import { startCri, startNetwork } from './node-runtime.ts';
import { registration } from './registration.ts';
import { forwardKubeletPort } from './kubelet-port.ts';

export async function runAgent(argv: readonly string[]): Promise<void> {
  const config = loadConfig(argv);
  const server = str(config, 'server');
  const token = str(config, 'token');
  if (!server) fatal('--server is required');
  if (!token) fatal('--token is required');
  const client = new SupervisorClient(server, token, 'agent');
  let joined;
  try {
    await retryTransient(() => client.config(registration('agent', config, [])));
    const handlers = await startCri(config);
    const reg = registration('agent', config, handlers);
    joined = await retryTransient(() => client.join(reg));
    log('info', `Node registered with ${server}`, { node: reg.facts.hostname });
    startNetwork(config, reg.nodeIp ?? reg.facts.addresses[0]);
    forwardKubeletPort(new URL(server).hostname);
    notifyReady();
    const timer = setInterval(() => {
      client.heartbeat(reg).catch((e: unknown) => {
        if (e instanceof FatalJoinError) fatal(e.message);
        log('warning', `heartbeat failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    }, joined.heartbeatSeconds * 1000);
    await waitForSignal();
    clearInterval(timer);
  } catch (e) {
    fatal(e instanceof Error ? e.message : String(e));
  }
}
