/**
 * `nodeless kubeconfig -f cluster.yaml [--out file]`: the stored (encrypted at rest) admin
 * kubeconfig of the cluster, to stdout or to a file written with mode 0600 (merged into an
 * existing kubeconfig; any other existing file is refused, exit 2).
 */
import path from 'node:path';
import { KubeconfigTargetError, writeKubeconfigFile } from '@nodeless/cluster-runtime';
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
    try {
      const written = await writeKubeconfigFile(out, text);
      writeLine(
        io.stderr,
        `Wrote ${written.path} (mode 0600${written.merged ? ', merged; its other contexts kept' : ''}).`,
      );
    } catch (error) {
      if (!(error instanceof KubeconfigTargetError)) throw error;
      // The reason never quotes the file; an empty file is not written from the command line.
      writeLine(io.stderr, `--out ${out} ${error.message.replace(/ Confirm to .*$/, '')}`);
      return EXIT.usage;
    }
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
