/**
 * What the bootstrap steps need from the Kubernetes API — does the first server answer
 * `/readyz`, is a host's Node Ready and which runtime handlers does containerd advertise on it —
 * as a port, filled in by whoever composes the run: the backend hands over cluster-runtime's
 * client-node based implementation (`bootstrapKubeApi`). host-bootstrap may not import
 * cluster-runtime (DESIGN.md §1), and an injected two-method port keeps the SSH engine free of a
 * second Kubernetes client: one client (timeouts, TLS, errors) for the whole product, and a
 * port the step tests fake in a line.
 *
 * @see https://kubernetes.io/docs/reference/using-api/health-checks/ — /readyz
 * @see https://kubernetes.io/docs/reference/node/node-status/#condition — Ready, runtimeHandlers
 * @see https://docs.k3s.io/cluster-access
 */

export interface NodeView {
  readonly name: string;
  readonly ready: boolean;
  readonly labels: Record<string, string>;
  readonly runtimeHandlers: string[];
}

/** Read-only API access for readiness waits. Neither call throws for an unreachable API. */
export interface KubeApi {
  /** True when the API server answers `/readyz` with 200. */
  ready(): Promise<boolean>;
  /** The Node named `name`, or undefined when it is not registered (or the API is down). */
  node(name: string): Promise<NodeView | undefined>;
}

/**
 * Builds the access from the content of k3s.yaml (a secret: kept in memory only) and the URL
 * the desktop reaches the first server on (`https://<serverAddress>:6443`; k3s puts every
 * host address into its serving certificate).
 */
export type KubeApiFactory = (k3sYaml: string, serverUrl: string) => KubeApi;
