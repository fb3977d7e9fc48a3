/**
 * `nodeless kubeconfig -f cluster.yaml [--out file]`: the stored (encrypted at rest) admin
 * kubeconfig of the cluster, to stdout or to a file written with mode 0600.
 */
import path from 'node:path';
import { writeKubeconfigFile } from '@nodeless/cluster-runtime';
import { sqliteKubeconfigStore } from '../bootstrap/kubeconfig-store.ts';
import { loadClusterFile } from './cluster-file.ts';
import type { CliEngine } from './deps.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { openBootstrapSession } from './bootstrap-session.ts';

export interface KubeconfigCommandOptions {
  file: string;
  out?: string | undefined;
  dataDir?: string | undefined;
}

export async function runKubeconfigCommand(
  options: KubeconfigCommandOptions,
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  const loaded = await loadClusterFile(options.file, io);
  if (!loaded) return EXIT.usage;
  const session = openBootstrapSession(loaded, options.dataDir, io, engine);
  try {
    const text = sqliteKubeconfigStore(session.store, session.clusterId, undefined).stored();
    if (!text) {
      writeLine(
        io.stderr,
        `No kubeconfig is stored for "${loaded.file.metadata.name}". Install it first: nodeless apply -f ${options.file}`,
      );
      return EXIT.blocked;
    }
    if (options.out === undefined) {
      io.stdout.write(text);
      return EXIT.ok;
    }
    const out = path.resolve(io.cwd, options.out);
    await writeKubeconfigFile(out, text);
    writeLine(io.stderr, `Wrote ${out} (mode 0600).`);
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
