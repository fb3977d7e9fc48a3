/**
 * A tenant's namespaces and the record of its members' kubeconfigs, in the cluster: reading
 * them, and changing the record together with the RoleBindings it drives (./access.ts).
 *
 * The record lives on the home namespace's RoleBinding and is changed with its
 * resourceVersion as a precondition (server-side apply refuses a stale one with 409), so two
 * exports at once do not lose each other's entry: the loser reads again and retries. The other
 * namespaces' RoleBindings then get the same subjects.
 *
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#using-server-side-apply-in-a-controller
 */
import type { V1Namespace, V1RoleBinding } from '@kubernetes/client-node';
import { isConflict, RESOURCES, type KubeClient } from '../client.ts';
import {
  CREDENTIALS_ANNOTATION,
  liveCredentialRecords,
  parseCredentialRecords,
  TENANT_BINDING,
  tenantBindingObject,
  type CredentialRecord,
} from './access.ts';
import { assertTenantNamespace, TenantInputError } from './names.ts';
import { TENANT_LABEL } from './objects.ts';

/** The tenant's namespaces, its home namespace (named like the tenant) first. */
export async function tenantNamespaces(
  client: KubeClient,
  tenant: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const { items } = await client.list<V1Namespace>(RESOURCES.namespaces, {
    labelSelector: `${TENANT_LABEL}=${tenant}`,
    signal,
  });
  const names = items.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
  return [...names.filter((n) => n === tenant), ...names.filter((n) => n !== tenant).sort()];
}

/** Throws a field error on `namespace` unless `tenant` is a tenant; answers its namespaces. */
export async function requireTenant(
  client: KubeClient,
  tenant: string,
  signal?: AbortSignal,
): Promise<string[]> {
  assertTenantNamespace(tenant);
  const ns = await client.get<V1Namespace>(RESOURCES.namespaces, tenant, undefined, signal);
  if (ns?.metadata?.labels?.[TENANT_LABEL] !== tenant) {
    throw new TenantInputError(
      'namespace',
      `"${tenant}" is not a tenant of this cluster; add it first (nodeless tenant add)`,
    );
  }
  return tenantNamespaces(client, tenant, signal);
}

/** The live records of what was handed out for `tenant`. */
export async function readCredentialRecords(
  client: KubeClient,
  tenant: string,
  now: Date,
  signal?: AbortSignal,
): Promise<CredentialRecord[]> {
  const rb = await client.get<V1RoleBinding>(
    RESOURCES.roleBindings,
    TENANT_BINDING,
    tenant,
    signal,
  );
  return liveCredentialRecords(
    parseCredentialRecords(rb?.metadata?.annotations?.[CREDENTIALS_ANNOTATION]),
    now,
  );
}

export interface UpdateRecordsOptions {
  tenant: string;
  namespaces: string[];
  /** The new list from the live one (expired records are dropped first). */
  update: (live: CredentialRecord[]) => CredentialRecord[];
  now: Date;
  signal?: AbortSignal | undefined;
}

/** Changes the record and applies the RoleBindings of every namespace to match; the new list. */
export async function updateCredentialRecords(
  client: KubeClient,
  o: UpdateRecordsOptions,
): Promise<CredentialRecord[]> {
  const { tenant, signal } = o;
  for (let attempt = 0; ; attempt++) {
    const rb = await client.get<V1RoleBinding>(
      RESOURCES.roleBindings,
      TENANT_BINDING,
      tenant,
      signal,
    );
    const live = liveCredentialRecords(
      parseCredentialRecords(rb?.metadata?.annotations?.[CREDENTIALS_ANNOTATION]),
      o.now,
    );
    const records = o.update(live);
    const home = tenantBindingObject(tenant, tenant, records);
    const resourceVersion = rb?.metadata?.resourceVersion;
    try {
      await client.apply(
        {
          ...home,
          metadata: { ...home.metadata, ...(resourceVersion ? { resourceVersion } : {}) },
        },
        { signal },
      );
    } catch (e) {
      if (isConflict(e) && attempt < 5) continue;
      throw e;
    }
    for (const ns of o.namespaces) {
      if (ns !== tenant) await client.apply(tenantBindingObject(ns, tenant, records), { signal });
    }
    return records;
  }
}
