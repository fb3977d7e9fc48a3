/**
 * `npm run testkit -- demo --kubeconfig <file> [--port <p>]`: starts the demo cluster (kube-sim
 * with the demo workloads, see src/demo), writes its admin kubeconfig (mode 0600), prints
 * `kube-sim ready: <url>` once the workloads are created, and stops on SIGINT/SIGTERM or when
 * its parent goes away (stdin closes), so a crashed start script leaves no orphan behind.
 */
import type { Command } from 'commander';
import { startDemo } from '../demo/index.ts';
import { serveUntilStopped } from './serve-sim.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Run the demo cluster: kube-sim seeded with a few namespaces of workloads')
    .requiredOption('--kubeconfig <file>', 'where to write the admin kubeconfig (mode 0600)')
    .option('--port <port>', 'port to listen on (0 = any free port)', (v) => Number(v), 0)
    .option('--seed <n>', 'seed of the simulation (the same seed, the same demo)', (v) => Number(v))
    .option('--exit-with-stdin', 'stop when stdin closes (the parent process went away)')
    .action(
      async (opts: {
        kubeconfig: string;
        port: number;
        seed?: number;
        exitWithStdin?: boolean;
      }) => {
        if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
          throw new Error(`--port must be a port number, got "${String(opts.port)}"`);
        const sim = await startDemo({
          port: opts.port,
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        });
        await serveUntilStopped('demo', sim, {
          kubeconfigPath: opts.kubeconfig,
          ...(opts.exitWithStdin === true ? { exitWithStdin: true } : {}),
        });
      },
    );
}
