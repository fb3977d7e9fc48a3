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
  runTenantRemove,
  runTenantRevoke,
} from './tenant-command.ts';

/** commander's collector for a repeatable option. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

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
    .description(
      "tenants: namespaces with a quota, a grant limited to them and their members' kubeconfigs",
    );
  const selector = (c: Command) =>
    c
      .option('--cluster <name>', 'the cluster, by its name in the data dir')
      .option('-f, --file <cluster.yaml>', "the cluster, by the file's metadata.name")
      .option('--data-dir <dir>', dataDirHelp);
  selector(
    tenant
      .command('add')
      .description('create or update a tenant: its namespaces with their quota and access')
      .requiredOption(
        '--namespace <ns>',
        'a tenant namespace; repeat for more (the first names the tenant)',
        collect,
      ),
  )
    .option(
      '--quota <vcpu>x<GiB>',
      'at most this much of pods in total per namespace, for example 16x32',
    )
    .option('--pods <n>', 'at most this many pods per namespace')
    .action(async (opts: Selector & { namespace: string[]; quota?: string; pods?: string }) => {
      done(await runTenantAdd(opts, io));
    });
  selector(
    tenant
      .command('kubeconfig')
      .description("export a member's kubeconfig for the tenant's namespaces")
      .requiredOption('--namespace <ns>', 'the tenant (its first namespace)'),
  )
    .option('--member <name>', 'who it is for, listed and revocable on its own (default default)')
    .option(
      '--credential <kind>',
      'token (ServiceAccount token) or certificate (x509 client certificate from the CSR API); default token',
    )
    .option('--expires <duration>', 'lifetime, 10m to 365d (default 24h)')
    .option('--out <file>', 'write 0600 (merged into an existing kubeconfig); - for stdout')
    .action(
      async (
        opts: Selector & {
          namespace: string;
          member?: string;
          credential?: string;
          expires?: string;
          out?: string;
        },
      ) => {
        done(await runTenantKubeconfig(opts, io));
      },
    );
  selector(
    tenant
      .command('revoke')
      .description("make every kubeconfig exported for the tenant, or one member's, stop working")
      .requiredOption('--namespace <ns>', 'the tenant (its first namespace)'),
  )
    .option('--member <name>', "only this member's kubeconfigs")
    .action(async (opts: Selector & { namespace: string; member?: string }) => {
      done(await runTenantRevoke(opts, io));
    });
  selector(
    tenant
      .command('remove')
      .description(
        'remove a tenant: its access, quota and kubeconfigs; namespaces stay unless named',
      )
      .requiredOption('--namespace <ns>', 'the tenant (its first namespace)'),
  )
    .option(
      '--delete-namespace <ns>',
      'also delete this namespace of the tenant with everything in it; repeat for more',
      collect,
    )
    .action(async (opts: Selector & { namespace: string; deleteNamespace?: string[] }) => {
      done(await runTenantRemove(opts, io));
    });
  selector(
    tenant
      .command('list')
      .description("the tenants with their namespaces, quota, use and members' kubeconfigs"),
  ).action(async (opts: Selector) => {
    done(await runTenantList(opts, io));
  });
}
