/**
 * Upstream file locations every step agrees on.
 *
 * @see https://docs.k3s.io/installation/configuration#configuration-file
 * @see https://docs.k3s.io/cluster-access
 * @see https://docs.k3s.io/cli/token
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh
 */
export const K3S_BIN = '/usr/local/bin/k3s';
export const K3S_CONFIG = '/etc/rancher/k3s/config.yaml';
export const K3S_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';
export const K3S_TOKEN = '/var/lib/rancher/k3s/server/token';
export const CONTAINERD_DIR = '/var/lib/rancher/k3s/agent/etc/containerd';
export const SYSTEMD_DIR = '/etc/systemd/system';
export const unitName = (role: 'server' | 'agent'): string =>
  role === 'server' ? 'k3s' : 'k3s-agent';
