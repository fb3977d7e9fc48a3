/**
 * Files a k3s server leaves for others: the admin kubeconfig and the join tokens.
 *
 * @see https://docs.k3s.io/cluster-access (/etc/rancher/k3s/k3s.yaml)
 * @see https://docs.k3s.io/cli/token (server/token, server/node-token)
 */
import fs from 'node:fs';
import path from 'node:path';
import { kubeconfigYaml } from '../../kube-sim/kubeconfig.ts';
import { flag, str, type K3sConfig } from './config.ts';

export const DEFAULT_DATA_DIR = '/var/lib/rancher/k3s';
export const DEFAULT_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';

export function dataDir(config: K3sConfig): string {
  return str(config, 'data-dir') ?? DEFAULT_DATA_DIR;
}

function writeFile(file: string, content: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
}

/** k3s.yaml: cluster/user/context `default`, server https://127.0.0.1:<port>, mode 0600 unless configured. */
export function writeKubeconfig(
  config: K3sConfig,
  caPem: string,
  admin: { certPem: string; keyPem: string },
  port: number,
): string {
  const file = str(config, 'write-kubeconfig') ?? DEFAULT_KUBECONFIG;
  const mode = parseInt(str(config, 'write-kubeconfig-mode') ?? '600', 8);
  const yaml = kubeconfigYaml({
    server: `https://127.0.0.1:${port}`,
    caPem,
    certPem: admin.certPem,
    keyPem: admin.keyPem,
    name: 'default',
  });
  writeFile(file, yaml, Number.isNaN(mode) ? 0o600 : mode);
  return file;
}

/** server/token and server/node-token (same content, as k3s's node-token symlink), agent-token when set. */
export function writeTokens(config: K3sConfig, token: string, agentToken?: string): void {
  const dir = path.join(dataDir(config), 'server');
  writeFile(path.join(dir, 'token'), `${token}\n`, 0o600);
  writeFile(path.join(dir, 'node-token'), `${token}\n`, 0o600);
  if (agentToken) writeFile(path.join(dir, 'agent-token'), `${agentToken}\n`, 0o600);
}

/** The password part of an existing server/token, to keep the token stable across restarts. */
export function existingPassword(config: K3sConfig): string | undefined {
  try {
    const t = fs.readFileSync(path.join(dataDir(config), 'server', 'token'), 'utf8').trim();
    return /::[^:]+:(.+)$/.exec(t)?.[1] ?? (t || undefined);
  } catch {
    return undefined;
  }
}

export const isHa = (config: K3sConfig): boolean =>
  flag(config, 'cluster-init') || str(config, 'server') !== undefined;
