/**
 * What `apply`, `reset` and `kubeconfig` share: the app's data dir (same SQLite journal,
 * same encrypted secrets, same trusted host keys), the cluster row named after the file's
 * `metadata.name` (created on first use, so the app shows CLI runs too), a check of the
 * file's hosts (same trust rules as `nodeless check`), and a {@link BootstrapService} whose
 * hosts come from the file (secrets from the environment, in memory only).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { checkHosts, loadUserKnownHosts } from '@nodeless/host-bootstrap';
import { BootstrapEvents } from '../bootstrap/events.ts';
import type { BootstrapHost } from '../bootstrap/hosts.ts';
import { BootstrapService } from '../bootstrap/service.ts';
import { DATABASE_FILE, prepareDataDir } from '../data-dir.ts';
import { Redactor } from '@nodeless/common';
import { CAPACITY_MODEL } from '../onboarding/capacity-model.ts';
import type { ClusterCheckView } from '../onboarding/types.ts';
import { clusterCheckView } from '../onboarding/views.ts';
import { openFileSecretBox } from '../secrets/secret-box.ts';
import { processOwner } from '../store/process-probe.ts';
import { openStore, type Store } from '../store/store.ts';
import type { LoadedClusterFile } from './cluster-file.ts';
import type { CliEngine } from './deps.ts';
import type { CliIo } from './io.ts';
import { progressPrinter } from './progress.ts';

export interface BootstrapSession {
  store: Store;
  service: BootstrapService;
  clusterId: string;
  redactor: Redactor;
  /** Runs the onboarding check of the file's hosts (progress on stderr). */
  check(): Promise<ClusterCheckView>;
  close(): Promise<void>;
}

export function fileHosts(loaded: LoadedClusterFile): BootstrapHost[] {
  return loaded.specs.map((spec) => ({
    id: spec.name,
    label: spec.name,
    address: spec.target.host,
    role: spec.role,
    spec,
  }));
}

export function openBootstrapSession(
  loaded: LoadedClusterFile,
  dataDir: string | undefined,
  io: CliIo,
  engine: CliEngine,
): BootstrapSession {
  const dir = path.resolve(io.cwd, dataDir ?? io.defaultDataDir);
  prepareDataDir(dir);
  const redactor = new Redactor();
  for (const s of loaded.specs) {
    for (const v of [s.secrets?.password, s.secrets?.passphrase, s.sudoPassword])
      if (v) redactor.register(v);
  }
  const clock = () => new Date(io.now());
  const store = openStore({
    file: path.join(dir, DATABASE_FILE),
    box: openFileSecretBox({ dataDir: dir }),
    onSecret: (plain) => redactor.register(plain),
    clock,
    // Runs started here are the CLI's: the app (or another CLI) sharing this data dir leaves
    // them alone while this process lives, and names it when it refuses a second run.
    owner: processOwner('cli'),
  });
  const name = loaded.file.metadata.name;
  let cluster = store.clusters.findByName(name);
  if (!cluster) {
    const now = clock().toISOString();
    cluster = { id: randomUUID(), name, created_at: now, updated_at: now };
    store.clusters.insert(cluster);
  }
  const clusterId = cluster.id;
  let report: ClusterCheckView | null = null;
  const hosts = fileHosts(loaded);
  const service = new BootstrapService({
    store,
    events: new BootstrapEvents(),
    engine: {
      connectDeps: () => engine.connectDeps(),
      userKnownHosts: () => loadUserKnownHosts(io.homeDir),
      options: engine.bootstrapOptions ?? {},
    },
    clock,
    logger: { log: () => undefined },
    redact: (text) => redactor.redact(text),
    registerSecret: (plain) => redactor.register(plain),
    hosts: () => hosts,
    report: () => report,
  });
  return {
    store,
    service,
    clusterId,
    redactor,
    async check() {
      const startedAt = clock().toISOString();
      const printer = progressPrinter(io.stderr, io.stderrIsTty);
      const result = await checkHosts(
        loaded.specs,
        {
          ...engine.checkOptions,
          capacityModel: CAPACITY_MODEL,
          sandbox: loaded.file.spec.sandbox,
          connect: engine.connectDeps(),
          trust: {
            store: store.knownHostKeys,
            knownHosts: await loadUserKnownHosts(io.homeDir),
          },
          now: io.now,
        },
        (e) => printer.onProgress(e),
      );
      report = clusterCheckView({
        checkId: randomUUID(),
        clusterId,
        startedAt,
        finishedAt: clock().toISOString(),
        hosts: loaded.meta,
        result,
      });
      return report;
    },
    async close() {
      await service.close();
      store.close();
    },
  };
}
