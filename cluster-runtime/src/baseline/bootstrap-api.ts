/**
 * The Kubernetes access host-bootstrap's readiness waits use while k3s comes up — `/readyz`,
 * and a Node's Ready condition, labels and runtime handlers — on this package's one client.
 * It matches host-bootstrap's `KubeApi` port structurally (this package may not import
 * host-bootstrap, nor it this one: DESIGN.md §1); the backend hands it to `ClusterAccess`.
 *
 * Built from k3s.yaml as read from the first server (admin client certificate and cluster CA)
 * with the server rewritten to the address the desktop reaches. Short timeouts: the waits poll
 * every second, and a k3s that restarts under them must not hold a probe for 30 s. client-node
 * makes a fresh TLS agent per request, so no pooled socket outlives a k3s restart.
 *
 * @see https://kubernetes.io/docs/reference/using-api/health-checks/
 * @see https://kubernetes.io/docs/reference/node/node-status/
 * @see https://docs.k3s.io/cluster-access
 */
import type { V1Node } from '@kubernetes/client-node';
import { createKubeClient, RESOURCES } from '../client.ts';
import { nodeRow } from '../kinds/node.ts';
import { rewriteK3sKubeconfig } from '../kubeconfig/k3s-kubeconfig.ts';

/** A node as the bootstrap waits see it (host-bootstrap's `NodeView`). */
export interface BootstrapNodeView {
  readonly name: string;
  readonly ready: boolean;
  readonly labels: Record<string, string>;
  readonly runtimeHandlers: string[];
}

export interface BootstrapKubeApi {
  ready(): Promise<boolean>;
  node(name: string): Promise<BootstrapNodeView | undefined>;
}

/** Per probe: readiness waits poll every second, so a slow answer counts as "not yet". */
export const BOOTSTRAP_PROBE_TIMEOUT_MS = 5_000;

/** Readiness probes for the cluster whose k3s.yaml this is, at `server`. */
export function bootstrapKubeApi(
  k3sYaml: string,
  server: string,
  timeoutMs = BOOTSTRAP_PROBE_TIMEOUT_MS,
): BootstrapKubeApi {
  // The name only labels the in-memory kubeconfig's entries.
  const client = createKubeClient(rewriteK3sKubeconfig(k3sYaml, 'bootstrap', server), {
    timeoutMs,
  });
  return {
    ready: () => client.readyz(),
    async node(name) {
      try {
        const node = await client.get<V1Node>(RESOURCES.nodes, name);
        if (!node) return undefined;
        const row = nodeRow(node);
        return {
          name: row.name,
          ready: row.ready,
          labels: { ...row.labels },
          runtimeHandlers: row.runtimeHandlers,
        };
      } catch {
        // Not reachable yet (k3s starting or restarting): the wait polls again.
        return undefined;
      }
    },
  };
}
