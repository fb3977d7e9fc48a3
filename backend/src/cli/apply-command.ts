/**
 * `nodeless apply -f cluster.yaml [--dry-run]`: check the file's hosts (same trust rules as
 * `nodeless check`: an unknown key exits 3 with the trust command), then preview (dry run:
 * per host what will change and what is in place) or run the install with the same engine
 * and journal as the app. A failed or interrupted earlier run of the same cluster is resumed.
 * While a run of the cluster is in flight (in the app or another `nodeless` process sharing
 * the data dir), `apply` stops at once naming that run and its process.
 * Progress: an updating line per host on a TTY, plain `host step state description` lines
 * otherwise. Exit 1 on failure, with each error and its remedy.
 *
 * @see https://docs.k0sproject.io/stable/k0sctl-install/ — `k0sctl apply`, which this mirrors
 */
import path from 'node:path';
import { loadBundle } from '../bootstrap/engine.ts';
import { DEFAULT_K3S_VERSION, installBlockers } from '../bootstrap/defaults.ts';
import type { RunSpec } from '../bootstrap/run-spec.ts';
import type { InstallOptions } from '../bootstrap/schema.ts';
import { shapeFromOptions } from '../bootstrap/shape.ts';
import type { BootstrapStreamEvent, RunView } from '../bootstrap/types.ts';
import { RunInFlightError } from '../store/run-owner.ts';
import { loadClusterFile, type LoadedClusterFile } from './cluster-file.ts';
import type { CliEngine } from './deps.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { openBootstrapSession, type BootstrapSession } from './bootstrap-session.ts';
import { trustCommand } from './trust-host.ts';

export interface ApplyCommandOptions {
  file: string;
  dryRun?: boolean | undefined;
  dataDir?: string | undefined;
}

/**
 * The file's install options in the engine's terms: `sandbox` (microvm | gvisor | auto), the k3s
 * version (file, bundle, or the pinned default) and the artifacts (airgap bundle, or online with
 * the Kata release and its sha256 when the file names them).
 */
export async function installOptions(
  loaded: LoadedClusterFile,
  io: CliIo,
): Promise<InstallOptions> {
  const spec = loaded.file.spec;
  const bundle =
    spec.artifacts?.mode === 'airgap' && spec.artifacts.bundlePath
      ? path.resolve(io.cwd, spec.artifacts.bundlePath)
      : undefined;
  const k3sVersion =
    spec.k3s?.version ??
    (bundle ? (await loadBundle(bundle)).manifest.versions.k3s : DEFAULT_K3S_VERSION);
  return {
    servers: loaded.specs.filter((s) => s.role === 'server').map((s) => s.name),
    agents: loaded.specs.filter((s) => s.role === 'agent').map((s) => s.name),
    sandbox: spec.sandbox === 'microvm' ? 'kata-clh' : spec.sandbox,
    k3sVersion,
    artifacts: bundle
      ? { kind: 'bundle', path: bundle }
      : {
          kind: 'online',
          ...(spec.artifacts?.kataVersion ? { kataVersion: spec.artifacts.kataVersion } : {}),
          ...(spec.artifacts?.kataSha256 ? { kataSha256: spec.artifacts.kataSha256 } : {}),
        },
  };
}

/** Checks the hosts; returns an exit code when they cannot be installed. */
export async function checkOrExplain(
  session: BootstrapSession,
  options: { file: string; dataDir?: string | undefined },
  io: CliIo,
): Promise<number | undefined> {
  const report = await session.check();
  const untrusted = report.hosts.filter((h) => h.status === 'needs-trust');
  for (const h of untrusted) {
    const key = h.hostKey;
    if (!key) continue;
    let command = trustCommand(options.file, h.hostId, key.fingerprint, key.status === 'changed');
    if (options.dataDir) command += ` --data-dir ${options.dataDir}`;
    writeLine(
      io.stderr,
      `${h.hostId} presented ${key.status === 'changed' ? 'a CHANGED' : 'an unknown'} host key ${key.fingerprint}. After comparing it with the machine, trust it with:\n  ${command}`,
    );
  }
  if (untrusted.length > 0) return EXIT.untrusted;
  const blockers = installBlockers(
    report,
    session.service.hosts(session.clusterId),
    session.service.installedMembers(session.clusterId),
  );
  if (blockers.length > 0) {
    writeLine(io.stderr, 'The cluster cannot be installed yet:');
    for (const b of blockers) writeLine(io.stderr, `  ${b}`);
    return EXIT.blocked;
  }
  return undefined;
}

export async function runApplyCommand(
  options: ApplyCommandOptions,
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  const loaded = await loadClusterFile(options.file, io);
  if (!loaded) return EXIT.usage;
  const session = openBootstrapSession(loaded, options.dataDir, io, engine);
  try {
    // Before the hosts are checked: a second install must not even probe machines that
    // another process is installing right now.
    const busy = options.dryRun ? undefined : refuseWhileBusy(session, io);
    if (busy !== undefined) return busy;
    const stop = await checkOrExplain(session, options, io);
    if (stop !== undefined) return stop;
    const { service, clusterId } = session;
    const shape = shapeFromOptions(
      await installOptions(loaded, io),
      service.hosts(clusterId),
      service.report(clusterId),
    );
    const spec: RunSpec = { kind: 'install', shape };
    if (options.dryRun) {
      const preview = await service.preview(clusterId, spec);
      for (const item of preview.items) {
        const mark = item.willChange ? 'change' : 'in place';
        io.stdout.write(
          `${item.hostLabel ?? '(cluster)'}\t${mark}\t${item.title} — ${item.detail}\n`,
        );
      }
      writeLine(io.stdout, `${preview.changes} to change, ${preview.unchanged} in place.`);
      return EXIT.ok;
    }
    return await runAndReport(session, spec, io);
  } finally {
    await session.close();
  }
}

/** Starts (or resumes an unfinished run of the same spec), prints progress, waits. */
export async function runAndReport(
  session: BootstrapSession,
  spec: RunSpec,
  io: CliIo,
): Promise<number> {
  const { service, clusterId } = session;
  const controller = new AbortController();
  const feed = service.subscribe(clusterId, controller.signal);
  const printer = runPrinter(io);
  const latest = service.latestRun(clusterId);
  const resumable =
    latest &&
    ['failed', 'cancelled', 'interrupted'].includes(latest.state) &&
    service.store.runs.get(latest.id)?.spec === JSON.stringify(spec);
  let started: { runId: string };
  try {
    started = resumable ? service.resume(latest.id) : service.start(clusterId, spec);
  } catch (error) {
    controller.abort();
    if (!(error instanceof RunInFlightError)) throw error;
    writeLine(io.stderr, error.message);
    return EXIT.blocked;
  }
  const { runId } = started;
  if (resumable) writeLine(io.stderr, `Resuming run ${runId}.`);
  let final: RunView | undefined;
  for await (const event of feed) {
    printer(event);
    if (
      event.type === 'run.finished' &&
      event.run.id === runId &&
      event.run.state !== 'interrupted'
    ) {
      final = event.run;
      break;
    }
  }
  controller.abort();
  await service.settled(runId);
  final ??= service.runView(runId);
  if (final.state === 'succeeded') {
    writeLine(
      io.stderr,
      final.changed.length === 0
        ? 'Nothing to change: every step was already in place.'
        : `Done: ${final.changed.length} step(s) changed.`,
    );
    return EXIT.ok;
  }
  writeLine(io.stderr, `The run ${final.state}.`);
  for (const f of final.failed) {
    writeLine(io.stderr, `  ${f.hostId ?? 'cluster'} ${f.step}: ${f.message}`);
    if (f.remedy) writeLine(io.stderr, `    What to do: ${f.remedy}`);
  }
  writeLine(io.stderr, 'Run the same command again to resume from the first unfinished step.');
  return EXIT.blocked;
}

/** Exit code (after saying why) when the cluster has a run in flight; undefined when idle. */
export function refuseWhileBusy(session: BootstrapSession, io: CliIo): number | undefined {
  try {
    session.service.assertIdle(session.clusterId);
    return undefined;
  } catch (error) {
    if (!(error instanceof RunInFlightError)) throw error;
    writeLine(io.stderr, error.message);
    return EXIT.blocked;
  }
}

/** TTY: one redrawn line per host; otherwise one plain line per state change. */
function runPrinter(io: CliIo): (event: BootstrapStreamEvent) => void {
  const tty = io.stderrIsTty;
  const order: string[] = [];
  const lines = new Map<string, string>();
  let onScreen = 0;
  return (event) => {
    if (event.type !== 'run.step') return;
    const e = event.event;
    const host = e.host ?? 'cluster';
    const text = `${host} ${e.step} ${e.state} ${e.description}`;
    if (!tty) {
      if (e.state !== 'pending') io.stderr.write(`${text}\n`);
      return;
    }
    if (!lines.has(host)) order.push(host);
    lines.set(host, `[${e.current}/${e.max}] ${text}`);
    let out = onScreen > 0 ? `\x1b[${onScreen}A` : '';
    for (const h of order) out += `\r\x1b[2K${lines.get(h) ?? ''}\n`;
    onScreen = order.length;
    io.stderr.write(out);
  };
}
