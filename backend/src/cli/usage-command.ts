/**
 * `nodeless usage --cluster <name> | -f cluster.yaml [--from] [--to] --by namespace|workload|pod
 * [--csv]`: syncs the cluster's ledger into the data dir's database first (the app's own sync,
 * usage/sync.ts), then prints the bill from the same queries as the Usage section
 * (usage/bill.ts) — as a table, or as CSV (usage/csv.ts: `--by pod` has issue 15's exact
 * header). A sync that fails is said on stderr and the command exits 1 without a bill.
 */
import { createKubeClient } from '@nodeless/cluster-runtime';
import { formatMicros } from '@nodeless/common';
import { UsageService } from '../usage/service.ts';
import { withClusterStore, type ClusterSelector } from './cluster-access.ts';
import { EXIT, writeLine, type CliIo } from './io.ts';
import { parseBy, parseUsageRange } from './usage-args.ts';
import { renderUsageTable } from './usage-table.ts';

export type UsageCommandOptions = ClusterSelector & {
  from?: string | undefined;
  to?: string | undefined;
  by?: string | undefined;
  csv?: boolean | undefined;
};

export async function runUsage(options: UsageCommandOptions, io: CliIo): Promise<number> {
  const by = parseBy(options.by);
  const range = parseUsageRange(options.from, options.to, io.now());
  for (const p of [by, range]) {
    if (!p.ok) {
      writeLine(io.stderr, p.message);
      return EXIT.usage;
    }
  }
  if (!by.ok || !range.ok) return EXIT.usage;
  return withClusterStore(options, io, async (access) => {
    if (!access.ok) {
      writeLine(io.stderr, access.message);
      return EXIT.usage;
    }
    const { store } = access;
    const usage = new UsageService({
      tables: store.usage,
      transaction: store.transaction,
      clock: () => new Date(io.now()),
      withClient: (_id, fn) => fn(createKubeClient(access.kubeconfig)),
      clusterName: () => access.name,
    });
    try {
      const synced = await usage.sync(access.id);
      writeLine(
        io.stderr,
        `Ledger synced: ${synced.read} records read, ${synced.added} new (cursor ${synced.cursor}).`,
      );
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      writeLine(io.stderr, `Cannot sync the ledger of "${access.name}": ${why}`);
      return EXIT.blocked;
    }
    const input = { clusterId: access.id, ...range.value, by: by.value };
    if (options.csv) {
      io.stdout.write(usage.csv(input).text);
      return EXIT.ok;
    }
    const table = usage.table(input);
    writeLine(io.stdout, `Usage of ${access.name} from ${range.value.from} to ${range.value.to}`);
    io.stdout.write(renderUsageTable(by.value, table));
    if (table.rows.length === 0) {
      writeLine(io.stdout, `Nothing billed in this range (total ${formatMicros(0)}).`);
    }
    return EXIT.ok;
  });
}
