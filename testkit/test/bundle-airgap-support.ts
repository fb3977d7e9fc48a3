/**
 * What the airgap bundle's integration test (bundle-airgap.int.test.ts) needs around its cases:
 * the bundle built by the testkit CLI, three test hosts, and the documented k3s airgap install
 * over the real ssh/scp. Apart from the test file so it stays under 400 lines with its cases in
 * one place; one setup serves every case (integration files run one at a time, and the
 * hosts' k3s state carries from one case to the next).
 *
 * @see https://docs.k3s.io/installation/airgap#install-k3s
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { meterImageArchive } from '@nodeless/cluster-runtime';
import type { BundleManifest } from '../src/bundle/index.ts';
import { sshOptions, useFleet, type Fleet, type HostInventory } from '../src/hosts/index.ts';
import { runCommand, type CommandResult } from '../src/hosts/run.ts';
import { ssh, testkitCli } from './hosts-helpers.ts';

/** The unit k3s's install.sh writes (trimmed of the nm-cloud-setup guard). */
const unit = (kind: 'server' | 'agent') => `[Unit]
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
KillMode=process
Delegate=yes
LimitNOFILE=1048576
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/k3s ${kind}
`;

export const CONTAINERD_DIR = '/var/lib/rancher/k3s/agent/etc/containerd';

export interface NodeView {
  name: string;
  ready: string;
  labels: Record<string, string>;
  handlers: string[];
  images: string[];
}
/** The nodes as the real kubectl lists them (none while the API does not answer). */
export async function nodes(kubeconfig: string): Promise<NodeView[]> {
  const r = await runCommand(
    '/usr/bin/kubectl',
    ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'json'],
    { check: false },
  );
  if (r.code !== 0) return [];
  const list = JSON.parse(r.stdout) as {
    items: Array<{
      metadata: { name: string; labels?: Record<string, string> };
      status?: {
        conditions?: Array<{ type: string; status: string }>;
        runtimeHandlers?: Array<{ name: string }>;
        images?: Array<{ names: string[] }>;
      };
    }>;
  };
  return list.items.map((n) => ({
    name: n.metadata.name,
    ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '',
    labels: n.metadata.labels ?? {},
    handlers: (n.status?.runtimeHandlers ?? []).map((x) => x.name),
    images: (n.status?.images ?? []).flatMap((x) => x.names),
  }));
}

export interface AirgapLab {
  readonly fleet: Fleet;
  readonly hosts: HostInventory[];
  readonly bundleDir: string;
  readonly manifest: BundleManifest;
  /** A command as `admin` over ssh (it uses `sudo -n` where it needs root). */
  sudo(h: HostInventory, command: string, input?: string): Promise<CommandResult>;
  /** Copies bundle files to the admin's home on `h` (scp). */
  upload(h: HostInventory, files: string[]): Promise<void>;
  /**
   * Airgap install: binary, images, config.yaml, unit, enable --now. The config (it carries
   * the join token) travels as a 0600 file over scp, never in a command line.
   */
  installK3s(
    h: HostInventory,
    kind: 'server' | 'agent',
    configYaml: string,
    extra?: string,
    noBlock?: boolean,
  ): Promise<CommandResult>;
  /** `h`'s k3s.yaml pointed at `via`, as a 0600 file on this machine. */
  kubeconfigFor(h: HostInventory, via: HostInventory): Promise<string>;
  stop(): Promise<void>;
}

/** Builds the bundle with the testkit CLI and takes three test hosts. */
export async function startAirgapLab(): Promise<AirgapLab> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bundle-test-'));
  const bundleDir = path.join(tmp, 'bundle');
  const built = await testkitCli(['bundle', '--out', bundleDir]);
  if (built.code !== 0) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw new Error(`testkit bundle exited ${built.code}: ${built.stderr}`);
  }
  const manifest = JSON.parse(built.stdout) as BundleManifest;
  const { fleet, release } = await useFleet({ count: 3, prefix: 'tkb' });
  const hosts = fleet.inventory().hosts.slice(0, 3);

  const sudo = (h: HostInventory, command: string, input?: string): Promise<CommandResult> =>
    ssh(h, 'admin', fleet.knownHostsPath, command, { input, timeoutMs: 60_000 });

  async function upload(h: HostInventory, files: string[]): Promise<void> {
    await runCommand('scp', [
      ...sshOptions(fleet.knownHostsPath, h.accounts.admin.keyPath),
      ...files.map((f) => path.join(bundleDir, f)),
      `admin@${h.address}:`,
    ]);
  }

  return {
    fleet,
    hosts,
    bundleDir,
    manifest,
    sudo,
    upload,
    async installK3s(h, kind, configYaml, extra = '', noBlock = false) {
      await fs.writeFile(path.join(bundleDir, 'config.yaml'), configYaml, { mode: 0o600 });
      await upload(h, [
        'k3s',
        'k3s-airgap-images-amd64.tar.zst',
        meterImageArchive(),
        'config.yaml',
      ]);
      await fs.rm(path.join(bundleDir, 'config.yaml'));
      const unitName = kind === 'server' ? 'k3s' : 'k3s-agent';
      const script = [
        'set -e',
        'sudo -n install -m 0755 -o root -g root k3s /usr/local/bin/k3s',
        'sudo -n mkdir -p /var/lib/rancher/k3s/agent/images/ /etc/rancher/k3s',
        `sudo -n cp k3s-airgap-images-amd64.tar.zst ${meterImageArchive()} /var/lib/rancher/k3s/agent/images/`,
        'sudo -n install -m 0600 -o root -g root config.yaml /etc/rancher/k3s/config.yaml && rm -f config.yaml',
        `sudo -n tee /etc/systemd/system/${unitName}.service >/dev/null`,
        extra,
        'sudo -n systemctl daemon-reload',
        `sudo -n systemctl enable --now ${noBlock ? '--no-block ' : ''}${unitName}`,
      ].join('\n');
      return sudo(h, script, unit(kind));
    },
    async kubeconfigFor(h, via) {
      const r = await sudo(h, 'sudo -n cat /etc/rancher/k3s/k3s.yaml');
      if (r.code !== 0) throw new Error(`reading k3s.yaml on ${h.name}: ${r.stderr}`);
      const file = path.join(tmp, `${h.name}.yaml`);
      await fs.writeFile(
        file,
        r.stdout.replace('https://127.0.0.1:6443', `https://${via.address}:6443`),
        { mode: 0o600 },
      );
      return file;
    },
    async stop() {
      await release();
      await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}
