/**
 * `nodeless tenant add|kubeconfig|revoke|list`: the tenants of cluster-runtime/src/tenants on
 * any cluster in the data dir. The kubeconfig holds a bearer token, so it goes to stdout only
 * with an explicit `--out -`; a file is written 0600 and merged into an existing kubeconfig
 * (the same writer as `nodeless kubeconfig`). Nothing here prints or logs a token.
 */
import path from 'node:path';
import { describeSize } from '@nodeless/common';
import {
  addTenant,
  createKubeClient,
  KubeApiError,
  KubeconfigTargetError,
  listTenants,
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
      writeLine(
        io.stderr,
        `--${error.field === 'expiresSeconds' ? 'expires' : error.field} ${error.problem}`,
      );
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
  options: TenantCommandOptions & { quota?: string | undefined; pods?: string | undefined },
  io: CliIo,
): Promise<number> {
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
      namespace: options.namespace,
      quota: quota?.ok ? quota.value : undefined,
      pods: pods?.ok ? pods.value : undefined,
    });
    const limits = [
      quota?.ok ? describeSize(quota.value) : undefined,
      pods?.ok ? `${pods.value} pods` : undefined,
    ].filter(Boolean);
    writeLine(
      io.stderr,
      `Tenant ${options.namespace} on ${cluster}: ${limits.length ? `quota ${limits.join(', ')}` : 'no quota'}.`,
    );
    return EXIT.ok;
  });
}

export async function runTenantKubeconfig(
  options: TenantCommandOptions & { expires?: string | undefined; out?: string | undefined },
  io: CliIo,
): Promise<number> {
  const expires = parseDuration(options.expires ?? '24h');
  if (!expires.ok) {
    writeLine(io.stderr, expires.message);
    return EXIT.usage;
  }
  if (options.out === undefined) {
    writeLine(
      io.stderr,
      'The kubeconfig holds a token: name a file with --out <file> (written 0600, merged into an existing kubeconfig), or --out - for stdout.',
    );
    return EXIT.usage;
  }
  const out = options.out;
  return withCluster(options, io, async (client, cluster) => {
    const exported = await tenantKubeconfig(client, {
      namespace: options.namespace,
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
        `Wrote ${written.path} (mode 0600${written.merged ? ', merged; its other contexts kept' : ''}): context ${exported.context}, token valid until ${exported.expiresAt}.`,
      );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof KubeconfigTargetError)) throw error;
      writeLine(io.stderr, `--out ${file} ${error.message.replace(/ Confirm to .*$/, '')}`);
      return EXIT.usage;
    }
  });
}

export async function runTenantRevoke(options: TenantCommandOptions, io: CliIo): Promise<number> {
  return withCluster(options, io, async (_client, cluster) => {
    await revokeTenant(_client, options.namespace);
    writeLine(
      io.stderr,
      `Revoked every kubeconfig of tenant ${options.namespace} on ${cluster} (its ServiceAccount was recreated; new exports work).`,
    );
    return EXIT.ok;
  });
}

export async function runTenantList(options: ClusterSelector, io: CliIo): Promise<number> {
  return withCluster(options, io, async (client) => {
    const tenants = await listTenants(client);
    const rows = [['NAMESPACE', 'QUOTA', 'PODS', 'USED']];
    for (const t of tenants) {
      rows.push([
        t.namespace,
        t.quota ? describeSize(t.quota) : '-',
        t.pods === undefined ? '-' : String(t.pods),
        t.used ? `${describeSize(t.used)}, ${t.used.pods} pods` : '-',
      ]);
    }
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
    return EXIT.ok;
  });
}
