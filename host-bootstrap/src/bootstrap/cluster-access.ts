/**
 * What the steps of one cluster share at run time: the join token and the admin kubeconfig,
 * both read with root from the first server on first use and kept in memory only (they are
 * secrets: never logged, never in argv), plus the bounded wait used for readiness.
 *
 * @see https://docs.k3s.io/cli/token — /var/lib/rancher/k3s/server/token
 * @see https://docs.k3s.io/cluster-access — /etc/rancher/k3s/k3s.yaml
 */
import { Redactor, serverUrl } from '@nodeless/common';
import { BootstrapError } from './errors.ts';
import { readRootFile, sleep, type HostHandle } from './host.ts';
import type { KubeApi, KubeApiFactory, NodeView } from './kube-api.ts';
import { K3S_KUBECONFIG, K3S_TOKEN } from './steps/paths.ts';

/** Bounded polling (injectable for tests). */
export interface WaitPolicy {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const defaultWait: WaitPolicy = { timeoutMs: 180_000, intervalMs: 1_000 };

/**
 * Polls `probe` until it returns a value (not undefined) or the policy's time runs out;
 * `probe` may throw to stop early with its error.
 */
export async function waitFor<T>(
  policy: WaitPolicy,
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const now = policy.now ?? Date.now;
  const pause = policy.sleep ?? ((ms: number) => sleep(ms));
  const deadline = now() + policy.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (now() >= deadline) {
      throw new BootstrapError(
        `Timed out after ${Math.round(policy.timeoutMs / 1000)} s waiting for ${what}.`,
        {
          remedy:
            'Look at the step log and the k3s journal on the host (journalctl -u k3s / k3s-agent), then Resume.',
        },
      );
    }
    await pause(policy.intervalMs);
  }
}

/** Hooks and ports of a {@link ClusterAccess}. */
export interface ClusterAccessHooks {
  /**
   * Called with each secret the moment it is read from a host (the join token, whole and its
   * bare secret part), before anything can log it: the caller registers it with its
   * redactor, so run logs, events and API responses never carry it.
   */
  readonly onSecret?: (secret: string) => void;
  /**
   * How the Kubernetes API is reached for readiness waits (the backend passes
   * cluster-runtime's `bootstrapKubeApi`). Without it, a step that waits on the API fails at
   * once naming the missing wiring instead of timing out.
   */
  readonly kubeApi?: KubeApiFactory;
}

export class ClusterAccess {
  #token: string | undefined;
  /** The join token, whole and its bare secret, once read. */
  readonly #secrets = new Redactor();
  #api: KubeApi | undefined;

  constructor(
    readonly first: HostHandle,
    /** Address the desktop and the other hosts reach the first server on. */
    readonly serverAddress: string,
    readonly wait: WaitPolicy = defaultWait,
    readonly hooks: ClusterAccessHooks = {},
  ) {}

  /** `https://<serverAddress>:6443`, the URL joining nodes use. */
  get serverUrl(): string {
    return serverUrl(this.serverAddress);
  }

  /** The join token (full form, `K10<ca-hash>::server:<secret>`); secret. */
  async token(): Promise<string> {
    if (this.#token) return this.#token;
    const text = await readRootFile(this.first, K3S_TOKEN);
    if (!text?.trim()) {
      throw new BootstrapError(`The first server ${this.first.name} has no join token yet.`, {
        remedy: 'Install the first server first (the plan does this in order).',
      });
    }
    const token = text.trim();
    for (const secret of [token, bareSecret(token)]) {
      this.#secrets.register(secret);
      this.hooks.onSecret?.(secret);
    }
    this.#token = token;
    return token;
  }

  /**
   * Content of k3s.yaml from the first server (secret), or undefined before it exists.
   * Read afresh every time: k3s rewrites it when it restarts (new client certificate).
   */
  async kubeconfig(): Promise<string | undefined> {
    const text = await readRootFile(this.first, K3S_KUBECONFIG);
    return text?.trim() ? text : undefined;
  }

  /**
   * API access to the first server, or undefined before k3s.yaml exists. Cached; a failed
   * read (see {@link node}, {@link ready}) drops it, so the next call re-reads k3s.yaml (k3s
   * rewrites it on restart, with a new client certificate).
   */
  async api(): Promise<KubeApi | undefined> {
    if (this.#api) return this.#api;
    const connect = this.hooks.kubeApi;
    if (!connect)
      throw new BootstrapError('This run has no access to the Kubernetes API wired in.', {
        remedy: 'Report this as a bug: the plan was composed without its Kubernetes API access.',
      });
    const yaml = await this.kubeconfig();
    if (!yaml) return undefined;
    this.#api = connect(yaml, this.serverUrl);
    return this.#api;
  }

  /** The Node `name` (undefined when absent or the API is not reachable yet). */
  async node(name: string): Promise<NodeView | undefined> {
    const api = await this.api();
    const node = api && (await api.node(name).catch(() => undefined));
    if (!node) this.#api = undefined;
    return node;
  }

  /** True when the API answers `/readyz`. */
  async ready(): Promise<boolean> {
    const api = await this.api();
    const ok = api !== undefined && (await api.ready().catch(() => false));
    if (!ok) this.#api = undefined;
    return ok;
  }

  /**
   * A redactor for `runPlan` that also masks the join token once it is known (it is read
   * during the run, after the caller built its own redactor).
   */
  redactor(inner: (text: string) => string = (t) => t): (text: string) => string {
    return (text) => this.scrub(inner(text));
  }

  /** Masks the secrets this object holds (for text read back from hosts). */
  scrub(text: string): string {
    return this.#secrets.redact(text);
  }
}

/**
 * The secret part of a join token: `K10<ca-hash>::server:<secret>` → `<secret>` (k3s also
 * accepts the bare secret alone, so it is a secret by itself).
 */
function bareSecret(token: string): string {
  return (token.split('::').pop() ?? token).replace(/^server:/, '');
}
