/**
 * Who to connect to, and how that is resolved against `~/.ssh/config`.
 *
 * Precedence follows OpenSSH: values given explicitly (like command-line options) win, then
 * the first value obtained from the config file (ssh_config(5): "the first obtained value
 * will be used"), then defaults. Parsing and Host matching (wildcards, negation) are done by
 * the `ssh-config` library; `Match exec` is never evaluated (no shell for untrusted config).
 *
 * @see https://man.openbsd.org/ssh_config — HostName, User, Port, IdentityFile, ProxyJump
 * @see https://github.com/cyjake/ssh-config — `compute()`
 */
import SSHConfig from 'ssh-config';

/** A user's SSH secrets for one hop; values never leave memory except into the SSH stream. */
export interface HostSecrets {
  /** Passphrase of the private key file(s). */
  readonly passphrase?: string;
  /** Login password (password and keyboard-interactive auth). */
  readonly password?: string;
}

/** One hop as the user described it (a host name, IP or ~/.ssh/config alias). */
export interface SshTarget {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  /** Private key file; `~` is expanded. Overrides IdentityFile from the config. */
  readonly keyPath?: string;
  /** Use ssh-agent via SSH_AUTH_SOCK (default: true when the socket exists). */
  readonly useAgent?: boolean;
  /** Jump hosts, outermost first (like `ssh -J a,b`). Overrides ProxyJump from the config. */
  readonly jump?: readonly SshTarget[];
  /** Secrets for this hop when it is used as a jump host. */
  readonly secrets?: HostSecrets;
}

/** A hop with every option settled. */
export interface ResolvedHop {
  /** What the user typed (alias), for messages. */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  /** Key files in order, `~` expanded; `explicit` = named by the user, not a default. */
  readonly identityFiles: readonly { readonly path: string; readonly explicit: boolean }[];
  /** ssh-agent socket path, if the agent should be used. */
  readonly agentSocket: string | undefined;
  readonly secrets: HostSecrets;
}

/** Environment the resolver reads instead of the real world. */
export interface ResolveEnv {
  /** Contents of ~/.ssh/config, if any. */
  readonly sshConfigText: string | undefined;
  readonly homeDir: string;
  readonly localUser: string;
  /** Value of SSH_AUTH_SOCK. */
  readonly agentSocket: string | undefined;
  /** Whether a file exists (used to pick default identity files). */
  readonly fileExists: (path: string) => boolean;
}

/** Longest jump chain accepted: guards against ProxyJump loops. */
export const MAX_JUMPS = 8;

const DEFAULT_KEYS = ['id_rsa', 'id_ecdsa', 'id_ed25519'];

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Expands `~` and the common ssh_config tokens (`%d` home, `%u` local user, `%h` host,
 * `%r` remote user, `%p` port, `%%`).
 */
export function expandPath(
  path: string,
  ctx: { homeDir: string; localUser: string; host: string; user: string; port: number },
): string {
  const withTokens = path.replace(/%([%duhrp])/g, (_m, t: string) => {
    switch (t) {
      case 'd':
        return ctx.homeDir;
      case 'u':
        return ctx.localUser;
      case 'h':
        return ctx.host;
      case 'r':
        return ctx.user;
      case 'p':
        return String(ctx.port);
      default:
        return '%';
    }
  });
  if (withTokens === '~') return ctx.homeDir;
  if (withTokens.startsWith('~/')) return `${ctx.homeDir}${withTokens.slice(1)}`;
  return withTokens;
}

/** Parses a ProxyJump element `[user@]host[:port]` (also `ssh://user@host:port`). */
export function parseJumpSpec(spec: string): SshTarget {
  const s = spec.replace(/^ssh:\/\//, '');
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  const hostPort = at >= 0 ? s.slice(at + 1) : s;
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  const host = m?.[1] ?? hostPort;
  const port = m?.[2] ? Number(m[2]) : undefined;
  return { host, ...(user ? { user } : {}), ...(port ? { port } : {}) };
}

function resolveHop(
  target: SshTarget,
  config: SSHConfig | undefined,
  env: ResolveEnv,
  fallback?: HostSecrets,
): ResolvedHop {
  const computed = config?.compute(target.host, { ignoreCase: true, matchExec: false }) ?? {};
  const hostName = first(computed.hostname)?.replaceAll('%h', target.host) ?? target.host;
  const port = target.port ?? Number(first(computed.port) ?? 22);
  const user = target.user ?? first(computed.user) ?? env.localUser;
  const ctx = { homeDir: env.homeDir, localUser: env.localUser, host: hostName, user, port };
  let identityFiles: { path: string; explicit: boolean }[];
  if (target.keyPath) identityFiles = [{ path: expandPath(target.keyPath, ctx), explicit: true }];
  else {
    const configured = all(computed.identityfile).filter((p) => p.toLowerCase() !== 'none');
    identityFiles =
      configured.length > 0
        ? configured.map((p) => ({ path: expandPath(p, ctx), explicit: true }))
        : DEFAULT_KEYS.map((k) => ({ path: `${env.homeDir}/.ssh/${k}`, explicit: false })).filter(
            (f) => env.fileExists(f.path),
          );
  }
  const identityAgent = first(computed.identityagent);
  let agentSocket = env.agentSocket;
  if (identityAgent && identityAgent !== 'SSH_AUTH_SOCK') {
    agentSocket =
      identityAgent.toLowerCase() === 'none' ? undefined : expandPath(identityAgent, ctx);
  }
  if (target.useAgent === false) agentSocket = undefined;
  return {
    alias: target.host,
    hostName,
    port,
    user,
    identityFiles,
    agentSocket,
    secrets: target.secrets ?? fallback ?? {},
  };
}

/**
 * Resolves a target into its chain of hops: jump hosts first, the target last. Jump hosts are
 * themselves resolved through the config (alias, HostName, User, Port, IdentityFile).
 */
export function resolveTarget(
  target: SshTarget,
  env: ResolveEnv,
  secrets: HostSecrets = {},
): ResolvedHop[] {
  const config = env.sshConfigText === undefined ? undefined : SSHConfig.parse(env.sshConfigText);
  let jumps: readonly SshTarget[] = target.jump ?? [];
  if (target.jump === undefined && config) {
    const proxyJump = first(
      config.compute(target.host, { ignoreCase: true, matchExec: false }).proxyjump,
    );
    if (proxyJump && proxyJump.toLowerCase() !== 'none') {
      jumps = proxyJump.split(',').map((s) => parseJumpSpec(s.trim()));
    }
  }
  if (jumps.length > MAX_JUMPS)
    throw new RangeError(`more than ${MAX_JUMPS} jump hosts for ${target.host}`);
  return [
    ...jumps.map((j) => resolveHop(j, config, env)),
    resolveHop(target, config, env, secrets),
  ];
}
