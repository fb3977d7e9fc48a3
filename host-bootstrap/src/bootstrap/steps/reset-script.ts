/**
 * The uninstall script: everything upstream's `k3s-killall.sh` and `k3s-uninstall.sh` /
 * `k3s-agent-uninstall.sh` do, plus what Nodeless added, in one idempotent root script that
 * needs neither helper script to be present (an operator may have deleted them):
 *
 * 1. stop, disable and reset every k3s unit (and the kata-fc pool unit);
 * 2. kill what runs from k3s's data dir (containerd, runc shims) and the sandbox shims (Kata,
 *    gVisor) with their whole process trees — the pods' containers and microVMs;
 * 3. unmount `/run/k3s`, `/var/lib/kubelet` (pods, plugins), `/run/netns/cni-*` and whatever
 *    is still mounted under k3s's data dir;
 * 4. delete the `cni-*` network namespaces, the links enslaved to `cni0`, and `cni0`,
 *    `flannel.1`, `flannel-v6.1`, `kube-ipvs0`, `flannel-wg`, `flannel-wg-v6`;
 * 5. drop every KUBE-/CNI-/flannel iptables and ip6tables rule and chain (save | grep -v | restore),
 *    with k3s's bundled iptables on PATH as killall puts it (hosts without their own);
 * 6. remove the devmapper thin pool and its loop devices, then the files: k3s's (binary,
 *    units, env files, /etc/rancher, /var/lib/rancher, /var/lib/kubelet, /run/k3s,
 *    /run/flannel, /var/lib/cni, helper scripts, kubectl/crictl/ctr links to k3s) and ours.
 *
 * Processes are matched by `/proc/<pid>/exe`, never by command line: this script travels in
 * `sh -c` argv, so a pattern match on argv would match (and kill) the script itself.
 * Links named kubectl/crictl/ctr are removed only when they point to k3s (upstream removes any
 * symlink of those names; a user's own kubectl link survives here).
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — create_killall, create_uninstall
 * @see https://docs.k3s.io/installation/uninstall
 */
import { NODELESS_DIR } from '../host.ts';
import { DEVMAPPER_POOL, RUNSC_CONFIG } from './containerd-template.ts';
import { DEVMAPPER_SCRIPT, DEVMAPPER_UNIT_PATH, poolTeardownScript } from './devmapper.ts';
import { BIN_DIR, KILLALL_SH, LINKED_COMMANDS, uninstallShPath } from './k3s-scripts.ts';
import { MODULES_FILE, SYSCTL_FILE } from './prepare-os.ts';
import { K3S_BIN, SYSTEMD_DIR } from './paths.ts';

/** Every path that must be gone afterwards. */
export const LEFTOVERS = [
  K3S_BIN,
  `${SYSTEMD_DIR}/k3s.service`,
  `${SYSTEMD_DIR}/k3s-agent.service`,
  `${SYSTEMD_DIR}/k3s.service.env`,
  `${SYSTEMD_DIR}/k3s-agent.service.env`,
  KILLALL_SH,
  uninstallShPath('server'),
  uninstallShPath('agent'),
  '/etc/rancher',
  '/var/lib/rancher',
  '/var/lib/kubelet',
  '/var/lib/cni',
  '/run/k3s',
  '/run/flannel',
  '/opt/kata',
  `${BIN_DIR}/runsc`,
  `${BIN_DIR}/containerd-shim-runsc-v1`,
  RUNSC_CONFIG,
  DEVMAPPER_UNIT_PATH,
  DEVMAPPER_SCRIPT,
  MODULES_FILE,
  SYSCTL_FILE,
  NODELESS_DIR,
] as const;

/** Network links flannel, kube-proxy (IPVS) and the CNI bridge leave (k3s-killall.sh). */
export const CNI_LINKS = [
  'cni0',
  'flannel.1',
  'flannel-v6.1',
  'kube-ipvs0',
  'flannel-wg',
  'flannel-wg-v6',
] as const;

/** Mount points k3s and the kubelet leave, as prefixes (k3s-killall.sh + k3s-uninstall.sh). */
const MOUNT_PREFIXES = '^(/run/k3s|/var/lib/kubelet|/run/netns/cni-|/var/lib/rancher/k3s)';

/** Executables whose processes (and their trees) are killed: k3s's own and the sandbox shims. */
const KILL_EXES = [
  '/var/lib/rancher/k3s/data/*',
  K3S_BIN,
  '/opt/kata/*',
  `${BIN_DIR}/containerd-shim-runsc-v1*`,
  `${BIN_DIR}/runsc*`,
].join('|');

/** Keeps the `iptables-save` lines k3s's killall removes (KUBE-, CNI-, flannel in any case). */
export const RULES_FILTER = "awk '/KUBE-|CNI-/ || tolower($0) ~ /flannel/'";

/** The uninstall script (idempotent; every command tolerates what is already gone). */
export function uninstallScript(): string {
  const links = LINKED_COMMANDS.join(' ');
  return [
    // k3s-killall.sh's first lines: k3s's bundled tools (iptables-save/-restore in bin/aux)
    // on PATH, so the rules are dropped on hosts without iptables of their own, where k3s used
    // the bundled ones to make them. Appended: the host's own tools win.
    'for bin in /var/lib/rancher/k3s/data/*/bin/; do [ -d "$bin" ] && PATH="$PATH:$bin:${bin}aux"; done',
    'export PATH',
    // 1. Units.
    `for s in ${SYSTEMD_DIR}/k3s*.service; do [ -e "$s" ] && systemctl stop "$(basename "$s")" 2>/dev/null; done`,
    'for u in k3s k3s-agent; do',
    '  systemctl stop "$u" 2>/dev/null || true',
    '  systemctl disable "$u" 2>/dev/null || true',
    '  systemctl reset-failed "$u" 2>/dev/null || true',
    'done',
    // 2. Processes and their trees (killall's killtree over the shims).
    'roots=""',
    'for p in /proc/[0-9]*; do',
    '  case "$(readlink "$p/exe" 2>/dev/null)" in',
    `    ${KILL_EXES}) roots="$roots \${p#/proc/}" ;;`,
    '  esac',
    'done',
    'tree() { for pid in "$@"; do echo "$pid"; tree $(ps -e -o ppid= -o pid= 2>/dev/null | awk -v p="$pid" \'$1 == p { print $2 }\'); done; }',
    '[ -z "$roots" ] || kill -9 $(tree $roots) 2>/dev/null || true',
    // 3. Mounts, deepest first.
    `awk '{ print $2 }' /proc/self/mounts | grep -E '${MOUNT_PREFIXES}' | sort -r | while read -r m; do umount -f "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done`,
    // 4. Network namespaces and links.
    'if command -v ip >/dev/null 2>&1; then',
    '  ip netns list 2>/dev/null | awk \'$1 ~ /^cni-/ { print $1 }\' | while read -r ns; do ip netns delete "$ns" 2>/dev/null || true; done',
    "  ip -o link show 2>/dev/null | grep 'master cni0' | awk -F': ' '{ print $2 }' | while read -r l; do ip link delete \"${l%%@*}\" 2>/dev/null || true; done",
    `  for l in ${CNI_LINKS.join(' ')}; do ip link delete "$l" 2>/dev/null || true; done`,
    'fi',
    'rm -f /run/netns/cni-*',
    // 5. Firewall rules.
    'for t in iptables ip6tables; do',
    '  command -v "$t-save" >/dev/null 2>&1 && command -v "$t-restore" >/dev/null 2>&1 || continue',
    '  "$t-save" 2>/dev/null | grep -v KUBE- | grep -v CNI- | grep -iv flannel | "$t-restore" 2>/dev/null || true',
    'done',
    // 6. Thin pool, links to k3s, files.
    poolTeardownScript(),
    `for cmd in ${links}; do`,
    `  l=${BIN_DIR}/$cmd`,
    `  [ -L "$l" ] && case "$(readlink "$l")" in k3s|${K3S_BIN}) rm -f "$l" ;; esac`,
    'done',
    `rm -rf ${LEFTOVERS.join(' ')}`,
    `rmdir ${RUNSC_CONFIG.slice(0, RUNSC_CONFIG.lastIndexOf('/'))} 2>/dev/null || true`,
    'systemctl daemon-reload',
  ].join('\n');
}

/**
 * Lists what of k3s/Nodeless remains (empty output = clean): paths, active units, links to k3s,
 * mounts, `cni-*` netns, CNI/flannel links, KUBE-/CNI-/flannel firewall rules, the thin pool.
 */
export function leftoversScript(): string {
  return [
    `for p in ${LEFTOVERS.join(' ')}; do [ -e "$p" ] && echo "$p"; done`,
    'for u in k3s k3s-agent; do systemctl is-active --quiet "$u" && echo "unit $u active"; done',
    `for cmd in ${LINKED_COMMANDS.join(' ')}; do [ -L ${BIN_DIR}/$cmd ] && case "$(readlink ${BIN_DIR}/$cmd)" in k3s|${K3S_BIN}) echo "symlink ${BIN_DIR}/$cmd -> k3s" ;; esac; done`,
    `awk '{ print $2 }' /proc/self/mounts | grep -E '${MOUNT_PREFIXES}' | sed 's/^/mount /'`,
    'if command -v ip >/dev/null 2>&1; then',
    '  ip netns list 2>/dev/null | awk \'$1 ~ /^cni-/ { print "netns " $1 }\'',
    `  ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -xF -e ${CNI_LINKS.join(' -e ')} | sed 's/^/link /'`,
    '  ip -o link show 2>/dev/null | grep \'master cni0\' | awk -F\': \' \'{ sub(/@.*/, "", $2); print "link " $2 " (master cni0)" }\'',
    'fi',
    'for t in iptables ip6tables; do',
    '  command -v "$t-save" >/dev/null 2>&1 || continue',
    `  n=$("$t-save" 2>/dev/null | ${RULES_FILTER} | wc -l)`,
    '  [ "$n" -eq 0 ] || echo "$t: $n KUBE-/CNI-/flannel lines"',
    'done',
    `command -v dmsetup >/dev/null 2>&1 && dmsetup status ${DEVMAPPER_POOL} >/dev/null 2>&1 && echo "devmapper pool ${DEVMAPPER_POOL}"`,
    'true',
  ].join('\n');
}
