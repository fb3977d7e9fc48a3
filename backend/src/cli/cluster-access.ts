/**
 * The admin kubeconfig of any cluster in the data dir, by name (`--cluster`) or by a cluster
 * file's `metadata.name` (`-f`): installed clusters' and imported ones' alike, through the
 * workspace's {@link WorkspaceClusters.credentials} (the same credentials the app connects
 * with). Secrets revealed here are registered with the redactor and never printed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseClusterFile } from '@nodeless/host-bootstrap';
import { Redactor } from '@nodeless/common';
import { WorkspaceClusters } from '../clusters/workspace-clusters.ts';
import { DATABASE_FILE, prepareDataDir } from '../data-dir.ts';
import { openFileSecretBox } from '../secrets/secret-box.ts';
import { processOwner } from '../store/process-probe.ts';
import { openStore, type Store } from '../store/store.ts';
import type { CliIo } from './io.ts';

export interface ClusterSelector {
  cluster?: string | undefined;
  file?: string | undefined;
  dataDir?: string | undefined;
}

export type ClusterAccess =
  { ok: true; name: string; kubeconfig: string } | { ok: false; message: string };

async function clusterName(selector: ClusterSelector, io: CliIo) {
  if (selector.cluster !== undefined && selector.file !== undefined) {
    return { message: 'Name the cluster with --cluster or -f, not both.' };
  }
  if (selector.cluster !== undefined) return { name: selector.cluster };
  if (selector.file === undefined) {
    return { message: 'Name the cluster: --cluster <name> or -f <cluster.yaml>.' };
  }
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, selector.file), 'utf8');
  } catch (error) {
    return {
      message: `Cannot read the cluster file ${selector.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    };
  }
  const parsed = parseClusterFile(text);
  if (!parsed.ok) return { message: `${selector.file} is not a valid cluster file.` };
  return { name: parsed.file.metadata.name };
}

/** Finds the cluster and reveals its admin kubeconfig; a problem is a sentence for stderr. */
export async function clusterAccess(selector: ClusterSelector, io: CliIo): Promise<ClusterAccess> {
  return withClusterStore(selector, io, (a) =>
    Promise.resolve<ClusterAccess>(a.ok ? { ok: true, name: a.name, kubeconfig: a.kubeconfig } : a),
  );
}

/** The cluster found, with the data dir's store open (for commands that also read or write it). */
export type StoreAccess =
  | { ok: true; id: string; name: string; kubeconfig: string; store: Store }
  | { ok: false; message: string };

/**
 * Finds the cluster and runs `use` with its admin kubeconfig and the data dir's store held
 * open (closed when `use` settles), or with the problem in words.
 */
export async function withClusterStore<T>(
  selector: ClusterSelector,
  io: CliIo,
  use: (access: StoreAccess) => Promise<T>,
): Promise<T> {
  const named = await clusterName(selector, io);
  if (!('name' in named) || named.name === undefined) {
    return use({ ok: false, message: named.message });
  }
  const dir = path.resolve(io.cwd, selector.dataDir ?? io.defaultDataDir);
  prepareDataDir(dir);
  const redactor = new Redactor();
  const clock = () => new Date(io.now());
  const store = openStore({
    file: path.join(dir, DATABASE_FILE),
    box: openFileSecretBox({ dataDir: dir }),
    onSecret: (plain) => redactor.register(plain),
    clock,
    owner: processOwner('cli'),
  });
  try {
    const row = store.clusters.findByName(named.name);
    const known = store.clusters.list().map((c) => c.name);
    if (!row) {
      return await use({
        ok: false,
        message: `No cluster named "${named.name}" in ${dir}${known.length ? ` (clusters: ${known.join(', ')})` : ''}.`,
      });
    }
    const clusters = new WorkspaceClusters({
      store,
      clock,
      registerSecret: (plain) => redactor.register(plain),
    });
    let kubeconfig: string;
    try {
      kubeconfig = clusters.credentials(row.id).kubeconfig;
    } catch {
      return await use({
        ok: false,
        message: `"${row.name}" has no kubeconfig yet. Install it first (nodeless apply -f <cluster.yaml>) or import it in the app.`,
      });
    }
    return await use({ ok: true, id: row.id, name: row.name, kubeconfig, store });
  } finally {
    store.close();
  }
}
