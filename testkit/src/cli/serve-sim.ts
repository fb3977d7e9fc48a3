/**
 * What the `kube-sim` and `demo` commands share once their server is up: write its admin
 * kubeconfig (mode 0600, also when the file existed), print `kube-sim ready: <url>` (what the
 * start script and tests wait for), and stop cleanly on SIGINT/SIGTERM — and, when asked, when
 * stdin closes (the parent went away), so a crashed parent leaves no orphan behind.
 */
import { chmod, writeFile } from 'node:fs/promises';

export interface RunningSim {
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function serveUntilStopped(
  name: string,
  sim: RunningSim,
  options: { kubeconfigPath: string; exitWithStdin?: boolean },
): Promise<void> {
  await writeFile(options.kubeconfigPath, sim.kubeconfig, { mode: 0o600 });
  await chmod(options.kubeconfigPath, 0o600);
  process.stdout.write(`kube-sim ready: ${sim.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(
          `${name}: stop failed: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (options.exitWithStdin === true) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}
