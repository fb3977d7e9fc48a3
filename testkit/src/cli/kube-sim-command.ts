/**
 * `npm run testkit -- kube-sim --kubeconfig <file> [--port <p>] [--nodes <n>] [--state <dir>]
 * [--time-scale <x>]`: starts kube-sim, writes an admin kubeconfig (mode 0600), prints
 * `kube-sim ready: <url>` once it accepts requests, and stops cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { startKubeSim } from '../kube-sim/index.ts';
import { serveUntilStopped } from './serve-sim.ts';

function int(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('kube-sim')
    .description('Run kube-sim, the simulated Kubernetes API server')
    .requiredOption('--kubeconfig <file>', 'where to write the admin kubeconfig (mode 0600)')
    .option('--port <port>', 'port to listen on (0 = any free port)', int('port'), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--nodes <n>', 'simulated nodes', int('nodes'), 3)
    .option('--state <dir>', 'persist objects in this directory across restarts')
    .option('--time-scale <x>', 'simulated time runs x times faster', (v) => Number(v), 1)
    .option('--san <name...>', 'extra serving certificate SANs')
    .option('--no-sim', 'serve the API only, without the simulated cluster')
    .action(
      async (opts: {
        kubeconfig: string;
        port: number;
        host: string;
        nodes: number;
        state?: string;
        timeScale: number;
        san?: string[];
        sim: boolean;
      }) => {
        const sim = await startKubeSim({
          port: opts.port,
          host: opts.host,
          nodes: opts.nodes,
          timeScale: opts.timeScale,
          sim: opts.sim,
          ...(opts.state === undefined ? {} : { stateDir: opts.state }),
          ...(opts.san === undefined ? {} : { extraSans: opts.san }),
        });
        await serveUntilStopped('kube-sim', sim, { kubeconfigPath: opts.kubeconfig });
      },
    );
}
