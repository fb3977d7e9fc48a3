/**
 * Inventory records as the API returns them. Secrets never leave the backend: a host only
 * says whether a passphrase or password is stored (`…Set: true`).
 */
import type { ClusterSource } from '../clusters/contract.ts';
import type { HostRole } from './schema.ts';

export type HostAuthView =
  | { kind: 'key'; keyPath: string; passphraseSet: boolean }
  | { kind: 'agent' }
  | { kind: 'password'; passwordSet: boolean };

export type HostSudoView =
  { kind: 'none' } | { kind: 'passwordless' } | { kind: 'password'; passwordSet: boolean };

export interface HostView {
  id: string;
  clusterId: string;
  address: string;
  port: number;
  user: string;
  role: HostRole;
  auth: HostAuthView;
  sudo: HostSudoView;
  createdAt: string;
  updatedAt: string;
}

export interface ClusterView {
  id: string;
  name: string;
  /**
   * `installed`: a cluster Nodeless manages with machines (created here; installed or not yet).
   * `imported` (from a kubeconfig) and `demo`: Nodeless only watches them — they have no hosts,
   * and host, check and install operations on them are refused (409), so the window offers
   * none of them there.
   */
  source: ClusterSource;
  createdAt: string;
  updatedAt: string;
  hosts: HostView[];
}

/** Pushed to every connected window so all of them stay in sync without reloading. */
export type InventoryEvent =
  | { type: 'snapshot'; clusters: ClusterView[] }
  | { type: 'cluster.upserted'; cluster: ClusterView }
  | { type: 'cluster.deleted'; id: string };

/** Field-level error detail carried by every 400 (`BAD_REQUEST`) the API returns. */
export interface FieldErrors {
  /** Dotted path of the offending field (e.g. `auth.keyPath`) → human message. */
  [field: string]: string;
}
