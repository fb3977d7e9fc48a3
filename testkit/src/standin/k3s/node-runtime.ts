/**
 * The agent half every k3s node runs (agents, and servers unless `disable-agent`):
 * containerd from k3s's templates, the CRI check the kubelet waits for, and — once the
 * node is registered — the network state flannel, CNI and kube-proxy create.
 *
 * @see https://docs.k3s.io/architecture
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/config_linux.go (SystemdCgroup detection)
 */
import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log.ts';
import { flag, str, type K3sConfig } from './config.ts';
import type { BaseTemplateData } from './containerd/base.ts';
import { preloadImages, type ImportedImage } from './containerd/images.ts';
import { NO_CRI_ERROR, startContainerd } from './containerd/index.ts';
import { dataDir } from './files.ts';
import { createNetworkLeftovers, FlannelError } from './network.ts';

/** k3s's default `pause-image` (the image the airgap bundle carries). */
export const PAUSE_IMAGE = 'rancher/mirrored-pause:3.6';

const read = (p: string) => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/**
 * k3s uses the systemd cgroup driver when it runs as a systemd unit (INVOCATION_ID), not in
 * a user namespace, with the cpuset controller available.
 */
export function systemdCgroup(env: NodeJS.ProcessEnv = process.env): boolean {
  const userNs = !/^\s*0\s+0\s+4294967295\s*$/.test(read('/proc/self/uid_map'));
  const cpuset = read('/sys/fs/cgroup/cgroup.controllers').split(/\s+/).includes('cpuset');
  return !userNs && cpuset && Boolean(env['INVOCATION_ID']);
}

/** The template inputs k3s takes from its configuration. */
export function templateData(config: K3sConfig): BaseTemplateData {
  return {
    dataDir: dataDir(config),
    defaultRuntime: str(config, 'default-runtime'),
    snapshotter: str(config, 'snapshotter') ?? 'overlayfs',
    pauseImage: str(config, 'pause-image') ?? PAUSE_IMAGE,
    systemdCgroup: systemdCgroup(),
    selinux: flag(config, 'selinux'),
    nonrootDevices: flag(config, 'nonroot-devices'),
    noFlannel: str(config, 'flannel-backend') === 'none',
  };
}

let imported: readonly ImportedImage[] = [];

/** The images this node's containerd imported from k3s's images directory (Node.status.images). */
export function importedImages(): readonly ImportedImage[] {
  return imported;
}

/**
 * Starts containerd and resolves with the runtime handlers once its CRI is up. When
 * containerd exits, k3s exits 1; when containerd runs without CRI, this never resolves and
 * k3s logs that it is waiting, every second, as k3s does.
 */
export function startCri(config: K3sConfig): Promise<string[]> {
  const outcome = startContainerd(
    templateData(config),
    (level, msg) => log(level, msg),
    flag(config, 'debug'),
  );
  if (outcome.state === 'exited') {
    log('error', 'containerd exited: exit status 1');
    process.exit(1);
  }
  if (outcome.state === 'running') {
    log('info', 'containerd is now running');
    // k3s's PreloadImages, once the CRI is up: a broken archive is logged, never fatal.
    imported = preloadImages(path.join(dataDir(config), 'agent', 'images'), (level, msg) =>
      log(level, msg),
    );
    return Promise.resolve(outcome.handlers);
  }
  return new Promise<string[]>(() => {
    // k3s's WaitForService: silent on the first failure, then once a second.
    setInterval(() => log('info', `Waiting for containerd startup: ${NO_CRI_ERROR}`), 1000);
  });
}

/** After the node registered: flannel, CNI and kube-proxy state; a flannel failure is fatal. */
export function startNetwork(config: K3sConfig, nodeIp: string | undefined): void {
  try {
    createNetworkLeftovers(config, nodeIp, (level, msg) => log(level, msg));
  } catch (e) {
    if (!(e instanceof FlannelError)) throw e;
    log('fatal', `flannel exited: ${e.message}`);
    process.exit(1);
  }
}
