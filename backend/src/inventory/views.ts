/**
 * Row → API view mapping. This is where secrets become booleans (`passwordSet`): nothing
 * below this line is ever serialised to a client.
 */
import type { ClusterSource } from '../clusters/contract.ts';
import type { ClusterRow } from '../store/clusters.ts';
import type { HostRow } from '../store/hosts.ts';
import type { ClusterView, HostAuthView, HostSudoView, HostView } from './types.ts';

export function hostView(row: HostRow): HostView {
  return {
    id: row.id,
    clusterId: row.cluster_id,
    address: row.address,
    port: row.port,
    user: row.user,
    role: row.role,
    auth: authView(row),
    sudo: sudoView(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function authView(row: HostRow): HostAuthView {
  switch (row.auth_kind) {
    case 'key':
      return {
        kind: 'key',
        keyPath: row.key_path ?? '',
        passphraseSet: row.auth_secret_id !== null,
      };
    case 'agent':
      return { kind: 'agent' };
    case 'password':
      return { kind: 'password', passwordSet: row.auth_secret_id !== null };
  }
}

function sudoView(row: HostRow): HostSudoView {
  switch (row.sudo_kind) {
    case 'none':
      return { kind: 'none' };
    case 'passwordless':
      return { kind: 'passwordless' };
    case 'password':
      return { kind: 'password', passwordSet: row.sudo_secret_id !== null };
  }
}

export function clusterView(row: ClusterRow, hosts: HostRow[], source: ClusterSource): ClusterView {
  return {
    id: row.id,
    name: row.name,
    source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    hosts: hosts.map(hostView),
  };
}
