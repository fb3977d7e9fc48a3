/**
 * k3s configuration as k3s reads it: `/etc/rancher/k3s/config.yaml`, then
 * `config.yaml.d/*.yaml` in lexical order (later files win; a key ending in `+` appends to a
 * list), then environment (`K3S_TOKEN`, `K3S_URL`, …), then command-line flags, which win.
 *
 * @see https://docs.k3s.io/installation/configuration#configuration-file
 * @see https://docs.k3s.io/cli/server
 * @see https://docs.k3s.io/cli/agent
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export type ConfigValue = string | boolean | string[];
export type K3sConfig = Record<string, ConfigValue>;

/** Flags that take no value (subset of `k3s server --help` / `k3s agent --help`). */
const BOOLEAN_FLAGS = new Set([
  'cluster-init',
  'cluster-reset',
  'disable-agent',
  'disable-scheduler',
  'disable-cloud-controller',
  'disable-kube-proxy',
  'disable-network-policy',
  'disable-helm-controller',
  'disable-apiserver',
  'disable-etcd',
  'disable-controller-manager',
  'secrets-encryption',
  'embedded-registry',
  'selinux',
  'rootless',
  'prefer-bundled-bin',
  'protect-kernel-defaults',
  'debug',
  'docker',
  'disable-default-registry-endpoint',
  'with-node-id',
]);

/** Flags that may repeat (StringSlice in k3s). */
const LIST_FLAGS = new Set([
  'tls-san',
  'node-label',
  'node-taint',
  'disable',
  'node-ip',
  'node-external-ip',
  'kube-apiserver-arg',
  'kube-controller-manager-arg',
  'kube-scheduler-arg',
  'kubelet-arg',
  'kube-proxy-arg',
  'etcd-arg',
]);

/** Parses `--flag value`, `--flag=value`, `-t value` and boolean flags. */
export function parseFlags(argv: readonly string[]): K3sConfig {
  const out: K3sConfig = {};
  const short: Record<string, string> = {
    t: 'token',
    s: 'server',
    c: 'config',
    d: 'data-dir',
    v: 'v',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--?([a-zA-Z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) continue;
    const name = short[m[1]] ?? m[1];
    let value: ConfigValue;
    if (m[2] !== undefined) value = BOOLEAN_FLAGS.has(name) ? m[2] !== 'false' : m[2];
    else if (BOOLEAN_FLAGS.has(name)) value = true;
    else value = argv[++i] ?? '';
    setValue(out, name, value, true);
  }
  return out;
}

function setValue(target: K3sConfig, key: string, value: ConfigValue, append = false): void {
  if (LIST_FLAGS.has(key)) {
    const list = Array.isArray(value) ? value : String(value).split(',').filter(Boolean);
    const prev = target[key];
    target[key] = append && Array.isArray(prev) ? [...prev, ...list] : list;
  } else {
    target[key] = value;
  }
}

/** Merges one YAML config document into `target` (k3s semantics). */
export function mergeConfigYaml(target: K3sConfig, text: string, file: string): void {
  const doc: unknown = YAML.parse(text);
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${file}: config must be a YAML mapping`);
  for (const [rawKey, raw] of Object.entries(doc as Record<string, unknown>)) {
    const append = rawKey.endsWith('+');
    const key = append ? rawKey.slice(0, -1) : rawKey;
    const value: ConfigValue = Array.isArray(raw)
      ? raw.map(String)
      : typeof raw === 'boolean'
        ? raw
        : String(raw);
    setValue(target, key, value, append);
  }
}

/** Environment variables k3s maps onto flags. */
const ENV_FLAGS: Record<string, string> = {
  K3S_TOKEN: 'token',
  K3S_TOKEN_FILE: 'token-file',
  K3S_URL: 'server',
  K3S_NODE_NAME: 'node-name',
  K3S_DATA_DIR: 'data-dir',
  K3S_KUBECONFIG_OUTPUT: 'write-kubeconfig',
  K3S_KUBECONFIG_MODE: 'write-kubeconfig-mode',
  K3S_CLUSTER_INIT: 'cluster-init',
  K3S_AGENT_TOKEN: 'agent-token',
};

/** The effective configuration of `k3s <server|agent> <argv>`. */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  readFile = (p: string) => fs.readFileSync(p, 'utf8'),
): K3sConfig {
  const flags = parseFlags(argv);
  const file = String(flags['config'] ?? env['K3S_CONFIG_FILE'] ?? '/etc/rancher/k3s/config.yaml');
  const config: K3sConfig = {};
  const files = [file];
  const dropins = `${file}.d`;
  try {
    for (const f of fs
      .readdirSync(dropins)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort())
      files.push(path.join(dropins, f));
  } catch {
    // No drop-in directory.
  }
  for (const f of files) {
    let text: string;
    try {
      text = readFile(f);
    } catch {
      continue;
    }
    mergeConfigYaml(config, text, f);
  }
  for (const [envName, key] of Object.entries(ENV_FLAGS)) {
    const v = env[envName];
    if (v !== undefined && v !== '')
      setValue(config, key, key === 'cluster-init' ? v === 'true' : v);
  }
  for (const [k, v] of Object.entries(flags)) setValue(config, k, v);
  if (typeof config['token-file'] === 'string' && config['token'] === undefined) {
    config['token'] = readFile(config['token-file']).trim();
  }
  return config;
}

export const str = (c: K3sConfig, key: string): string | undefined => {
  const v = c[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
export const list = (c: K3sConfig, key: string): string[] => {
  const v = c[key];
  return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? v.split(',') : [];
};
export const flag = (c: K3sConfig, key: string): boolean => c[key] === true || c[key] === 'true';

/** k3s's `k3s.io/node-args` annotation: the args with secrets masked. */
export function nodeArgs(role: 'server' | 'agent', config: K3sConfig): string {
  const out: string[] = [role];
  for (const [k, v] of Object.entries(config)) {
    const masked = /token|password|secret/.test(k) ? '********' : v;
    for (const one of Array.isArray(masked) ? masked : [masked]) out.push(`--${k}`, String(one));
  }
  return JSON.stringify(out);
}
