/**
 * The host state flannel, the CNI plugins and kube-proxy leave on a k3s node, created for
 * real so that a reset has real leftovers to remove (k3s-killall.sh / k3s-uninstall.sh):
 *
 * - flannel (unless `flannel-backend: none`): the VXLAN device `flannel.1` (id 1, UDP 8472;
 *   where the kernel refuses VXLAN, a dummy link of the same name, logged as such),
 *   `/run/flannel/subnet.env`, and its `FLANNEL-POSTRTG` (nat) / `FLANNEL-FWD` (filter)
 *   chains;
 * - the bridge CNI plugin, as for a first pod sandbox: the `cni0` bridge, a pod network
 *   namespace `cni-<uuid>` joined to it by a veth pair (host end `veth<hex>`, master cni0),
 *   host-local IPAM state under `/var/lib/cni/networks/cbr0`, and the ipMasq chain
 *   `CNI-<hex>` (nat) with its POSTROUTING rule;
 * - kube-proxy (unless `disable-kube-proxy`): `KUBE-SERVICES`, `KUBE-POSTROUTING` (nat)
 *   and `KUBE-FORWARD` (filter) with their jumps from the built-in chains.
 *
 * Idempotent: a restart finds them in place and adds nothing. A flannel failure is fatal,
 * as in k3s ("flannel exited: …"); CNI and iptables failures are logged and k3s runs on, as
 * the kubelet and kube-proxy do.
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh (k3s-killall.sh: what reset must remove)
 * @see https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md#vxlan
 * @see https://www.cni.dev/plugins/current/main/bridge/
 * @see https://www.cni.dev/plugins/current/ipam/host-local/
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { flag, str, type K3sConfig } from './config.ts';

export type NetLog = (level: 'info' | 'warning' | 'error', msg: string) => void;

/** A refusal that k3s treats as fatal (flannel could not set up its device). */
export class FlannelError extends Error {}

const BRIDGE_IP = '10.42.0.1/24';
const POD_IP = '10.42.0.2';

interface Cmd {
  code: number;
  out: string;
}
const sh = (cmd: string, args: readonly string[]): Cmd => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return {
    code: r.status ?? 1,
    out: `${r.stderr ?? ''}${r.stdout ?? ''}${r.error?.message ?? ''}`.trim(),
  };
};
const linkExists = (name: string) => sh('ip', ['link', 'show', name]).code === 0;

function must(cmd: string, args: readonly string[]): void {
  const r = sh(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.out}`);
}

/** flannel's VXLAN device, or a dummy link of the same name where VXLAN is refused. */
function flannelLink(localIp: string | undefined, log: NetLog): void {
  if (linkExists('flannel.1')) return;
  const vxlan = [
    'link',
    'add',
    'flannel.1',
    'type',
    'vxlan',
    'id',
    '1',
    'dstport',
    '8472',
    'nolearning',
  ];
  const r = sh('ip', localIp ? [...vxlan, 'local', localIp] : vxlan);
  if (r.code !== 0) {
    log(
      'warning',
      `STAND-IN: kernel refused a VXLAN flannel.1 (${r.out}); creating a dummy link named flannel.1`,
    );
    const d = sh('ip', ['link', 'add', 'flannel.1', 'type', 'dummy']);
    if (d.code !== 0) throw new FlannelError(`failed to create VXLAN device flannel.1: ${d.out}`);
  }
  sh('ip', ['addr', 'add', '10.42.0.0/32', 'dev', 'flannel.1']);
  sh('ip', ['link', 'set', 'flannel.1', 'up']);
}

function writeSubnetEnv(): void {
  fs.mkdirSync('/run/flannel', { recursive: true });
  fs.writeFileSync(
    '/run/flannel/subnet.env',
    `FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=${BRIDGE_IP}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`,
  );
}

/** The bridge plugin's work for one pod sandbox: cni0, a cni-<uuid> netns, a veth, IPAM. */
function podSandbox(): string {
  const ipamDir = '/var/lib/cni/networks/cbr0';
  const existing = fs.existsSync(path.join(ipamDir, POD_IP))
    ? fs.readFileSync(path.join(ipamDir, POD_IP), 'utf8').split('\n')[0]
    : undefined;
  const netns = sh('ip', ['netns', 'list'])
    .out.split('\n')
    .find((l) => l.startsWith('cni-'));
  if (existing && netns && linkExists('cni0')) return existing;
  if (!linkExists('cni0')) {
    must('ip', ['link', 'add', 'cni0', 'type', 'bridge']);
    must('ip', ['addr', 'add', BRIDGE_IP, 'dev', 'cni0']);
    must('ip', ['link', 'set', 'cni0', 'up']);
  }
  const ns = netns?.split(/\s/)[0] ?? `cni-${randomUUID()}`;
  if (!netns) must('ip', ['netns', 'add', ns]);
  const id = createHash('sha256').update(ns).digest('hex');
  const host = `veth${id.slice(0, 8)}`;
  if (!linkExists(host)) {
    must('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', `p${id.slice(0, 8)}`]);
    must('ip', ['link', 'set', `p${id.slice(0, 8)}`, 'netns', ns]);
    must('ip', ['-n', ns, 'link', 'set', `p${id.slice(0, 8)}`, 'name', 'eth0']);
    must('ip', ['-n', ns, 'addr', 'add', `${POD_IP}/24`, 'dev', 'eth0']);
    must('ip', ['link', 'set', host, 'master', 'cni0', 'up']);
  }
  fs.mkdirSync(ipamDir, { recursive: true });
  fs.writeFileSync(path.join(ipamDir, POD_IP), `${id}\neth0`);
  fs.writeFileSync(path.join(ipamDir, 'last_reserved_ip.0'), POD_IP);
  fs.writeFileSync(path.join(ipamDir, 'lock'), '');
  return id;
}

/** `iptables -N` + jump, each only when missing. */
function chain(table: string, name: string, from: string, match: readonly string[]): void {
  if (sh('iptables', ['-t', table, '-S', name]).code !== 0)
    must('iptables', ['-t', table, '-N', name]);
  const rule = [from, ...match, '-j', name];
  if (sh('iptables', ['-t', table, '-C', ...rule]).code !== 0)
    must('iptables', ['-t', table, '-A', ...rule]);
}

const comment = (text: string) => ['-m', 'comment', '--comment', text];

/** Creates what the node's network components would have created by now. */
export function createNetworkLeftovers(
  config: K3sConfig,
  nodeIp: string | undefined,
  log: NetLog,
): void {
  const flannel = str(config, 'flannel-backend') !== 'none';
  if (flannel) {
    flannelLink(nodeIp, log);
    writeSubnetEnv();
    try {
      chain('nat', 'FLANNEL-POSTRTG', 'POSTROUTING', comment('flanneld masq'));
      chain('filter', 'FLANNEL-FWD', 'FORWARD', comment('flanneld forward'));
    } catch (e) {
      log('error', `flannel: failed to set up iptables masquerade rules: ${(e as Error).message}`);
    }
    try {
      const id = podSandbox();
      chain('nat', `CNI-${id.slice(0, 24)}`, 'POSTROUTING', [
        '-s',
        `${POD_IP}/32`,
        ...comment(`name: "cbr0" id: "${id}"`),
      ]);
    } catch (e) {
      log(
        'error',
        `Failed to create pod sandbox: plugin type="bridge" name="cbr0" failed (add): ${(e as Error).message}`,
      );
    }
  }
  if (!flag(config, 'disable-kube-proxy')) {
    try {
      chain('nat', 'KUBE-SERVICES', 'PREROUTING', comment('kubernetes service portals'));
      chain('nat', 'KUBE-SERVICES', 'OUTPUT', comment('kubernetes service portals'));
      chain('nat', 'KUBE-POSTROUTING', 'POSTROUTING', comment('kubernetes postrouting rules'));
      chain('filter', 'KUBE-FORWARD', 'FORWARD', comment('kubernetes forwarding rules'));
    } catch (e) {
      log('error', `kube-proxy: failed to sync iptables rules: ${(e as Error).message}`);
    }
  }
}
