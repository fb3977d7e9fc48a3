/**
 * What the Tenants section needs from the backend (`tenants.*`), as a narrow interface so the
 * views can be driven by a fake and the transport changes in one place.
 *
 * @see ../../../backend/src/api/routers/tenants.ts — the procedures behind it
 */
import type { TRPCClient } from '@trpc/client';
import type {
  AppRouter,
  TenantKubeconfigWritten,
  TenantRemoved,
  TenantRevoked,
  TenantRow,
  TenantsAddInput,
  TenantsKubeconfigInput,
  TenantsRemoveInput,
  TenantsRevokeInput,
} from '@nodeless/backend/api';
import { createTrpc } from './trpc-client.ts';

export interface TenantsApi {
  list(input: { clusterId: string }): Promise<TenantRow[]>;
  add(input: TenantsAddInput): Promise<TenantRow>;
  /** Writes the kubeconfig to `input.path` on the backend's machine; answers where and until when. */
  kubeconfig(input: TenantsKubeconfigInput): Promise<TenantKubeconfigWritten>;
  /** Every kubeconfig of the tenant, or only `input.member`'s. */
  revoke(input: TenantsRevokeInput): Promise<TenantRevoked>;
  remove(input: TenantsRemoveInput): Promise<TenantRemoved>;
}

/** Binds {@link TenantsApi} to a tRPC client (share the window's one). */
export function createTenantsApi(trpc: TRPCClient<AppRouter> = createTrpc()): TenantsApi {
  const t = trpc.tenants;
  return {
    list: (input) => t.list.query(input),
    add: (input) => t.add.mutate(input),
    kubeconfig: (input) => t.kubeconfig.mutate(input),
    revoke: (input) => t.revoke.mutate(input),
    remove: (input) => t.remove.mutate(input),
  };
}
