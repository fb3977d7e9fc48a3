/**
 * The effects the onboarding service takes from the outside world, injected so tests point
 * them at test hosts and a temporary home: connector deps (~/.ssh/config, agent socket, key
 * files), the user's known_hosts files, and the check's limits.
 *
 * @see ../../../host-bootstrap/src/connect/node-deps.ts — the real implementations wrapped here
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  loadUserKnownHosts,
  nodeConnectDeps,
  type CheckDeps,
  type ConnectDeps,
  type KnownHostsEntry,
} from '@nodeless/host-bootstrap';

/** Limits of a check (timeouts, retries, concurrency, sandbox choice). */
export type CheckOptions = Partial<
  Pick<CheckDeps, 'concurrency' | 'timeouts' | 'keepalive' | 'retry' | 'sandbox'>
>;

export interface OnboardingEngine {
  /** Fresh per operation, so edits to ~/.ssh/config are picked up without a restart. */
  connectDeps(): ConnectDeps;
  /** `~/.ssh/known_hosts` (and `known_hosts2`), parsed; hashed entries included. */
  userKnownHosts(): Promise<readonly KnownHostsEntry[]>;
  /** Text of `~/.ssh/config`, or undefined when there is none. */
  sshConfigText(): Promise<string | undefined>;
  readonly checkOptions: CheckOptions;
}

export interface NodeEngineOptions {
  /** Whose ~/.ssh is used (default: the user's home). */
  homeDir?: string;
  /** Environment for USER and SSH_AUTH_SOCK (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  checkOptions?: CheckOptions;
}

/** Hosts checked at once: enough to be quick, few enough not to look like a scan. */
export const DEFAULT_CHECK_CONCURRENCY = 4;

/** The engine over the real filesystem and environment. */
export function nodeOnboardingEngine(options: NodeEngineOptions = {}): OnboardingEngine {
  const homeDir = options.homeDir ?? os.homedir();
  const env = options.env ?? process.env;
  return {
    connectDeps: () => nodeConnectDeps({ homeDir, env }),
    userKnownHosts: () => loadUserKnownHosts(homeDir),
    sshConfigText: () =>
      readFile(path.join(homeDir, '.ssh', 'config'), 'utf8').catch(() => undefined),
    checkOptions: { concurrency: DEFAULT_CHECK_CONCURRENCY, ...options.checkOptions },
  };
}

/** The connection limits among the check options (for a probe outside a check). */
export function connectLimits(
  options: CheckOptions,
): Partial<Pick<CheckDeps, 'timeouts' | 'keepalive' | 'retry'>> {
  return {
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.keepalive ? { keepalive: options.keepalive } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  };
}
