/**
 * The Kubernetes client of one connection, per API server: it knows every server of an HA
 * cluster (k3s's serving certificate names them all), hands out the client of the current one,
 * moves to the next when the current one is unreachable, and rebuilds the clients when the
 * credentials change (the install's stored kubeconfig was replaced, an imported file changed).
 *
 * The watch caches ask for a client at every list and watch round, so a failover or new
 * credentials take effect on their next round without restarting them. It never throws: a
 * kubeconfig that cannot be used gives a client whose every call fails with the reason, so the
 * caches report it (and retry) like any other error.
 */
import type { KubeClient } from '@nodeless/cluster-runtime';
import { execPluginProblem, nodeFs, type SourceFs } from './kubeconfig-source.ts';
import { execCommandOf, parseKubeconfig, withServer } from './kubeconfig-text.ts';
import { MalformedKubeconfigError, PluginMissingError } from './problems.ts';
import type { ClusterCredentials } from './workspace-clusters.ts';

export interface ClientProviderOptions {
  credentials: () => ClusterCredentials;
  /** Cheap change token (no decryption); compared at every {@link ClientProvider.current}. */
  credentialsVersion: () => string | undefined;
  createClient: (kubeconfig: string) => KubeClient;
  /** The user's PATH, for the exec plugin check. */
  envPath: () => string;
  fs?: SourceFs;
}

/** A client whose every call rejects with `error` (no request is made). */
export function failingClient(error: Error): KubeClient {
  return new Proxy({} as KubeClient, {
    get(_target, property) {
      if (property === 'then') return undefined; // not a thenable
      if (property === 'config') throw error;
      return () => Promise.reject(error);
    },
  });
}

export class ClientProvider {
  readonly #o: ClientProviderOptions;
  #version: string | undefined;
  #credentials: ClusterCredentials | undefined;
  #clients: (KubeClient | undefined)[] = [];
  #index = 0;
  #execCommand: string | undefined;
  #failure: Error | undefined;

  constructor(options: ClientProviderOptions) {
    this.#o = options;
  }

  /** The server in use (or about to be). */
  get server(): string | undefined {
    return this.#credentials?.servers[this.#index];
  }

  get servers(): readonly string[] {
    return this.#credentials?.servers ?? [];
  }

  /** The exec credential plugin of the kubeconfig, when it uses one. */
  get execCommand(): string | undefined {
    return this.#execCommand;
  }

  /** The current server's client, rebuilt first when the credentials changed. */
  current(): KubeClient {
    this.#reloadIfChanged();
    if (this.#failure) return failingClient(this.#failure);
    let client = this.#clients[this.#index];
    if (!client) {
      client = this.#build(this.#index);
      this.#clients[this.#index] = client;
    }
    return client;
  }

  /** Moves to the next server (wrapping); true when there is another one. */
  rotate(): boolean {
    const n = this.#credentials?.servers.length ?? 0;
    if (n < 2) return false;
    this.#index = (this.#index + 1) % n;
    return true;
  }

  /** Re-reads the credentials when their version changed; true when they did. */
  reloadIfChanged(): boolean {
    return this.#reloadIfChanged();
  }

  #reloadIfChanged(): boolean {
    let version: string | undefined;
    try {
      version = this.#o.credentialsVersion();
    } catch {
      version = undefined;
    }
    if (this.#credentials !== undefined && version === this.#version) return false;
    this.#load();
    // The version read after load (a file re-read may have stored a new kubeconfig).
    try {
      this.#version = this.#o.credentialsVersion();
    } catch {
      this.#version = version;
    }
    return true;
  }

  #load(): void {
    this.#clients = [];
    this.#failure = undefined;
    this.#execCommand = undefined;
    const previous = this.server;
    try {
      this.#credentials = this.#o.credentials();
    } catch (error) {
      this.#failure = new MalformedKubeconfigError(
        `the stored kubeconfig cannot be read: ${(error as Error).message}`,
      );
      return;
    }
    // Stay on the server in use when it is still listed.
    const at = previous === undefined ? -1 : this.#credentials.servers.indexOf(previous);
    this.#index = at >= 0 ? at : 0;
    try {
      const parsed = parseKubeconfig(this.#credentials.kubeconfig, 'kubeconfig');
      const context = parsed.current ?? [...parsed.contexts.keys()][0] ?? '';
      this.#execCommand = execCommandOf(parsed, context);
    } catch (error) {
      this.#failure = new MalformedKubeconfigError(
        `the stored kubeconfig cannot be read: ${(error as Error).message}`,
      );
      return;
    }
    if (this.#execCommand !== undefined) {
      const problem = execPluginProblem(this.#execCommand, this.#o.envPath(), this.#o.fs ?? nodeFs);
      if (problem) this.#failure = new PluginMissingError(problem);
    }
  }

  #build(index: number): KubeClient {
    const credentials = this.#credentials as ClusterCredentials;
    const server = credentials.servers[index];
    try {
      const text =
        server === undefined ? credentials.kubeconfig : withServer(credentials.kubeconfig, server);
      return this.#o.createClient(text);
    } catch (error) {
      return failingClient(
        new MalformedKubeconfigError(`the kubeconfig cannot be used: ${(error as Error).message}`),
      );
    }
  }
}
