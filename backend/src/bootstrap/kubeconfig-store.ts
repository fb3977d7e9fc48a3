/**
 * The cluster's admin kubeconfig at rest: ENCRYPTED in `secrets` (through the secret box),
 * referenced from `cluster_installs` with the sha256 of the text, so "is it current?" needs
 * no decryption. The plaintext is registered with the log redactor whenever it is handled.
 */
import { createHash } from 'node:crypto';
import { serverUrl } from '@nodeless/common';
import type { Store } from '../store/store.ts';
import type { KubeconfigStore } from './compose.ts';
import type { ClusterShape } from './run-spec.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function sqliteKubeconfigStore(
  store: Store,
  clusterId: string,
  shape: ClusterShape | undefined,
): KubeconfigStore {
  return {
    isCurrent: (text) => store.clusterInstalls.get(clusterId)?.kubeconfig_sha256 === sha256(text),
    accept(text) {
      store.transaction(() => {
        const row = store.clusterInstalls.get(clusterId);
        const secretId = store.secrets.put(text);
        const members = shape
          ? { servers: shape.servers, agents: shape.agents }
          : { servers: [], agents: [] };
        store.clusterInstalls.put({
          cluster_id: clusterId,
          server_url: shape ? serverUrl(shape.serverAddress) : (row?.server_url ?? ''),
          sandbox: shape?.sandbox ?? row?.sandbox ?? '',
          k3s_version: shape?.k3sVersion ?? row?.k3s_version ?? '',
          nodes: row?.nodes ?? members.servers.length + members.agents.length,
          members: row?.members ?? JSON.stringify(members),
          kubeconfig_secret_id: secretId,
          kubeconfig_sha256: sha256(text),
          installed_at: row?.installed_at ?? null,
        });
        if (row?.kubeconfig_secret_id) store.secrets.delete(row.kubeconfig_secret_id);
      });
    },
    stored() {
      const id = store.clusterInstalls.get(clusterId)?.kubeconfig_secret_id;
      return id ? store.secrets.reveal(id) : undefined;
    },
  };
}

/** Records a finished install/add/remove: members, node count, installed time. */
export function recordMembers(
  store: Store,
  clusterId: string,
  shape: ClusterShape,
  installedAt: string,
): void {
  const row = store.clusterInstalls.get(clusterId);
  store.clusterInstalls.put({
    cluster_id: clusterId,
    server_url: serverUrl(shape.serverAddress),
    sandbox: shape.sandbox,
    k3s_version: shape.k3sVersion,
    nodes: shape.servers.length + shape.agents.length,
    members: JSON.stringify({ servers: shape.servers, agents: shape.agents }),
    kubeconfig_secret_id: row?.kubeconfig_secret_id ?? null,
    kubeconfig_sha256: row?.kubeconfig_sha256 ?? null,
    installed_at: row?.installed_at ?? installedAt,
  });
}

/** After a reset: the install record and its kubeconfig are gone. */
export function forgetInstall(store: Store, clusterId: string): void {
  store.transaction(() => {
    const row = store.clusterInstalls.get(clusterId);
    store.clusterInstalls.delete(clusterId);
    if (row?.kubeconfig_secret_id) store.secrets.delete(row.kubeconfig_secret_id);
  });
}
