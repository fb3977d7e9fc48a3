/**
 * What `bootstrap.*` does, on top of {@link BootstrapService}: install options and their
 * defaults, start with the check report's blockers (412), the day-2 runs, the install view,
 * logs, and the kubeconfig export (written 0600; never returned in a response).
 *
 * @see ../api/routers/bootstrap.ts — the API procedures that call these operations
 */
import os from 'node:os';
import path from 'node:path';
import { namespaceKubeconfig, writeKubeconfigFile } from '@nodeless/cluster-runtime';
import { InputError } from '../inventory/errors.ts';
import { assertManaged } from '../inventory/managed.ts';
import { installDefaults, installBlockers } from './defaults.ts';
import { PreconditionError } from './errors.ts';
import { sqliteKubeconfigStore } from './kubeconfig-store.ts';
import type { RunSpec } from './run-spec.ts';
import type { BootstrapService } from './service.ts';
import { shapeFromOptions } from './shape.ts';
import type { ExportKubeconfigInput, InstallOptions, LogsInput } from './schema.ts';
import type { ClusterInstallRow } from '../store/cluster-installs.ts';
import type {
  ClusterInstallView,
  ClusterMembersView,
  InstallOptionsView,
  LogLineView,
  PreviewView,
} from './types.ts';

export class BootstrapOperations {
  constructor(
    readonly service: BootstrapService,
    /** Registers a plaintext secret with the log redactor. */
    private readonly registerSecret: (plain: string) => void,
    /** The desktop user's home, for `~/…` export paths. */
    private readonly homeDir: string = os.homedir(),
  ) {}

  defaults(clusterId: string): InstallOptionsView {
    this.service.cluster(clusterId);
    return installDefaults(this.service.report(clusterId), this.service.hosts(clusterId));
  }

  #installSpec(clusterId: string, options: InstallOptions): RunSpec {
    const hosts = this.service.hosts(clusterId);
    const report = this.service.report(clusterId);
    return { kind: 'install', shape: shapeFromOptions(options, hosts, report) };
  }

  preview(clusterId: string, options: InstallOptions): Promise<PreviewView> {
    this.#managed(clusterId, 'install onto it');
    return this.service.preview(clusterId, this.#installSpec(clusterId, options));
  }

  start(clusterId: string, options: InstallOptions): { runId: string } {
    this.#managed(clusterId, 'install onto it');
    const spec = this.#installSpec(clusterId, options);
    const members = new Set([...options.servers, ...options.agents]);
    const blockers = installBlockers(
      this.service.report(clusterId),
      this.service.hosts(clusterId).filter((h) => members.has(h.id)),
      this.service.installedMembers(clusterId),
    );
    if (blockers.length > 0) throw new PreconditionError('The install cannot start yet:', blockers);
    return this.service.start(clusterId, spec);
  }

  addHosts(clusterId: string, hostIds: readonly string[]): { runId: string } {
    this.#managed(clusterId, 'add machines to it');
    const shape = this.#installed(clusterId);
    const hosts = this.service.hosts(clusterId);
    const members = new Set([...shape.servers, ...shape.agents]);
    const servers = [...shape.servers];
    const agents = [...shape.agents];
    hostIds.forEach((id, i) => {
      const h = hosts.find((x) => x.id === id);
      if (!h) throw new InputError({ [`hostIds.${i}`]: `no host "${id}" in this cluster` });
      if (members.has(id)) throw new InputError({ [`hostIds.${i}`]: 'is already in the cluster' });
      members.add(id);
      (h.role === 'server' ? servers : agents).push(id);
    });
    if (servers.length % 2 === 0) {
      throw new InputError({
        hostIds: 'would make an even number of servers; etcd needs 1, 3 or 5 (add agents instead)',
      });
    }
    const blockers = installBlockers(
      this.service.report(clusterId),
      hosts.filter((h) => hostIds.includes(h.id)),
    );
    if (blockers.length > 0) throw new PreconditionError('The hosts cannot join yet:', blockers);
    return this.service.start(clusterId, {
      kind: 'add-hosts',
      shape: { ...shape, servers, agents },
      added: [...hostIds],
    });
  }

  removeHost(clusterId: string, hostId: string): { runId: string } {
    this.#managed(clusterId, 'remove machines from it');
    const shape = this.#installed(clusterId);
    if (!shape.servers.includes(hostId) && !shape.agents.includes(hostId))
      throw new InputError({ hostId: 'is not in the installed cluster' });
    if (shape.servers[0] === hostId)
      throw new InputError({
        hostId: 'is the first server; it cannot be removed (reset the cluster instead)',
      });
    if (shape.servers.includes(hostId))
      throw new InputError({
        hostId: 'is a server; removing servers would leave an even etcd quorum (not supported yet)',
      });
    return this.service.start(clusterId, { kind: 'remove-host', shape, hostId });
  }

  reset(clusterId: string, confirmName: string): { runId: string } {
    const cluster = this.#managed(clusterId, 'reset its machines');
    if (confirmName !== cluster.name)
      throw new InputError({ confirmName: `type the cluster name "${cluster.name}" to confirm` });
    const hostIds = this.service.hosts(clusterId).map((h) => h.id);
    if (hostIds.length === 0) throw new InputError({ clusterId: 'this cluster has no hosts' });
    return this.service.start(clusterId, { kind: 'reset', hostIds });
  }

  /** The cluster, when Nodeless manages its machines; else 409 saying it cannot `action`. */
  #managed(clusterId: string, action: string) {
    const cluster = this.service.cluster(clusterId);
    assertManaged(this.service.store, cluster, action);
    return cluster;
  }

  clusterView(clusterId: string): ClusterInstallView {
    this.service.cluster(clusterId);
    return installView(this.service.store.clusterInstalls.get(clusterId));
  }

  logs(input: LogsInput): { lines: LogLineView[] } {
    const run = this.service.runView(input.runId);
    let steps: string[] | undefined;
    if (input.step !== undefined) steps = [input.step];
    if (input.hostId !== undefined) {
      const ofHost = run.steps.filter((s) => s.hostId === input.hostId).map((s) => s.key);
      steps = steps ? steps.filter((s) => ofHost.includes(s)) : ofHost;
    }
    const lines = this.service.store.runLogs.list(input.runId, {
      ...(steps ? { steps } : {}),
      ...(input.limit ? { limit: input.limit } : {}),
    });
    return { lines };
  }

  /** Writes the stored kubeconfig (or a namespace-scoped one) to `path` with mode 0600. */
  async exportKubeconfig(input: ExportKubeconfigInput): Promise<{ path: string; context: string }> {
    const cluster = this.service.cluster(input.clusterId);
    const admin = sqliteKubeconfigStore(this.service.store, cluster.id, undefined).stored();
    if (!admin) {
      throw new PreconditionError('No kubeconfig is stored for this cluster yet.', [
        'Install the cluster first (or Resume its install).',
      ]);
    }
    let text = admin;
    let context = cluster.name;
    if (input.scope) {
      const scoped = await namespaceKubeconfig({
        adminKubeconfig: admin,
        clusterName: cluster.name,
        namespace: input.scope.namespace,
      });
      this.registerSecret(scoped.kubeconfig);
      text = scoped.kubeconfig;
      context = scoped.context;
    }
    const file = expandHome(input.path, this.homeDir);
    // An existing kubeconfig is merged, an empty file needs the confirmation, anything else
    // is refused (see writeKubeconfigFile).
    await writeKubeconfigFile(file, text, { confirmPlainFile: input.confirmPlainFile === true });
    return { path: file, context };
  }

  #installed(clusterId: string) {
    this.service.cluster(clusterId);
    const shape = this.service.installedShape(clusterId);
    if (!shape) {
      throw new PreconditionError('The cluster is not installed yet.', [
        'Install it first; hosts can be added or removed afterwards.',
      ]);
    }
    return shape;
  }
}

/** `~` and `~/…` → under `home`; anything else unchanged (the schema allows only these). */
export function expandHome(file: string, home: string): string {
  if (file === '~') return home;
  return file.startsWith('~/') ? path.join(home, file.slice(2)) : file;
}

/** The install record as the API shows it; members only while something is installed. */
export function installView(row: ClusterInstallRow | undefined): ClusterInstallView {
  if (!row) return { installed: false, kubeconfigStored: false };
  const installed = row.installed_at !== null;
  return {
    installed,
    kubeconfigStored: row.kubeconfig_secret_id !== null,
    serverUrl: row.server_url,
    nodes: row.nodes,
    sandbox: row.sandbox,
    k3sVersion: row.k3s_version,
    ...(installed ? { members: JSON.parse(row.members) as ClusterMembersView } : {}),
  };
}
