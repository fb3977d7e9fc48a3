/**
 * Kubeconfig (DESIGN.md §4 phase 11): `/etc/rancher/k3s/k3s.yaml` (root, 0600) read with
 * root from the first server and handed to the caller, who rewrites the server address and
 * context (cluster-runtime `rewriteK3sKubeconfig`) and stores it encrypted. The content is a
 * secret: it is never logged and never part of an event.
 *
 * @see https://docs.k3s.io/cluster-access
 */
import type { ClusterAccess } from '../cluster-access.ts';
import { BootstrapError } from '../errors.ts';
import type { Step } from '@nodeless/common';

export interface KubeconfigSink {
  /** True when what is stored already came from this exact k3s.yaml. */
  isCurrent(k3sYaml: string): Promise<boolean> | boolean;
  /** Stores it (rewritten, encrypted: the caller's business). */
  accept(k3sYaml: string): Promise<void> | void;
}

export function kubeconfigStep(access: ClusterAccess, sink: KubeconfigSink): Step {
  const read = async () => {
    const yaml = await access.kubeconfig();
    if (!yaml) {
      throw new BootstrapError(`No kubeconfig on ${access.first.name} yet.`, {
        remedy: 'Install the first server first (the plan does this in order).',
      });
    }
    return yaml;
  };
  const check = async () =>
    (await sink.isCurrent(await read()))
      ? { satisfied: true, detail: 'Kubeconfig stored and current' }
      : { satisfied: false, detail: `Will fetch the kubeconfig from ${access.first.name}` };
  return {
    key: 'kubeconfig',
    phase: 'kubeconfig',
    host: null,
    title: 'Fetch the kubeconfig',
    check,
    apply: async (ctx) => {
      await sink.accept(await read());
      ctx.log(`kubeconfig fetched from ${access.first.name}`);
    },
    verify: check,
  };
}
