/**
 * The inventory service: clusters and their hosts. Business rules live here (unique names,
 * key files, write-only secrets, confirmation before cascading deletes); the store only
 * persists, the API only transports. Every committed change is published on
 * {@link InventoryEvents} so all open windows converge.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { z } from 'zod';
import type { SubscribeOptions } from '../feed/types.ts';
import type { HostRow } from '../store/hosts.ts';
import type { Store } from '../store/store.ts';
import { ConfirmationRequiredError, InputError, NotFoundError } from './errors.ts';
import type { InventoryEvents } from './events.ts';
import { applySecretPlan, dropReplacedSecrets, planHostSecrets } from './host-secrets.ts';
import { checkPrivateKeyFile, expandKeyPath, type KeyFileFs } from './key-file.ts';
import { assertManaged, clusterSource } from './managed.ts';
import type {
  addHostInput,
  createClusterInput,
  deleteClusterInput,
  removeHostInput,
  renameClusterInput,
  updateHostInput,
} from './schema.ts';
import type { ClusterView, FieldErrors, HostView, InventoryEvent } from './types.ts';
import { clusterView, hostView } from './views.ts';

export interface InventoryServiceDeps {
  store: Store;
  events: InventoryEvents;
  clock: () => Date;
  newId?: () => string;
  /** Used to expand `~/` in key paths. */
  homedir?: string;
  keyFileFs?: KeyFileFs;
  /**
   * Told of every committed change after it is published (the backend tells the cluster
   * workspace: a deleted cluster's connection closes, a renamed one is renamed in its list).
   */
  onChange?: (event: InventoryEvent) => void;
}

type HostFieldsOut = Omit<z.output<typeof addHostInput>, 'clusterId'>;

export class InventoryService {
  readonly #store: Store;
  readonly #events: InventoryEvents;
  readonly #clock: () => Date;
  readonly #newId: () => string;
  readonly #homedir: string;
  readonly #keyFileFs: KeyFileFs | undefined;
  readonly #onChange: ((event: InventoryEvent) => void) | undefined;

  constructor(deps: InventoryServiceDeps) {
    this.#store = deps.store;
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#newId = deps.newId ?? randomUUID;
    this.#homedir = deps.homedir ?? os.homedir();
    this.#keyFileFs = deps.keyFileFs;
    this.#onChange = deps.onChange;
  }

  /** Every cluster with its hosts; clusters by name, hosts by creation time. */
  list(): ClusterView[] {
    const byCluster = new Map<string, HostRow[]>();
    for (const host of this.#store.hosts.listAll()) {
      const list = byCluster.get(host.cluster_id) ?? [];
      list.push(host);
      byCluster.set(host.cluster_id, list);
    }
    const imported = new Map(this.#store.clusterImports.list().map((i) => [i.cluster_id, i]));
    return this.#store.clusters
      .list()
      .map((c) =>
        clusterView(c, byCluster.get(c.id) ?? [], imported.get(c.id)?.source ?? 'installed'),
      );
  }

  /** The live feed: a snapshot, then every change, until `signal` aborts. */
  subscribe(signal: AbortSignal, options?: SubscribeOptions) {
    return this.#events.subscribe(() => this.list(), signal, options);
  }

  createCluster(input: z.output<typeof createClusterInput>): ClusterView {
    const now = this.#now();
    const id = this.#newId();
    this.#store.transaction(() => {
      this.#assertNameFree(input.name);
      uniqueName(input.name, () =>
        this.#store.clusters.insert({ id, name: input.name, created_at: now, updated_at: now }),
      );
    });
    return this.#publishCluster(id);
  }

  renameCluster(input: z.output<typeof renameClusterInput>): ClusterView {
    this.#store.transaction(() => {
      const cluster = this.#cluster(input.id);
      if (cluster.name === input.name) return;
      this.#assertNameFree(input.name);
      uniqueName(input.name, () => this.#store.clusters.rename(input.id, input.name, this.#now()));
    });
    return this.#publishCluster(input.id);
  }

  deleteCluster(input: z.output<typeof deleteClusterInput>): { id: string } {
    this.#store.transaction(() => {
      const cluster = this.#cluster(input.id);
      const hosts = this.#store.hosts.listByCluster(input.id);
      if (hosts.length > 0 && input.confirm !== true) {
        const count = hosts.length === 1 ? '1 host' : `${hosts.length} hosts`;
        throw new ConfirmationRequiredError(
          `Cluster "${cluster.name}" has ${count}. Confirm to delete it with its hosts.`,
        );
      }
      for (const host of hosts) {
        this.#store.hosts.delete(host.id);
        dropReplacedSecrets(host, undefined, this.#store.secrets);
      }
      this.#store.clusters.delete(input.id);
    });
    this.#publish({ type: 'cluster.deleted', id: input.id });
    return { id: input.id };
  }

  async addHost(input: z.output<typeof addHostInput>): Promise<HostView> {
    const { clusterId, ...fields } = input;
    assertManaged(this.#store, this.#cluster(clusterId), 'add hosts to it');
    const errors: FieldErrors = {};
    const keyPath = await this.#checkKeyPath(fields, errors);
    const id = this.#newId();
    this.#store.transaction(() => {
      assertManaged(this.#store, this.#cluster(clusterId), 'add hosts to it');
      this.#checkDuplicateAddress(clusterId, fields, undefined, errors);
      const plan = planHostSecrets(fields, undefined, errors);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const now = this.#now();
      this.#store.hosts.insert({
        ...this.#hostColumns(fields, keyPath),
        id,
        cluster_id: clusterId,
        auth_secret_id: applySecretPlan(plan.auth, this.#store.secrets),
        sudo_secret_id: applySecretPlan(plan.sudo, this.#store.secrets),
        created_at: now,
        updated_at: now,
      });
      this.#store.clusters.touch(clusterId, now);
    });
    return this.#publishHost(id);
  }

  async updateHost(input: z.output<typeof updateHostInput>): Promise<HostView> {
    const { id, ...fields } = input;
    this.#host(id);
    const errors: FieldErrors = {};
    const keyPath = await this.#checkKeyPath(fields, errors);
    this.#store.transaction(() => {
      const previous = this.#host(id);
      this.#checkDuplicateAddress(previous.cluster_id, fields, id, errors);
      const plan = planHostSecrets(fields, previous, errors);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const now = this.#now();
      const next: HostRow = {
        ...previous,
        ...this.#hostColumns(fields, keyPath),
        auth_secret_id: applySecretPlan(plan.auth, this.#store.secrets),
        sudo_secret_id: applySecretPlan(plan.sudo, this.#store.secrets),
        updated_at: now,
      };
      this.#store.hosts.update(next);
      dropReplacedSecrets(previous, next, this.#store.secrets);
      this.#store.clusters.touch(previous.cluster_id, now);
    });
    return this.#publishHost(id);
  }

  removeHost(input: z.output<typeof removeHostInput>): { id: string } {
    const clusterId = this.#store.transaction(() => {
      const host = this.#host(input.id);
      this.#store.hosts.delete(host.id);
      dropReplacedSecrets(host, undefined, this.#store.secrets);
      this.#store.clusters.touch(host.cluster_id, this.#now());
      return host.cluster_id;
    });
    this.#publishCluster(clusterId);
    return { id: input.id };
  }

  #now(): string {
    return this.#clock().toISOString();
  }

  #cluster(id: string) {
    const cluster = this.#store.clusters.get(id);
    if (!cluster) throw new NotFoundError('cluster', id);
    return cluster;
  }

  #host(id: string) {
    const host = this.#store.hosts.get(id);
    if (!host) throw new NotFoundError('host', id);
    return host;
  }

  #assertNameFree(name: string): void {
    if (this.#store.clusters.findByName(name)) {
      throw new InputError({ name: `a cluster named "${name}" already exists` });
    }
  }

  #checkDuplicateAddress(
    clusterId: string,
    fields: HostFieldsOut,
    selfId: string | undefined,
    errors: FieldErrors,
  ): void {
    const clash = this.#store.hosts
      .listByCluster(clusterId)
      .find((h) => h.id !== selfId && h.address === fields.address && h.port === fields.port);
    if (clash) errors.address = `this cluster already has a host at ${clash.address}:${clash.port}`;
  }

  /** Validates `auth.keyPath` against the filesystem; returns the absolute path to store. */
  async #checkKeyPath(fields: HostFieldsOut, errors: FieldErrors): Promise<string | null> {
    if (fields.auth.kind !== 'key') return null;
    const expanded = expandKeyPath(fields.auth.keyPath, this.#homedir);
    if ('error' in expanded) {
      errors['auth.keyPath'] = expanded.error;
      return null;
    }
    const problem = await checkPrivateKeyFile(expanded.path, { io: this.#keyFileFs });
    if (problem) errors['auth.keyPath'] = problem;
    return expanded.path;
  }

  #hostColumns(fields: HostFieldsOut, keyPath: string | null) {
    return {
      address: fields.address,
      port: fields.port,
      user: fields.user,
      role: fields.role,
      auth_kind: fields.auth.kind,
      key_path: keyPath,
      sudo_kind: fields.sudo.kind,
    };
  }

  #publishCluster(id: string): ClusterView {
    const row = this.#cluster(id);
    const view = clusterView(
      row,
      this.#store.hosts.listByCluster(id),
      clusterSource(this.#store, id),
    );
    this.#publish({ type: 'cluster.upserted', cluster: view });
    return view;
  }

  #publish(event: InventoryEvent): void {
    this.#events.publish(event);
    this.#onChange?.(event);
  }

  #publishHost(id: string): HostView {
    const host = this.#host(id);
    this.#publishCluster(host.cluster_id);
    return hostView(host);
  }
}

/**
 * Another process (a second backend on the same data dir) can take a name between our check
 * and our write; SQLite's UNIQUE constraint then decides, and the user sees the same field error.
 */
function uniqueName(name: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new InputError({ name: `a cluster named "${name}" already exists` });
    }
    throw error;
  }
}
