/**
 * Day 2, host side: uninstall k3s and the sandbox runtime from a host — everything upstream's
 * `k3s-killall.sh` and `k3s-uninstall.sh` do (units, process trees, mounts, CNI netns and
 * links, KUBE-/CNI-/flannel firewall rules, k3s's files) plus what Nodeless added (see
 * reset-script.ts) — then verify that none of it is left, network leftovers included.
 * Removing the Node object (cordon, drain, delete) is the cluster side's job, done before.
 *
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh — create_uninstall, create_killall
 * @see https://docs.k3s.io/installation/uninstall
 */
import { forgetStaging, probe, root, type HostHandle } from '../host.ts';
import type { Step } from '@nodeless/common';
import type { Plan } from '../types.ts';
import { leftoversScript, uninstallScript } from './reset-script.ts';

export { LEFTOVERS, CNI_LINKS, leftoversScript, uninstallScript } from './reset-script.ts';

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
