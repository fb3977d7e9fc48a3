/**
 * The helper scripts and links k3s's install.sh leaves on every node, so an operator who
 * follows the k3s docs finds them where the docs say:
 *
 * - `/usr/local/bin/k3s-killall.sh` (one for server and agent): stop the units, kill the
 *   containerd shims and their containers, unmount, delete CNI netns and links, remove the
 *   KUBE-/CNI-/flannel iptables rules;
 * - `/usr/local/bin/k3s-uninstall.sh` (server) or `k3s-agent-uninstall.sh` (agent);
 * - `kubectl`, `crictl`, `ctr` → `k3s`, each only when no command of that name exists.
 *
 * The scripts are install.sh's `create_killall` / `create_uninstall` heredocs as of the current
 * install.sh, with two deliberate differences: paths are fixed (BIN_DIR /usr/local/bin,
 * systemd), and killall also kills the sandbox shims (Kata's, gVisor's), whose process trees
 * are the pods' microVMs: upstream's `getshims` only matches shims under k3s's data dir.
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — create_symlinks, create_killall, create_uninstall
 * @see https://docs.k3s.io/installation/uninstall
 */
import { K3S_BIN, SYSTEMD_DIR, unitName } from './paths.ts';

export const BIN_DIR = '/usr/local/bin';
export const KILLALL_SH = `${BIN_DIR}/k3s-killall.sh`;
/** install.sh's `UNINSTALL_K3S_SH`: `${SYSTEM_NAME}-uninstall.sh`. */
export const uninstallShPath = (role: 'server' | 'agent'): string =>
  `${BIN_DIR}/${unitName(role)}-uninstall.sh`;
/** The links install.sh creates to the k3s multi-call binary. */
export const LINKED_COMMANDS = ['kubectl', 'crictl', 'ctr'] as const;

/** `$` for shell `${…}` expansions inside these template literals. */
const D = '$';

/** k3s-killall.sh as install.sh writes it (quoted heredoc: nothing expanded at install time). */
export function renderKillall(): string {
  return String.raw`#!/bin/sh
# Written by Nodeless, as k3s's install.sh writes it (plus the sandbox shims).
[ $(id -u) -eq 0 ] || exec sudo --preserve-env=K3S_DATA_DIR $0 $@

K3S_DATA_DIR=${D}{K3S_DATA_DIR:-/var/lib/rancher/k3s}

for bin in ${D}{K3S_DATA_DIR}/data/**/bin/; do
    [ -d $bin ] && export PATH=$PATH:$bin:$bin/aux
done

set -x

for service in ${SYSTEMD_DIR}/k3s*.service; do
    [ -s $service ] && systemctl stop $(basename $service)
done

for service in /etc/init.d/k3s*; do
    [ -x $service ] && $service stop
done

pschildren() {
    ps -e -o ppid= -o pid= | \
    sed -e 's/^\s*//g; s/\s\s*/\t/g;' | \
    grep -w "^$1" | \
    cut -f2
}

pstree() {
    for pid in $@; do
        echo $pid
        for child in $(pschildren $pid); do
            pstree $child
        done
    done
}

killtree() {
    kill -9 $(
        { set +x; } 2>/dev/null;
        pstree $@;
        set -x;
    ) 2>/dev/null
}

remove_interfaces() {
    # Delete network interface(s) that match 'master cni0'
    ip link show 2>/dev/null | grep 'master cni0' | while read ignore iface ignore; do
        iface=${D}{iface%%@*}
        [ -z "$iface" ] || ip link delete $iface
    done

    # Delete cni related interfaces
    ip link delete cni0
    ip link delete flannel.1
    ip link delete flannel-v6.1
    ip link delete kube-ipvs0
    ip link delete flannel-wg
    ip link delete flannel-wg-v6

    # Restart tailscale
    if [ -n "$(command -v tailscale)" ]; then
        tailscale set --advertise-routes=
    fi
}

getshims() {
    ps -e -o pid= -o args= | sed -e 's/^ *//; s/\s\s*/\t/;' | grep -w "${D}{K3S_DATA_DIR}"'/data/[^/]*/bin/containerd-shim' | cut -f1
}

killtree $({ set +x; } 2>/dev/null; getshims; set -x)

# Nodeless: the sandbox shims live outside k3s's data dir; matched by executable, not argv.
getsandboxshims() {
    for p in /proc/[0-9]*; do
        case "$(readlink $p/exe 2>/dev/null)" in
            /opt/kata/bin/containerd-shim-kata-v2*|/opt/kata/runtime-rs/bin/containerd-shim-kata-v2*|${BIN_DIR}/containerd-shim-runsc-v1*) echo ${D}{p#/proc/} ;;
        esac
    done
}

killtree $({ set +x; } 2>/dev/null; getsandboxshims; set -x)

do_unmount_and_remove() {
    set +x
    while read -r _ path _; do
        case "$path" in $1*) echo "$path" ;; esac
    done < /proc/self/mounts | sort -r | xargs -r -t -n 1 sh -c 'umount -f "$0" && rm -rf "$0"'
    set -x
}

do_unmount_and_remove '/run/k3s'
do_unmount_and_remove '/var/lib/kubelet/pods'
do_unmount_and_remove '/var/lib/kubelet/plugins'
do_unmount_and_remove '/run/netns/cni-'

# Remove CNI namespaces
ip netns show 2>/dev/null | grep cni- | xargs -r -t -n 1 ip netns delete

remove_interfaces

rm -rf /var/lib/cni/
iptables-save | grep -v KUBE- | grep -v CNI- | grep -iv flannel | iptables-restore
ip6tables-save | grep -v KUBE- | grep -v CNI- | grep -iv flannel | ip6tables-restore
`;
}

/** k3s-uninstall.sh / k3s-agent-uninstall.sh (unquoted heredoc: names expanded at install). */
export function renderUninstall(role: 'server' | 'agent'): string {
  const name = unitName(role);
  const self = uninstallShPath(role);
  return String.raw`#!/bin/sh
# Written by Nodeless, as k3s's install.sh writes it.
set -x
[ $(id -u) -eq 0 ] || exec sudo --preserve-env=K3S_DATA_DIR $0 $@
K3S_DATA_DIR=${D}{K3S_DATA_DIR:-/var/lib/rancher/k3s}
${KILLALL_SH}
if command -v systemctl; then
    systemctl disable ${name}
    systemctl reset-failed ${name}
    systemctl daemon-reload
fi
if command -v rc-update; then
    rc-update delete ${name} default
fi
rm -f ${SYSTEMD_DIR}/${name}.service
rm -f ${SYSTEMD_DIR}/${name}.service.env
remove_uninstall() {
    rm -f ${self}
}
trap remove_uninstall EXIT
if (ls ${SYSTEMD_DIR}/k3s*.service || ls /etc/init.d/k3s*) >/dev/null 2>&1; then
    set +x; echo 'Additional k3s services installed, skipping uninstall of k3s'; set -x
    exit
fi
for cmd in kubectl crictl ctr; do
    if [ -L ${BIN_DIR}/$cmd ]; then
        rm -f ${BIN_DIR}/$cmd
    fi
done
clean_mounted_directory() {
    if ! grep -q " $1" /proc/mounts; then
        rm -rf "$1"
        return 0
    fi
    for path in "$1"/*; do
        if [ -d "$path" ]; then
            if grep -q " $path" /proc/mounts; then
                clean_mounted_directory "$path"
            else
                rm -rf "$path"
            fi
        else
            rm "$path"
        fi
     done
}
rm -rf /etc/rancher/k3s
rm -rf /run/k3s
rm -rf /run/flannel
clean_mounted_directory ${D}{K3S_DATA_DIR}
rm -rf /var/lib/kubelet
rm -f ${K3S_BIN}
rm -f ${KILLALL_SH}
if type yum >/dev/null 2>&1; then
    yum remove -y k3s-selinux
    rm -f /etc/yum.repos.d/rancher-k3s-common*.repo
elif type rpm-ostree >/dev/null 2>&1; then
    rpm-ostree uninstall k3s-selinux
    rm -f /etc/yum.repos.d/rancher-k3s-common*.repo
elif type zypper >/dev/null 2>&1; then
    uninstall_cmd="zypper remove -y k3s-selinux"
    if [ "${D}{TRANSACTIONAL_UPDATE=false}" != "true" ] && [ -x /usr/sbin/transactional-update ]; then
        uninstall_cmd="transactional-update --no-selfupdate -d run $uninstall_cmd"
    fi
    $uninstall_cmd
    rm -f /etc/zypp/repos.d/rancher-k3s-common*.repo
fi
`;
}

/** install.sh's create_symlinks: a link per command unless one exists (in BIN_DIR or PATH). */
export function symlinksScript(): string {
  return [
    `for cmd in ${LINKED_COMMANDS.join(' ')}; do`,
    `  if [ ! -e ${BIN_DIR}/$cmd ] && ! command -v $cmd >/dev/null 2>&1; then`,
    `    ln -sf k3s ${BIN_DIR}/$cmd`,
    '  fi',
    'done',
  ].join('\n');
}

/** Prints each command the symlink script would still link (empty = nothing to do). */
export function symlinksPendingScript(): string {
  return [
    `for cmd in ${LINKED_COMMANDS.join(' ')}; do`,
    `  [ -e ${BIN_DIR}/$cmd ] || command -v $cmd >/dev/null 2>&1 || echo "$cmd"`,
    'done',
  ].join('\n');
}
