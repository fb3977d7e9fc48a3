/**
 * `nodeless check -f cluster.yaml [--data-dir <d>] [--json]`: the onboarding check of every
 * host in a cluster file, printed as a table (or JSON). Host keys are trusted from the app's
 * store and ~/.ssh/known_hosts; an unknown key is asked about on a terminal, and otherwise
 * named with the command that trusts it. Exit codes: see {@link EXIT}.
 *
 * @see https://docs.k0sproject.io/stable/k0sctl-install/ — the k0sctl workflow this mirrors
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { checkHosts } from '@nodeless/host-bootstrap';
import { CAPACITY_MODEL } from '../onboarding/capacity-model.ts';
import type { ClusterCheckView, HostCheckView } from '../onboarding/types.ts';
import { clusterCheckView } from '../onboarding/views.ts';
import { loadClusterFile, type LoadedClusterFile } from './cluster-file.ts';
import type { CliEngine } from './deps.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { progressPrinter } from './progress.ts';
import { renderReport } from './table.ts';
import { trustCommand, trustHost } from './trust-host.ts';
import { openCliTrust, type CliTrust } from './trust-store.ts';

export interface CheckCommandOptions {
  file: string;
  dataDir?: string | undefined;
  json?: boolean | undefined;
}

export async function runCheckCommand(
  options: CheckCommandOptions,
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  const loaded = await loadClusterFile(options.file, io);
  if (!loaded) return EXIT.usage;
  const store = await openCliTrust(
    path.resolve(io.cwd, options.dataDir ?? io.defaultDataDir),
    io.homeDir,
  );
  try {
    let report = await checkOnce(loaded, store, io, engine);
    if (io.interactive && (await askToTrust(report, loaded, store, io, engine)) > 0) {
      writeLine(io.stderr, 'Checking again with the trusted keys…');
      report = await checkOnce(loaded, store, io, engine);
    }
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
    const untrusted = report.hosts.filter((h) => h.status === 'needs-trust');
    for (const h of untrusted) explainUntrusted(h, options, io);
    if (untrusted.length > 0) return EXIT.untrusted;
    return report.blocking ? EXIT.blocked : EXIT.ok;
  } finally {
    store.close();
  }
}

async function checkOnce(
  loaded: LoadedClusterFile,
  store: CliTrust,
  io: CliIo,
  engine: CliEngine,
): Promise<ClusterCheckView> {
  const startedAt = new Date(io.now()).toISOString();
  const printer = progressPrinter(io.stderr, io.stderrIsTty);
  const result = await checkHosts(
    loaded.specs,
    {
      ...engine.checkOptions,
      capacityModel: CAPACITY_MODEL,
      sandbox: loaded.file.spec.sandbox,
      connect: engine.connectDeps(),
      trust: store.trust,
      now: io.now,
    },
    (e) => printer.onProgress(e),
  );
  return clusterCheckView({
    checkId: randomUUID(),
    clusterId: loaded.file.metadata.name,
    startedAt,
    finishedAt: new Date(io.now()).toISOString(),
    hosts: loaded.meta,
    result,
  });
}

/** Asks about each first-contact key; returns how many were trusted. Changed keys are never offered. */
async function askToTrust(
  report: ClusterCheckView,
  loaded: LoadedClusterFile,
  store: CliTrust,
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  const unknown = report.hosts.filter(
    (h) => h.status === 'needs-trust' && h.hostKey?.status === 'unknown',
  );
  if (unknown.length === 0) return 0;
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  let trusted = 0;
  try {
    for (const h of unknown) {
      const key = h.hostKey;
      const spec = loaded.specs.find((s) => s.name === h.hostId);
      if (!key || !spec) continue;
      writeLine(
        io.stderr,
        `${h.hostId} presented a host key never seen before (${key.keyType}). Compare it with ` +
          '`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the machine itself.',
      );
      const answer = await rl.question(`Trust ${key.fingerprint} for host ${h.hostId}? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) continue;
      if (await trustHost(spec, key.fingerprint, false, { trust: store.trust, engine, io }))
        trusted += 1;
    }
  } finally {
    rl.close();
  }
  return trusted;
}

function explainUntrusted(h: HostCheckView, options: CheckCommandOptions, io: CliIo): void {
  const key = h.hostKey;
  if (!key) return;
  const replace = key.status === 'changed';
  let command = trustCommand(options.file, h.hostId, key.fingerprint, replace);
  if (options.dataDir) command += ` --data-dir ${options.dataDir}`;
  writeLine(
    io.stderr,
    replace
      ? `The host key of ${h.hostId} CHANGED: trusted ${key.knownFingerprints.join(', ') || 'none'}, ` +
          `presented now ${key.fingerprint}. If the machine was reinstalled, re-trust it deliberately:\n  ${command}`
      : `${h.hostId} presented an unknown host key ${key.fingerprint} (${key.keyType}). ` +
          `After comparing it with the machine, trust it with:\n  ${command}`,
  );
}
