/**
 * The engine side of CLI commands: connector deps for the user's ~/.ssh and agent, and the
 * check's limits. Injected so tests can shorten timeouts or point at a test home.
 */
import { nodeConnectDeps, type ConnectDeps } from '@nodeless/host-bootstrap';
import type { BootstrapEngineOptions } from '../bootstrap/engine.ts';
import { DEFAULT_CHECK_CONCURRENCY, type CheckOptions } from '../onboarding/engine.ts';
import type { CliIo } from './io.ts';

export interface CliEngine {
  connectDeps(): ConnectDeps;
  readonly checkOptions: CheckOptions;
  /** Limits of `apply`/`reset` runs (tests accept the stand-in's runtime check). */
  readonly bootstrapOptions?: BootstrapEngineOptions;
}

export function nodeCliEngine(io: CliIo): CliEngine {
  return {
    connectDeps: () => nodeConnectDeps({ homeDir: io.homeDir, env: io.env }),
    checkOptions: { concurrency: DEFAULT_CHECK_CONCURRENCY },
  };
}
