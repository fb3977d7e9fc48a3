/**
 * Process lifecycle shared by `k3s server` and `k3s agent`: retries while the server is not
 * up yet, fatal exits with k3s's log line, and waiting for SIGTERM/SIGINT.
 *
 * @see https://docs.k3s.io/cli/agent
 */
import { log } from '../log.ts';
import { FatalJoinError } from './join.ts';

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

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
