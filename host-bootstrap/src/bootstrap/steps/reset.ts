/**
 * Day 2, host side: uninstall k3s and the sandbox runtime from a host, like upstream's
 * `k3s-uninstall.sh` / `k3s-agent-uninstall.sh` (stop and disable the unit, kill what it
 * left, unmount k3s's mounts, remove the binary, the unit, `/etc/rancher`, `/var/lib/rancher`,
 * `/var/lib/kubelet`, `/run/k3s`) plus what Nodeless added (`/opt/kata`, gVisor binaries,
 * our modules/sysctl files, `/var/lib/nodeless`, the devmapper pool). Then verify clean.
 * Removing the Node object (cordon, drain, delete) is the cluster side's job, done before.
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — create_uninstall, create_killall
 * @see https://docs.k3s.io/installation/uninstall
 */
import { forgetStaging, probe, root, type HostHandle } from '../host.ts';
import type { Plan, Step } from '../types.ts';
import { DEVMAPPER_POOL } from './containerd-template.ts';
import { MODULES_FILE, SYSCTL_FILE } from './prepare-os.ts';
import { K3S_BIN, SYSTEMD_DIR } from './paths.ts';
import { NODELESS_DIR } from '../host.ts';

/** Everything that must be gone afterwards. */
export const LEFTOVERS = [
  K3S_BIN,
  `${SYSTEMD_DIR}/k3s.service`,
  `${SYSTEMD_DIR}/k3s-agent.service`,
  `${SYSTEMD_DIR}/k3s.service.env`,
  `${SYSTEMD_DIR}/k3s-agent.service.env`,
  '/etc/rancher',
  '/var/lib/rancher',
  '/var/lib/kubelet',
  '/run/k3s',
  '/opt/kata',
  '/usr/local/bin/runsc',
  '/usr/local/bin/containerd-shim-runsc-v1',
  MODULES_FILE,
  SYSCTL_FILE,
  NODELESS_DIR,
] as const;

/** The uninstall script (idempotent). */
export function uninstallScript(): string {
  return [
    'for u in k3s k3s-agent; do',
    '  systemctl stop "$u" 2>/dev/null || true',
    '  systemctl disable "$u" 2>/dev/null || true',
    '  systemctl reset-failed "$u" 2>/dev/null || true',
    'done',
    // k3s-killall.sh: what runs from k3s's data dir (containerd, shims) and the sandbox shims.
    // Matched on /proc/<pid>/exe, not on command lines: this very script's text contains
    // those paths, and a pattern match on argv would kill the script itself.
    'for p in /proc/[0-9]*; do',
    '  case "$(readlink "$p/exe" 2>/dev/null)" in',
    '    /var/lib/rancher/k3s/data/*|/opt/kata/*|/usr/local/bin/containerd-shim-runsc-v1|/usr/local/bin/runsc) kill -9 "${p#/proc/}" 2>/dev/null || true ;;',
    '  esac',
    'done',
    // k3s-killall.sh do_unmount_and_remove: k3s's own mounts.
    'for m in $(awk \'$2 ~ "^(/run/k3s|/var/lib/rancher/k3s|/var/lib/kubelet)" {print $2}\' /proc/self/mounts | sort -r); do umount -f "$m" 2>/dev/null || true; done',
    `dmsetup remove ${DEVMAPPER_POOL} 2>/dev/null || true`,
    `rm -rf ${LEFTOVERS.join(' ')}`,
    'systemctl daemon-reload',
  ].join('\n');
}

/** A check listing leftovers (empty output = clean). */
export function leftoversScript(): string {
  return [
    `for p in ${LEFTOVERS.join(' ')}; do [ -e "$p" ] && echo "$p"; done`,
    'for u in k3s k3s-agent; do systemctl is-active --quiet "$u" && echo "unit $u active"; done',
    'true',
  ].join('\n');
}

/** Lists what of Nodeless/k3s remains on the host. */
export async function leftovers(host: HostHandle): Promise<string[]> {
  const r = await probe(host, leftoversScript());
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The uninstall step of one host (used by reset and remove). */
export function uninstallStep(host: HostHandle): Step {
  const check = async () => {
    const left = await leftovers(host);
    return left.length === 0
      ? { satisfied: true, detail: `${host.name} is clean` }
      : { satisfied: false, detail: `Will remove ${left.join(', ')}` };
  };
  return {
    key: `uninstall@${host.name}`,
    // Reset runs the phases backwards; the grid shows it under the first column.
    phase: 'prepare-os',
    host: host.name,
    title: `Uninstall k3s and the sandbox runtime from ${host.name}`,
    check,
    apply: async (ctx) => {
      forgetStaging(host);
      await root(host, 'Uninstalling', uninstallScript(), { timeoutMs: 180_000 });
      ctx.log(`uninstalled from ${host.name}`);
    },
    verify: check,
  };
}

/**
 * Reset (day 2): uninstall every host of a cluster, all in one wave. The caller asks for the
 * typed confirmation first; the kubeconfig it stored is then stale.
 */
export function resetPlan(cluster: string, hosts: readonly HostHandle[]): Plan {
  return { cluster, waves: [hosts.map(uninstallStep)] };
}

/**
 * Remove one host (day 2, host side): its uninstall. The cluster side (cordon, drain, delete
 * the Node) runs before it in `before`, from cluster-runtime; the Node is deleted after k3s
 * stopped when `after` is given (a running kubelet would register it again).
 */
export function removeHostPlan(
  cluster: string,
  host: HostHandle,
  steps: { before?: Step[]; after?: Step[] } = {},
): Plan {
  return {
    cluster,
    waves: [steps.before ?? [], [uninstallStep(host)], steps.after ?? []].filter(
      (w) => w.length > 0,
    ),
  };
}
