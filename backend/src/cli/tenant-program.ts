/**
 * commander wiring of `nodeless tenant …` (the actions are in ./tenant-command.ts).
 *
 * @see https://github.com/tj/commander.js#readme
 */
import type { Command } from 'commander';
import type { CliIo } from './io.ts';
import {
  runTenantAdd,
  runTenantKubeconfig,
  runTenantList,
  runTenantRevoke,
} from './tenant-command.ts';

interface Selector {
  cluster?: string;
  file?: string;
  dataDir?: string;
}

export function addTenantCommands(
  program: Command,
  io: CliIo,
  dataDirHelp: string,
  done: (code: number) => void,
): void {
  const tenant = program
    .command('tenant')
    .description('tenants: namespaces with a quota, a namespace-only grant and their kubeconfigs');
  const selector = (c: Command) =>
    c
      .option('--cluster <name>', 'the cluster, by its name in the data dir')
      .option('-f, --file <cluster.yaml>', "the cluster, by the file's metadata.name")
      .option('--data-dir <dir>', dataDirHelp);
  selector(
    tenant
      .command('add')
      .description('create or update a tenant namespace with its quota and access')
      .requiredOption('--namespace <ns>', 'the tenant namespace'),
  )
    .option('--quota <vcpu>x<GiB>', 'at most this much of pods in total, for example 16x32')
    .option('--pods <n>', 'at most this many pods')
    .action(async (opts: Selector & { namespace: string; quota?: string; pods?: string }) => {
      done(await runTenantAdd(opts, io));
    });
  selector(
    tenant
      .command('kubeconfig')
      .description("export a kubeconfig with a token for the tenant's namespace")
      .requiredOption('--namespace <ns>', 'the tenant namespace'),
  )
    .option('--expires <duration>', 'token lifetime, 10m to 365d (default 24h)')
    .option('--out <file>', 'write 0600 (merged into an existing kubeconfig); - for stdout')
    .action(async (opts: Selector & { namespace: string; expires?: string; out?: string }) => {
      done(await runTenantKubeconfig(opts, io));
    });
  selector(
    tenant
      .command('revoke')
      .description('make every kubeconfig exported for the tenant stop working')
      .requiredOption('--namespace <ns>', 'the tenant namespace'),
  ).action(async (opts: Selector & { namespace: string }) => {
    done(await runTenantRevoke(opts, io));
  });
  selector(tenant.command('list').description('the tenants with their quota and use')).action(
    async (opts: Selector) => {
      done(await runTenantList(opts, io));
    },
  );
}
