/**
 * `nodeless tenant add|kubeconfig|revoke|remove|list`: the tenants of cluster-runtime/src/tenants
 * on any cluster in the data dir. The kubeconfig holds a bearer token or a client key, so it
 * goes to stdout only with an explicit `--out -`; a file is written 0600 and merged into an
 * existing kubeconfig (the same writer as `nodeless kubeconfig`). Nothing here prints or logs a
 * credential.
 */
import path from 'node:path';
import { describeSize } from '@nodeless/common';
import {
  addTenant,
  createKubeClient,
  KubeApiError,
  KubeconfigTargetError,
  listTenants,
  removeTenant,
  revokeMember,
  revokeTenant,
  TenantInputError,
  tenantKubeconfig,
  writeKubeconfigFile,
  type KubeClient,
} from '@nodeless/cluster-runtime';
import { clusterAccess, type ClusterSelector } from './cluster-access.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { parseDuration, parsePods, parseQuota } from './tenant-args.ts';

export type TenantCommandOptions = ClusterSelector & { namespace: string };

/** The option a cluster-runtime field error is about. */
const OPTION_OF: Record<string, string> = {
  expiresSeconds: 'expires',
  extraNamespaces: 'namespace',
  deleteNamespaces: 'delete-namespace',
};

/** Runs `fn` with a client of the cluster's admin kubeconfig; maps known errors to exit codes. */
async function withCluster(
  selector: ClusterSelector,
  io: CliIo,
  fn: (client: KubeClient, clusterName: string) => Promise<number>,
): Promise<number> {
  const access = await clusterAccess(selector, io);
  if (!access.ok) {
    writeLine(io.stderr, access.message);
    return EXIT.usage;
  }
  try {
    return await fn(createKubeClient(access.kubeconfig), access.name);
  } catch (error) {
    if (error instanceof TenantInputError) {
      writeLine(io.stderr, `--${OPTION_OF[error.field] ?? error.field} ${error.problem}`);
      return EXIT.usage;
    }
    if (error instanceof KubeApiError) {
      writeLine(io.stderr, `The cluster refused: ${error.message}`);
      return EXIT.blocked;
    }
    throw error;
  }
}

export async function runTenantAdd(
  options: ClusterSelector & {
    /** The first is the tenant (its home namespace); the others are its further namespaces. */
    namespace: string[];
    quota?: string | undefined;
    pods?: string | undefined;
  },
  io: CliIo,
): Promise<number> {
  const [tenant = '', ...extraNamespaces] = options.namespace;
  const quota = options.quota === undefined ? undefined : parseQuota(options.quota);
  const pods = options.pods === undefined ? undefined : parsePods(options.pods);
  for (const p of [quota, pods]) {
    if (p && !p.ok) {
      writeLine(io.stderr, p.message);
      return EXIT.usage;
    }
  }
  return withCluster(options, io, async (client, cluster) => {
    await addTenant(client, {
      namespace: tenant,
      extraNamespaces,
      quota: quota?.ok ? quota.value : undefined,
      pods: pods?.ok ? pods.value : undefined,
    });
    const limits = [
      quota?.ok ? describeSize(quota.value) : undefined,
      pods?.ok ? `${pods.value} pods` : undefined,
    ].filter(Boolean);
    writeLine(
      io.stderr,
      `Tenant ${tenant} on ${cluster}${extraNamespaces.length ? ` (namespaces ${[tenant, ...extraNamespaces].join(', ')})` : ''}: ${limits.length ? `quota ${limits.join(', ')}${extraNamespaces.length ? ' in each namespace' : ''}` : 'no quota'}.`,
    );
    return EXIT.ok;
  });
}

export async function runTenantKubeconfig(
  options: TenantCommandOptions & {
    expires?: string | undefined;
    out?: string | undefined;
    member?: string | undefined;
    credential?: string | undefined;
  },
  io: CliIo,
): Promise<number> {
  const credential = options.credential ?? 'token';
  if (credential !== 'token' && credential !== 'certificate') {
    writeLine(io.stderr, `--credential: "${credential}" is not token or certificate`);
    return EXIT.usage;
  }
  const expires = parseDuration(options.expires ?? '24h');
  if (!expires.ok) {
    writeLine(io.stderr, expires.message);
    return EXIT.usage;
  }
  if (options.out === undefined) {
    writeLine(
      io.stderr,
      'The kubeconfig holds a credential: name a file with --out <file> (written 0600, merged into an existing kubeconfig), or --out - for stdout.',
    );
    return EXIT.usage;
  }
  const out = options.out;
  return withCluster(options, io, async (client, cluster) => {
    const exported = await tenantKubeconfig(client, {
      namespace: options.namespace,
      member: options.member,
      credential,
      expiresSeconds: expires.value,
      clusterName: cluster,
    });
    if (out === '-') {
      io.stdout.write(exported.kubeconfig);
      return EXIT.ok;
    }
    const file = path.resolve(io.cwd, out);
    try {
      const written = await writeKubeconfigFile(file, exported.kubeconfig);
      writeLine(
        io.stderr,
        `Wrote ${written.path} (mode 0600${written.merged ? ', merged; its other contexts kept' : ''}): ${exported.credential} of ${exported.member}, context ${exported.contexts.join(', ')}, valid until ${exported.expiresAt}.`,
      );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof KubeconfigTargetError)) throw error;
      writeLine(io.stderr, `--out ${file} ${error.message.replace(/ Confirm to .*$/, '')}`);
      return EXIT.usage;
    }
  });
}

export async function runTenantRevoke(
  options: TenantCommandOptions & { member?: string | undefined },
  io: CliIo,
): Promise<number> {
  return withCluster(options, io, async (client, cluster) => {
    const { namespace, member } = options;
    if (member !== undefined) {
      const { revoked } = await revokeMember(client, { namespace, member });
      writeLine(
        io.stderr,
        `Revoked ${revoked} kubeconfig${revoked === 1 ? '' : 's'} of ${member} in tenant ${namespace} on ${cluster}; the other members' keep working.`,
      );
      return EXIT.ok;
    }
    await revokeTenant(client, namespace);
    writeLine(
      io.stderr,
      `Revoked every kubeconfig of tenant ${namespace} on ${cluster} (tokens and certificates; new exports work).`,
    );
    return EXIT.ok;
  });
}

export async function runTenantRemove(
  options: TenantCommandOptions & { deleteNamespace?: string[] | undefined },
  io: CliIo,
): Promise<number> {
  return withCluster(options, io, async (client, cluster) => {
    const { kept, deleted } = await removeTenant(client, {
      namespace: options.namespace,
      deleteNamespaces: options.deleteNamespace,
    });
    const parts = [
      kept.length ? `kept namespace${kept.length === 1 ? '' : 's'} ${kept.join(', ')}` : '',
      deleted.length ? `deleted ${deleted.join(', ')}` : '',
    ].filter(Boolean);
    writeLine(
      io.stderr,
      `Removed tenant ${options.namespace} on ${cluster}: its access, quota and kubeconfigs; ${parts.join('; ')}.`,
    );
    return EXIT.ok;
  });
}

export async function runTenantList(options: ClusterSelector, io: CliIo): Promise<number> {
  return withCluster(options, io, async (client) => {
    const tenants = await listTenants(client);
    const rows = [['TENANT', 'NAMESPACES', 'QUOTA', 'PODS', 'USED']];
    const members = [['TENANT', 'MEMBER', 'CREDENTIAL', 'EXPIRES']];
    for (const t of tenants) {
      rows.push([
        t.namespace,
        t.namespaces.join(','),
        t.quota ? describeSize(t.quota) : '-',
        t.pods === undefined ? '-' : String(t.pods),
        t.used ? `${describeSize(t.used)}, ${t.used.pods} pods` : '-',
      ]);
      for (const c of t.credentials) {
        members.push([t.namespace, c.member, c.credential, c.expiresAt]);
      }
    }
    printTable(io, rows);
    if (members.length > 1) {
      writeLine(io.stdout, '');
      printTable(io, members);
    }
    return EXIT.ok;
  });
}

function printTable(io: CliIo, rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows) {
    writeLine(
      io.stdout,
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
}
