/**
 * Every cluster the workspace can open, whatever its source — installed by Nodeless (its
 * install record's kubeconfig and server members), imported from a kubeconfig (file or text),
 * or the demo (imported, source `demo`) — and the import itself. Kubeconfigs stay ENCRYPTED in
 * `secrets`; every plaintext handled here is registered with the log redactor first (the API
 * logs each call's input, and a pasted kubeconfig is input).
 *
 * A cluster imported from a file remembers the file: {@link WorkspaceClusters.credentials}
 * re-reads it when its mtime changed (kubectl's users rotate credentials in place, e.g. `aws
 * eks update-kubeconfig`), so a connection picks new credentials up on its next reconnect.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { serverUrl } from '@nodeless/common';
import { InputError, NotFoundError } from '../inventory/errors.ts';
import type { ClusterImportRow } from '../store/cluster-imports.ts';
import type { Store } from '../store/store.ts';
import type { ClusterSource, KubeconfigContextChoice, WorkspaceCluster } from './contract.ts';
import {
  execPluginProblem,
  nodeFs,
  readKubeconfigFile,
  type KubeconfigFile,
  type SourceFs,
} from './kubeconfig-source.ts';
import {
  contextChoices,
  execCommandOf,
  parseKubeconfig,
  sliceKubeconfig,
  type ParsedKubeconfig,
} from './kubeconfig-text.ts';
import type { ImportKubeconfigInput, PreviewKubeconfigInput } from './schema.ts';

/** What a connection needs to reach a cluster. */
export interface ClusterCredentials {
  clusterId: string;
  /** Kubeconfig of one context (its `current-context`). */
  kubeconfig: string;
  /** Every API server, in failover order. */
  servers: string[];
  /** Changes whenever the credentials change (sha256 of the kubeconfig). */
  version: string;
}

export interface WorkspaceClustersOptions {
  store: Store;
  clock: () => Date;
  /** The log redactor's `register`. */
  registerSecret: (plain: string) => void;
  /** The user's PATH, where exec credential plugins are looked up. Default: this process's. */
  envPath?: () => string;
  fs?: SourceFs;
  /** For `~/` in paths; default the user's home. */
  home?: string;
  newId?: () => string;
  /** Called after a cluster's credentials changed or it was removed. */
  onChange?: (clusterId: string) => void;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Demo cluster's name (the views label it with common's DEMO_LABEL). */
export const DEMO_NAME = 'Demo';

/** Secret-bearing fields of a kubeconfig user, registered with the redactor one by one too. */
const USER_SECRETS = ['token', 'password', 'client-key-data', 'client-certificate-data'];

export class WorkspaceClusters {
  readonly #o: WorkspaceClustersOptions;
  readonly #fs: SourceFs;
  /** mtime of each file-imported cluster's file when it was last read. */
  readonly #mtimes = new Map<string, number>();

  constructor(options: WorkspaceClustersOptions) {
    this.#o = options;
    this.#fs = options.fs ?? nodeFs;
  }

  list(): WorkspaceCluster[] {
    const { store } = this.#o;
    const out: WorkspaceCluster[] = [];
    for (const c of store.clusters.list()) {
      const view = this.#view(c.id, c.name);
      if (view) out.push(view);
    }
    return out;
  }

  get(clusterId: string): WorkspaceCluster {
    const row = this.#o.store.clusters.get(clusterId);
    const view = row && this.#view(row.id, row.name);
    if (!view) throw new NotFoundError('cluster', clusterId);
    return view;
  }

  /** A cluster as the workspace shows it; undefined for one that has nothing to connect to yet. */
  #view(id: string, name: string): WorkspaceCluster | undefined {
    const imported = this.#o.store.clusterImports.get(id);
    if (imported) {
      return {
        id,
        name,
        source: imported.source,
        servers: this.#importServers(imported),
        context: imported.context,
      };
    }
    const install = this.#o.store.clusterInstalls.get(id);
    if (!install?.kubeconfig_secret_id) return undefined;
    return { id, name, source: 'installed', servers: this.#installServers(id) };
  }

  /** The install's server URL, then every other server member's (common's server-URL rule). */
  #installServers(clusterId: string): string[] {
    const { store } = this.#o;
    const install = store.clusterInstalls.get(clusterId);
    const servers = new Set<string>(install?.server_url ? [install.server_url] : []);
    try {
      const members = JSON.parse(install?.members ?? '{}') as { servers?: string[] };
      for (const hostId of members.servers ?? []) {
        const host = store.hosts.get(hostId);
        if (host) servers.add(serverUrl(host.address));
      }
    } catch {
      // A members column that is not JSON: the install's own server URL is still right.
    }
    return [...servers];
  }

  #importServers(row: ClusterImportRow): string[] {
    // The server is in the (encrypted) kubeconfig; the list needs no decryption for it
    // because the server URL is not secret: it is kept in the view cache below.
    return this.#serverCache.get(row.cluster_id) ?? this.#serversOf(row);
  }

  readonly #serverCache = new Map<string, string[]>();

  #serversOf(row: ClusterImportRow): string[] {
    const text = this.#o.store.secrets.reveal(row.kubeconfig_secret_id);
    const parsed = parseKubeconfig(text, 'kubeconfig');
    const choice = contextChoices(parsed).find((c) => c.name === row.context);
    const servers = choice?.server ? [choice.server] : [];
    this.#serverCache.set(row.cluster_id, servers);
    return servers;
  }

  /**
   * The cluster's credentials now. A file-imported cluster whose file changed since it was last
   * read is re-read first (a file that went away or broke keeps the stored credentials).
   */
  credentials(clusterId: string): ClusterCredentials {
    const { store } = this.#o;
    const imported = store.clusterImports.get(clusterId);
    if (imported) {
      const row = imported.file_path ? this.#refreshFromFile(imported) : imported;
      return {
        clusterId,
        kubeconfig: store.secrets.reveal(row.kubeconfig_secret_id),
        servers: this.#importServers(row),
        version: row.kubeconfig_sha256,
      };
    }
    const install = store.clusterInstalls.get(clusterId);
    if (!install?.kubeconfig_secret_id) throw new NotFoundError('cluster', clusterId);
    return {
      clusterId,
      kubeconfig: store.secrets.reveal(install.kubeconfig_secret_id),
      servers: this.#installServers(clusterId),
      version: install.kubeconfig_sha256 ?? install.kubeconfig_secret_id,
    };
  }

  /**
   * A cheap "did the credentials change?" token (no decryption; a stat for file imports):
   * connections poll it and reconnect when it differs.
   */
  credentialsVersion(clusterId: string): string | undefined {
    const { store } = this.#o;
    const imported = store.clusterImports.get(clusterId);
    if (imported) {
      if (!imported.file_path) return imported.kubeconfig_sha256;
      try {
        const mtime = this.#fs.statSync(imported.file_path).mtimeMs;
        if (mtime !== this.#mtimes.get(clusterId)) return `${imported.kubeconfig_sha256}@${mtime}`;
      } catch {
        // Gone: the stored credentials stay in use.
      }
      return imported.kubeconfig_sha256;
    }
    const install = store.clusterInstalls.get(clusterId);
    return install?.kubeconfig_sha256 ?? install?.kubeconfig_secret_id ?? undefined;
  }

  #refreshFromFile(row: ClusterImportRow): ClusterImportRow {
    const file = row.file_path as string;
    let read: KubeconfigFile;
    try {
      const mtime = this.#fs.statSync(file).mtimeMs;
      if (mtime === this.#mtimes.get(row.cluster_id)) return row;
      read = readKubeconfigFile(file, 'path', this.#fs);
    } catch {
      return row;
    }
    this.#mtimes.set(row.cluster_id, read.mtimeMs);
    this.#o.registerSecret(read.text);
    let sliced: { text: string };
    try {
      sliced = sliceKubeconfig(parseKubeconfig(read.text, 'path'), row.context, path.dirname(file));
    } catch {
      return row; // the file broke (or lost the context): keep what worked
    }
    if (sha256(sliced.text) === row.kubeconfig_sha256) return row;
    return this.#replaceKubeconfig(row, sliced.text);
  }

  #replaceKubeconfig(row: ClusterImportRow, text: string): ClusterImportRow {
    const { store } = this.#o;
    const next = store.transaction(() => {
      const secretId = store.secrets.put(text);
      const updated = { ...row, kubeconfig_secret_id: secretId, kubeconfig_sha256: sha256(text) };
      store.clusterImports.put(updated);
      store.secrets.delete(row.kubeconfig_secret_id);
      return updated;
    });
    this.#serverCache.delete(row.cluster_id);
    this.#o.onChange?.(row.cluster_id);
    return next;
  }

  /** The contexts of a kubeconfig (text or file), each with its problem if it has one. */
  preview(input: PreviewKubeconfigInput): KubeconfigContextChoice[] {
    const { parsed } = this.#read(input);
    const choices = contextChoices(parsed);
    const field = input.path === undefined ? 'text' : 'path';
    if (!choices.some((c) => c.problem === undefined)) {
      // Nothing importable: say why for the first context (a one-context file, usually).
      throw new InputError({ [field]: choices[0]?.problem ?? 'has no usable context' });
    }
    return choices;
  }

  /** Imports one context of a kubeconfig as a new cluster. */
  import(input: ImportKubeconfigInput): WorkspaceCluster {
    const { parsed, file } = this.#read(input);
    const sliced = this.#slice(parsed, input.context, file);
    const source: ClusterSource = input.demo ? 'demo' : 'imported';
    const { store, clock } = this.#o;
    if (store.clusters.findByName(input.name)) {
      throw new InputError({ name: 'is already the name of another cluster' });
    }
    const id = (this.#o.newId ?? randomUUID)();
    const now = clock().toISOString();
    store.transaction(() => {
      store.clusters.insert({ id, name: input.name, created_at: now, updated_at: now });
      store.clusterImports.put({
        cluster_id: id,
        source,
        context: input.context,
        file_path: file?.path ?? null,
        kubeconfig_secret_id: store.secrets.put(sliced.text),
        kubeconfig_sha256: sha256(sliced.text),
        imported_at: now,
      });
    });
    if (file) this.#mtimes.set(id, file.mtimeMs);
    return this.get(id);
  }

  /** Forgets an imported cluster or the demo (an installed one is reset from Machines). */
  remove(clusterId: string): void {
    const { store } = this.#o;
    if (!store.clusters.get(clusterId)) throw new NotFoundError('cluster', clusterId);
    if (!store.clusterImports.get(clusterId)) {
      throw new InputError({
        clusterId: 'is a cluster Nodeless installed: reset it from its Machines section instead',
      });
    }
    store.clusters.delete(clusterId); // the import row and its secret go with it (store.ts)
    this.forget(clusterId);
    this.#o.onChange?.(clusterId);
  }

  /** Drops what is remembered of a cluster that is gone from the store (deleted elsewhere). */
  forget(clusterId: string): void {
    this.#mtimes.delete(clusterId);
    this.#serverCache.delete(clusterId);
  }

  /**
   * Removes every demo cluster: at a start without a demo, one left from an earlier run points
   * at a kube-sim that is gone. Nothing of the user's is lost — the demo is reseeded at every
   * start that has one. Returns the removed clusters.
   */
  removeDemos(): { id: string; name: string }[] {
    const removed: { id: string; name: string }[] = [];
    for (const row of this.#o.store.clusterImports.findBySource('demo')) {
      const name = this.#o.store.clusters.get(row.cluster_id)?.name ?? DEMO_NAME;
      this.remove(row.cluster_id);
      removed.push({ id: row.cluster_id, name });
    }
    return removed;
  }

  /**
   * The demo cluster from the kubeconfig file the start script wrote: imported on first start,
   * its kubeconfig replaced (same id) when the file's differs. Returns the demo cluster.
   *
   * @throws InputError when the file cannot be read or has no usable context.
   */
  ensureDemo(file: string): WorkspaceCluster {
    const read = readKubeconfigFile(file, 'path', this.#fs);
    this.#o.registerSecret(read.text);
    const parsed = parseKubeconfig(read.text, 'path');
    const context =
      parsed.current && parsed.contexts.has(parsed.current)
        ? parsed.current
        : ([...parsed.contexts.keys()][0] as string);
    const existing = this.#o.store.clusterImports.findBySource('demo')[0];
    if (!existing) {
      return this.import({ name: DEMO_NAME, path: read.path, context, demo: true });
    }
    const sliced = this.#slice(parsed, context, read);
    this.#mtimes.set(existing.cluster_id, read.mtimeMs);
    const current = { ...existing, context, file_path: read.path };
    if (existing.context !== context || existing.file_path !== read.path) {
      this.#o.store.clusterImports.put(current);
    }
    if (sha256(sliced.text) !== existing.kubeconfig_sha256) {
      this.#replaceKubeconfig(current, sliced.text);
    }
    return this.get(existing.cluster_id);
  }

  #read(input: PreviewKubeconfigInput): { parsed: ParsedKubeconfig; file?: KubeconfigFile } {
    if (input.text !== undefined) {
      this.#o.registerSecret(input.text);
      return { parsed: this.#registered(parseKubeconfig(input.text, 'text')) };
    }
    const file = readKubeconfigFile(input.path ?? '', 'path', this.#fs, this.#o.home);
    this.#o.registerSecret(file.text);
    return { parsed: this.#registered(parseKubeconfig(file.text, 'path')), file };
  }

  /** Registers every credential of every user with the redactor. */
  #registered(parsed: ParsedKubeconfig): ParsedKubeconfig {
    for (const user of parsed.users.values()) {
      for (const key of USER_SECRETS) {
        const value = user[key];
        if (typeof value === 'string') this.#o.registerSecret(value);
      }
    }
    return parsed;
  }

  #slice(parsed: ParsedKubeconfig, context: string, file: KubeconfigFile | undefined) {
    const sliced = sliceKubeconfig(parsed, context, file ? path.dirname(file.path) : undefined);
    const command = execCommandOf(parseKubeconfig(sliced.text, 'context'), context);
    if (command !== undefined) {
      const envPath = this.#o.envPath?.() ?? process.env['PATH'] ?? '';
      const problem = execPluginProblem(command, envPath, this.#fs);
      if (problem) throw new InputError({ context: problem });
    }
    return sliced;
  }
}
