/**
 * `nodeless trust -f cluster.yaml --host <name> --fingerprint SHA256:… [--replace]`: trusts
 * the key a host of the file presents, only if it has exactly that fingerprint. The key goes
 * into the same store the app uses.
 */
import path from 'node:path';
import { loadClusterFile } from './cluster-file.ts';
import type { CliEngine } from './deps.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { trustHost } from './trust-host.ts';
import { openCliTrust } from './trust-store.ts';

export interface TrustCommandOptions {
  file: string;
  host: string;
  fingerprint: string;
  replace?: boolean | undefined;
  dataDir?: string | undefined;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export async function runTrustCommand(
  options: TrustCommandOptions,
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  if (!FINGERPRINT.test(options.fingerprint)) {
    writeLine(io.stderr, '--fingerprint: must be an OpenSSH SHA256 fingerprint (SHA256:…)');
    return EXIT.usage;
  }
  const loaded = await loadClusterFile(options.file, io);
  if (!loaded) return EXIT.usage;
  const spec = loaded.specs.find((s) => s.name === options.host);
  if (!spec) {
    writeLine(
      io.stderr,
      `--host: no host "${options.host}" in ${options.file}; hosts are: ${loaded.specs.map((s) => s.name).join(', ')}`,
    );
    return EXIT.usage;
  }
  const store = await openCliTrust(
    path.resolve(io.cwd, options.dataDir ?? io.defaultDataDir),
    io.homeDir,
  );
  try {
    const ok = await trustHost(spec, options.fingerprint, options.replace === true, {
      trust: store.trust,
      engine,
      io,
    });
    return ok ? EXIT.ok : EXIT.blocked;
  } finally {
    store.close();
  }
}
