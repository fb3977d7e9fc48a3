/** What `tenants.*` answers (part of the API contract, re-exported by ../api/index.ts). */

/** One tenant of a cluster: its namespace, limits and what its pods take now. */
export interface TenantRow {
  namespace: string;
  /** At most this much of pods in total (integers); absent = no cpu/memory limit. */
  quota?: { cpuMilli: number; memoryBytes: number };
  /** At most this many pods; absent = no pod limit. */
  pods?: number;
  /** The quota's status now, when the tenant has a quota. */
  used?: { cpuMilli: number; memoryBytes: number; pods: number };
}

/** Where a tenant kubeconfig went: never the kubeconfig itself (it holds a bearer token). */
export interface TenantKubeconfigWritten {
  path: string;
  context: string;
  /** ISO time the token stops working (the API server's answer). */
  expiresAt: string;
  /** True when an existing kubeconfig at `path` was merged (its other contexts kept). */
  merged: boolean;
}

export interface TenantRevoked {
  namespace: string;
}
