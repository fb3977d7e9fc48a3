/**
 * `k3s agent` stand-in: with `server` and `token` (flags, config.yaml or K3S_URL/K3S_TOKEN)
 * it verifies the cluster CA against the token, registers its host as a Node and keeps it
 * Ready with heartbeats while it runs. A wrong token ends it with k3s's fatal message.
 *
 * @see https://docs.k3s.io/cli/agent
 */
import { log } from '../log.ts';
import { notifyReady } from '../notify.ts';
import { loadConfig, str } from './config.ts';
import { FatalJoinError, SupervisorClient } from './join.ts';
import { registration, retryTransient, fatal } from './server.ts';

export async function runAgent(argv: readonly string[]): Promise<void> {
  const config = loadConfig(argv);
  const server = str(config, 'server');
  const token = str(config, 'token');
  if (!server) fatal('--server is required');
  if (!token) fatal('--token is required');
  const client = new SupervisorClient(server, token, 'agent');
  let joined;
  try {
    joined = await retryTransient(() => client.join(registration('agent', config)));
  } catch (e) {
    fatal(e instanceof Error ? e.message : String(e));
  }
  log('info', `Node registered with ${server}`, {
    node: registration('agent', config).facts.hostname,
  });
  notifyReady();
  const timer = setInterval(() => {
    client.heartbeat(registration('agent', config)).catch((e: unknown) => {
      if (e instanceof FatalJoinError) fatal(e.message);
      log('warning', `heartbeat failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }, joined.heartbeatSeconds * 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  clearInterval(timer);
}
