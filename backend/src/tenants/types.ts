/** What `tenants.*` answers (part of the API contract, re-exported by ../api/index.ts). */

/** One kubeconfig handed out for a tenant: who for, which credential, until when. */
export interface TenantCredentialRow {
  member: string;
  credential: 'token' | 'certificate';
  issuedAt: string;
  /** ISO time it stops working on its own. */
  expiresAt: string;
}

/** One tenant of a cluster: its namespaces, limits, what its pods take now, its kubeconfigs. */
export interface TenantRow {
  /** The tenant's name: its home namespace. */
  namespace: string;
  /** Every namespace of the tenant, home first. */
  namespaces: string[];
  /** At most this much of pods in total (integers); absent = no cpu/memory limit. */
  quota?: { cpuMilli: number; memoryBytes: number };
  /** At most this many pods; absent = no pod limit. */
  pods?: number;
  /** The quota's status now, summed over the namespaces, when the tenant has a quota. */
  used?: { cpuMilli: number; memoryBytes: number; pods: number };
  /** The kubeconfigs handed out that still work (none secret), oldest first. */
  credentials: TenantCredentialRow[];
}

/** Where a tenant kubeconfig went: never the kubeconfig itself (it holds a bearer token). */
export interface TenantKubeconfigWritten {
  path: string;
  /** The current context: the home namespace's. */
  context: string;
  /** One context per tenant namespace. */
  contexts: string[];
  member: string;
  credential: 'token' | 'certificate';
  /** ISO time the credential stops working (the token's or the certificate's expiry). */
  expiresAt: string;
  /** True when an existing kubeconfig at `path` was merged (its other contexts kept). */
  merged: boolean;
}

export interface TenantRevoked {
  namespace: string;
  /** Set when only this member's kubeconfigs were revoked. */
  member?: string;
}

export interface TenantRemoved {
  namespace: string;
  /** Namespaces left in place (without the tenant's access, quota and label). */
  kept: string[];
  deleted: string[];
}
