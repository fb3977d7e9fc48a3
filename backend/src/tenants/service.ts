/**
 * `tenants.*` behind the API: cluster-runtime's tenants (the same functions the CLI runs) on
 * any connectable cluster, with the admin credentials the workspace connects with
 * ({@link WorkspaceClusters.credentials}, also what `nodeless tenant --cluster` uses).
 *
 * A tenant kubeconfig holds a bearer token or a client key: it is registered with the log redactor, written
 * to the user's file (0600, merged by cluster-runtime's writer like every kubeconfig export)
 * and never returned — the answer says where it went and when it expires.
 *
 * @see ../../../cluster-runtime/src/tenants/README.md — what a tenant may do
 */
import {
  addTenant,
  createKubeClient,
  KubeApiError,
  listTenants,
  removeTenant,
  revokeMember,
  revokeTenant,
  type TenantView,
  TenantInputError,
  tenantKubeconfig,
  writeKubeconfigFile,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { TRPCError } from '@trpc/server';
import { expandHome } from '../bootstrap/operations.ts';
import { classifyProblem } from '../clusters/problems.ts';
import { InputError } from '../inventory/errors.ts';
import type {
  TenantsAddInput,
  TenantsKubeconfigInput,
  TenantsListInput,
  TenantsRemoveInput,
  TenantsRevokeInput,
} from './schema.ts';
import type { TenantKubeconfigWritten, TenantRemoved, TenantRevoked, TenantRow } from './types.ts';

/** The API's row: the records without their ids (internal names of groups and Secrets). */
function row(view: TenantView): TenantRow {
  return {
    ...view,
    credentials: view.credentials.map(({ member, credential, issuedAt, expiresAt }) => ({
      member,
      credential,
      issuedAt,
      expiresAt,
    })),
  };
}

export interface TenantsServiceOptions {
  /** The cluster's admin kubeconfig (one context); throws NotFoundError for an unknown id. */
  credentials(clusterId: string): string;
  /** The cluster's name, for the exported kubeconfig's cluster, user and context names. */
  clusterName(clusterId: string): string;
  /** The log redactor's `register` (the exported kubeconfig's token). */
  registerSecret(plain: string): void;
  /** Where `~` points in export paths. */
  homeDir: string;
  createClient?: (kubeconfig: string) => KubeClient;
}

export class TenantsService {
  readonly #o: TenantsServiceOptions;

  constructor(options: TenantsServiceOptions) {
    this.#o = options;
  }

  list(input: TenantsListInput, signal?: AbortSignal): Promise<TenantRow[]> {
    return this.#with(input.clusterId, async (client) =>
      (await listTenants(client, signal)).map(row),
    );
  }

  /** Creates or updates the tenant; answers its row as listed afterwards. */
  add(input: TenantsAddInput, signal?: AbortSignal): Promise<TenantRow> {
    return this.#with(input.clusterId, async (client) => {
      await addTenant(client, {
        namespace: input.namespace,
        extraNamespaces: input.extraNamespaces,
        quota: input.quota,
        pods: input.pods,
        ...(signal ? { signal } : {}),
      });
      const rows = await listTenants(client, signal);
      const added = rows.find((r) => r.namespace === input.namespace);
      return added
        ? row(added)
        : { namespace: input.namespace, namespaces: [input.namespace], credentials: [] };
    });
  }

  kubeconfig(
    input: TenantsKubeconfigInput,
    signal?: AbortSignal,
  ): Promise<TenantKubeconfigWritten> {
    return this.#with(input.clusterId, async (client) => {
      const exported = await tenantKubeconfig(client, {
        namespace: input.namespace,
        member: input.member,
        credential: input.credential,
        expiresSeconds: input.expiresSeconds,
        clusterName: this.#o.clusterName(input.clusterId),
        ...(signal ? { signal } : {}),
      });
      this.#o.registerSecret(exported.kubeconfig);
      const file = expandHome(input.path.trim(), this.#o.homeDir);
      // An existing kubeconfig is merged, an empty file needs the confirmation, anything else
      // is refused (KubeconfigTargetError: a 400 on `path`, or 412 asking to confirm).
      const written = await writeKubeconfigFile(file, exported.kubeconfig, {
        confirmPlainFile: input.confirmPlainFile === true,
      });
      return {
        path: written.path,
        merged: written.merged,
        context: exported.context,
        contexts: exported.contexts,
        member: exported.member,
        credential: exported.credential,
        expiresAt: exported.expiresAt,
      };
    });
  }

  revoke(input: TenantsRevokeInput, signal?: AbortSignal): Promise<TenantRevoked> {
    return this.#with(input.clusterId, async (client) => {
      if (input.member === undefined) {
        await revokeTenant(client, input.namespace, signal);
        return { namespace: input.namespace };
      }
      await revokeMember(client, {
        namespace: input.namespace,
        member: input.member,
        ...(signal ? { signal } : {}),
      });
      return { namespace: input.namespace, member: input.member };
    });
  }

  /** Removes the tenant; deletes only the namespaces named in `deleteNamespaces`. */
  remove(input: TenantsRemoveInput, signal?: AbortSignal): Promise<TenantRemoved> {
    return this.#with(input.clusterId, async (client) => {
      const done = await removeTenant(client, {
        namespace: input.namespace,
        deleteNamespaces: input.deleteNamespaces,
        ...(signal ? { signal } : {}),
      });
      return { namespace: input.namespace, ...done };
    });
  }

  /** Runs `fn` with the cluster's admin client; maps tenant and cluster refusals to API errors. */
  async #with<T>(clusterId: string, fn: (client: KubeClient) => Promise<T>): Promise<T> {
    const kubeconfig = this.#o.credentials(clusterId);
    const client = (this.#o.createClient ?? createKubeClient)(kubeconfig);
    try {
      return await fn(client);
    } catch (error) {
      if (error instanceof TenantInputError) {
        throw new InputError({ [error.field]: error.problem });
      }
      // Unreachable, TLS, credentials refused: the words the workspace uses for its banners.
      const problem =
        error instanceof KubeApiError && error.code !== 401
          ? undefined
          : classifyProblem(error, client.config.getCurrentCluster()?.server);
      if (problem) {
        throw new TRPCError({
          code: 'BAD_GATEWAY',
          message: `${problem.message} ${problem.remedy}`,
          cause: error,
        });
      }
      if (error instanceof KubeApiError) {
        // The cluster answered no (a policy, a quota, a kind it does not serve): say what it said.
        throw new TRPCError({
          code: 'BAD_GATEWAY',
          message: `The cluster refused: ${error.message}`,
          cause: error,
        });
      }
      throw error;
    }
  }
}
