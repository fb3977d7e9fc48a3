/**
 * The real-world implementations of the connector's injected effects: the user's home,
 * `~/.ssh/config`, `~/.ssh/known_hosts`, SSH_AUTH_SOCK, timers and randomness. Only wiring;
 * tests pass their own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KnownHostsEntry } from '../trust/known-hosts.ts';
import { loadKnownHosts } from '../trust/verifier.ts';
import type { ConnectDeps } from './open.ts';

/** Options for {@link nodeConnectDeps}. */
export interface NodeDepsOptions {
  readonly homeDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Skip ~/.ssh/config (e.g. the user turned it off). */
  readonly ignoreSshConfig?: boolean;
}

/** Connector deps over the real filesystem and environment. */
export function nodeConnectDeps(options: NodeDepsOptions = {}): ConnectDeps {
  const homeDir = options.homeDir ?? homedir();
  const env = options.env ?? process.env;
  let sshConfigText: string | undefined;
  if (!options.ignoreSshConfig) {
    try {
      sshConfigText = readFileSync(`${homeDir}/.ssh/config`, 'utf8');
    } catch {
      sshConfigText = undefined;
    }
  }
  return {
    resolveEnv: {
      sshConfigText,
      homeDir,
      localUser: env.USER ?? userInfo().username,
      agentSocket: env.SSH_AUTH_SOCK || undefined,
      fileExists: existsSync,
    },
    readFile: (path) => readFile(path),
    retryDeps: { sleep: (ms) => sleep(ms).then(() => undefined), random: Math.random },
  };
}

/** The user's known_hosts files (`~/.ssh/known_hosts`, `~/.ssh/known_hosts2`), parsed. */
export function loadUserKnownHosts(homeDir: string = homedir()): Promise<KnownHostsEntry[]> {
  return loadKnownHosts([`${homeDir}/.ssh/known_hosts`, `${homeDir}/.ssh/known_hosts2`], (p) =>
    readFile(p, 'utf8').catch(() => undefined),
  );
}
