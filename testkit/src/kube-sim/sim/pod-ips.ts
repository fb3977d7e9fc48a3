/**
 * Pod IPs from each node's podCIDR, as a CNI's host-local IPAM hands them out: `.1` is the
 * node's bridge (cni0 on k3s), pods get `.2`–`.254`, released when the sandbox goes away.
 *
 * @see https://www.cni.dev/plugins/current/ipam/host-local/
 */
import type { Cache } from './cache.ts';
import { view, type Node } from './model.ts';

export class PodIps {
  /** node → used host octets of its pod CIDR. */
  private readonly used = new Map<string, Set<number>>();

  constructor(private readonly nodes: Cache) {}

  allocate(node: string): string | undefined {
    const o = this.nodes.get(node);
    const cidr = o ? view<Node>(o).spec?.podCIDR : undefined;
    if (!cidr) return undefined;
    const used = this.used.get(node) ?? new Set<number>();
    this.used.set(node, used);
    for (let h = 2; h < 255; h++) {
      if (used.has(h)) continue;
      used.add(h);
      return cidr.replace(/\.0\/\d+$/, `.${h}`);
    }
    return undefined;
  }

  /** Frees the run's IP (if any) and clears it from the run. */
  release(run: { node: string; ip?: string }): void {
    if (!run.ip) return;
    this.used.get(run.node)?.delete(Number(run.ip.split('.')[3]));
    run.ip = undefined;
  }
}
