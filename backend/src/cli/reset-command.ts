/**
 * `nodeless reset -f cluster.yaml [--yes]`: uninstall k3s and the sandbox runtime from every
 * host of the file. On a terminal it asks for the cluster name; without one, `--yes` is
 * required (a destructive command never runs on a guess).
 */
import { createInterface } from 'node:readline/promises';
import { loadClusterFile } from './cluster-file.ts';
import type { CliEngine } from './deps.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { runAndReport } from './apply-command.ts';
import { openBootstrapSession } from './bootstrap-session.ts';

export interface ResetCommandOptions {
  file: string;
  yes?: boolean | undefined;
  dataDir?: string | undefined;
}

export async function runResetCommand(
  options: ResetCommandOptions,
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  const loaded = await loadClusterFile(options.file, io);
  if (!loaded) return EXIT.usage;
  const name = loaded.file.metadata.name;
  if (!options.yes) {
    if (!io.interactive) {
      writeLine(
        io.stderr,
        `Refusing to reset "${name}" without a terminal to confirm: pass --yes.`,
      );
      return EXIT.usage;
    }
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
    const answer = await rl
      .question(
        `This uninstalls k3s and the sandbox runtime from every host. Type the cluster name (${name}) to confirm: `,
      )
      .finally(() => rl.close());
    if (answer.trim() !== name) {
      writeLine(io.stderr, 'The name did not match; nothing was changed.');
      return EXIT.usage;
    }
  }
  const session = openBootstrapSession(loaded, options.dataDir, io, engine);
  try {
    const hostIds = session.service.hosts(session.clusterId).map((h) => h.id);
    return await runAndReport(session, { kind: 'reset', hostIds }, io);
  } finally {
    await session.close();
  }
}
