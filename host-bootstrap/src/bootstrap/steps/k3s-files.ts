/**
 * The two files that make a host a k3s node, as upstream writes them:
 *
 * - `/etc/rancher/k3s/config.yaml`: the CLI flags as YAML keys (`cluster-init`, `server`,
 *   `token`, `tls-san`, `node-label`, `write-kubeconfig-mode`). No `default-runtime`: runc
 *   stays k3s's default runtime (system pods run under it) and admission puts tenant pods into
 *   the sandbox RuntimeClass (DESIGN.md §4 phase 9, §5);
 * - the systemd unit install.sh writes: `k3s.service` (`ExecStart=… server`) for servers,
 *   `k3s-agent.service` (`ExecStart=… agent`) for agents, both `Type=notify` as install.sh has
 *   written them since k3s#5851 (the agent reports readiness with sd_notify too).
 *
 * @see https://docs.k3s.io/installation/configuration#configuration-file
 * @see https://docs.k3s.io/cli/server
 * @see https://docs.k3s.io/cli/agent
 * @see https://docs.k3s.io/datastore/ha-embedded — cluster-init, then server + token
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — create_systemd_service_file, SYSTEMD_TYPE
 * @see https://github.com/k3s-io/k3s/pull/5851 — SYSTEMD_TYPE notify for server and agent
 */
import { stringify } from 'yaml';
import { K3S_BIN, SYSTEMD_DIR, unitName } from './paths.ts';

/** Label carrying the sandbox family on every node (cluster-runtime schedules by it). */
export const SANDBOX_LABEL = 'nodeless.dev/sandbox';

export type NodeRole = 'first-server' | 'join-server' | 'agent';

export interface K3sConfigInput {
  readonly role: NodeRole;
  /** True for an HA control plane (more than one server). */
  readonly ha: boolean;
  /** Address the desktop and other hosts reach the first server on. */
  readonly serverAddress: string;
  readonly hostAddress: string;
  readonly serverUrl: string;
  /** Join token (joining servers and agents). */
  readonly token?: string;
  readonly sandboxFamily: 'kata' | 'gvisor';
}

/** Renders config.yaml (deterministic key order, so a re-run compares equal). */
export function renderK3sConfig(c: K3sConfigInput): string {
  const config: Record<string, unknown> = {};
  if (c.role === 'first-server' && c.ha) config['cluster-init'] = true;
  if (c.role !== 'first-server') {
    if (!c.token) throw new Error('a joining node needs the token');
    config['server'] = c.serverUrl;
    config['token'] = c.token;
  }
  if (c.role !== 'agent') {
    config['write-kubeconfig-mode'] = '0600';
    config['tls-san'] = [...new Set([c.serverAddress, c.hostAddress])];
  }
  config['node-label'] = [`${SANDBOX_LABEL}=${c.sandboxFamily}`];
  return `# Written by Nodeless.\n${stringify(config)}`;
}

/** The unit file install.sh writes (nm-cloud-setup guard included, as upstream). */
export function renderUnit(role: 'server' | 'agent'): string {
  const name = unitName(role);
  return `[Unit]
Description=Lightweight Kubernetes
Documentation=https://k3s.io
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=notify
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/sysconfig/%N
EnvironmentFile=-${SYSTEMD_DIR}/${name}.service.env
KillMode=process
Delegate=yes
User=root
# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStartPre=/bin/sh -xc '! /usr/bin/systemctl is-enabled --quiet nm-cloud-setup.service 2>/dev/null'
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${K3S_BIN} \\
    ${role} \\

`;
}

/** Ports a node's k3s must be able to bind (6443 API/supervisor; 10250 kubelet). */
export function requiredPorts(role: 'server' | 'agent'): number[] {
  return role === 'server' ? [6443, 10250] : [10250];
}
