/**
 * Loading a cluster file for a command: read, parse and validate (field-level errors, one per
 * line), then look up the secrets named by environment variable. Hosts get unique names (the
 * address, or `address:port` when two share an address).
 *
 * @see ../../../host-bootstrap/src/cluster-file/schema.ts — the documented schema
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  formatFieldErrors,
  parseClusterFile,
  resolveFileHosts,
  type ClusterFile,
  type HostSpec,
} from '@nodeless/host-bootstrap';
import type { CheckedHostMeta } from '../onboarding/views.ts';
import { writeLine, type CliIo } from './io.ts';

export interface LoadedClusterFile {
  file: ClusterFile;
  specs: HostSpec[];
  meta: CheckedHostMeta[];
}

/** Loads `filePath`; on any problem prints it to stderr and returns undefined (exit 2). */
export async function loadClusterFile(
  filePath: string,
  io: CliIo,
): Promise<LoadedClusterFile | undefined> {
  const absolute = path.resolve(io.cwd, filePath);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    writeLine(io.stderr, `Cannot read the cluster file ${absolute} (${code}).`);
    return undefined;
  }
  const parsed = parseClusterFile(text);
  if (!parsed.ok) {
    writeLine(io.stderr, `${filePath} is not a valid cluster file:`);
    writeLine(io.stderr, formatFieldErrors(parsed.errors));
    return undefined;
  }
  const resolved = resolveFileHosts(parsed.file, io.env);
  if (!resolved.ok) {
    writeLine(io.stderr, `${filePath}: secrets are missing from the environment:`);
    writeLine(io.stderr, formatFieldErrors(resolved.errors));
    return undefined;
  }
  const seen = new Map<string, number>();
  for (const h of resolved.hosts) seen.set(h.name, (seen.get(h.name) ?? 0) + 1);
  const specs: HostSpec[] = [];
  const meta: CheckedHostMeta[] = [];
  for (const h of resolved.hosts) {
    const port = h.target.port ?? 22;
    const name = (seen.get(h.name) ?? 0) > 1 ? `${h.name}:${port}` : h.name;
    specs.push({
      name,
      role: h.role,
      target: h.target,
      secrets: h.secrets,
      ...(h.sudoPassword !== undefined ? { sudoPassword: h.sudoPassword } : {}),
    });
    meta.push({ id: name, address: h.target.host, port, role: h.role });
  }
  return { file: parsed.file, specs, meta };
}
