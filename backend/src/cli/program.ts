/**
 * The `nodeless` command line: commander wiring only, each command in its own module.
 * Usage errors exit 2 like field errors in the cluster file.
 *
 * @see https://github.com/tj/commander.js#readme
 */
import { Command, CommanderError } from 'commander';
import { runApplyCommand } from './apply-command.ts';
import { runCheckCommand } from './check-command.ts';
import { runKubeconfigCommand } from './kubeconfig-command.ts';
import { runResetCommand } from './reset-command.ts';
import type { CliEngine } from './deps.ts';
import { EXIT, type CliIo } from './io.ts';
import { runTrustCommand } from './trust-command.ts';
import { addTenantCommands } from './tenant-program.ts';
import { runUsage, type UsageCommandOptions } from './usage-command.ts';

/** Parses `argv` (without node and script) and runs the command; resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  engine: CliEngine,
): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('nodeless')
    .description('Serverless Kubernetes on machines you own.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const dataDirHelp = `where trusted host keys are kept (default: ${io.defaultDataDir}, shared with the app)`;
  program
    .command('check')
    .description('check the hosts of a cluster file: connect, trust, sudo, facts, preflight')
    .requiredOption('-f, --file <cluster.yaml>', 'the cluster file')
    .option('--data-dir <dir>', dataDirHelp)
    .option('--json', 'print the report as JSON instead of a table')
    .action(async (opts: { file: string; dataDir?: string; json?: boolean }) => {
      code = await runCheckCommand(opts, io, engine);
    });
  program
    .command('trust')
    .description(
      'trust the host key a host of the cluster file presents, if it has this fingerprint',
    )
    .requiredOption('-f, --file <cluster.yaml>', 'the cluster file')
    .requiredOption('--host <name>', 'the host (its address in the file)')
    .requiredOption('--fingerprint <SHA256:…>', 'the fingerprint you compared with the machine')
    .option('--replace', 'replace a different key trusted before (after a reinstall)')
    .option('--data-dir <dir>', dataDirHelp)
    .action(
      async (opts: {
        file: string;
        host: string;
        fingerprint: string;
        replace?: boolean;
        dataDir?: string;
      }) => {
        code = await runTrustCommand(opts, io, engine);
      },
    );
  const stateHelp = `where runs, the kubeconfig and trusted keys are kept (default: ${io.defaultDataDir}, shared with the app)`;
  program
    .command('apply')
    .description(
      'install (or converge) the cluster of a cluster file: k3s, the sandbox runtime, baseline',
    )
    .requiredOption('-f, --file <cluster.yaml>', 'the cluster file')
    .option('--dry-run', 'only show, per host, what will change and what is in place')
    .option('--data-dir <dir>', stateHelp)
    .action(async (opts: { file: string; dryRun?: boolean; dataDir?: string }) => {
      code = await runApplyCommand(opts, io, engine);
    });
  program
    .command('reset')
    .description('uninstall k3s and the sandbox runtime from every host of a cluster file')
    .requiredOption('-f, --file <cluster.yaml>', 'the cluster file')
    .option('--yes', 'do not ask for the cluster name (required without a terminal)')
    .option('--data-dir <dir>', stateHelp)
    .action(async (opts: { file: string; yes?: boolean; dataDir?: string }) => {
      code = await runResetCommand(opts, io, engine);
    });
  program
    .command('kubeconfig')
    .description('print the admin kubeconfig of an installed cluster, or write it (0600)')
    .requiredOption('-f, --file <cluster.yaml>', 'the cluster file')
    .option('--out <file>', 'write to this file with mode 0600 instead of stdout')
    .option('--data-dir <dir>', stateHelp)
    .action(async (opts: { file: string; out?: string; dataDir?: string }) => {
      code = await runKubeconfigCommand(opts, io, engine);
    });
  addTenantCommands(program, io, stateHelp, (c) => (code = c));
  program
    .command('usage')
    .description(
      "the bill of a cluster's pods (syncs its ledger first): by namespace, workload or pod",
    )
    .option('--cluster <name>', 'the cluster, by its name in the data dir')
    .option('-f, --file <cluster.yaml>', "the cluster, by the file's metadata.name")
    .option('--from <time>', 'RFC 3339 time or UTC date (default: 30 days before --to)')
    .option('--to <time>', 'RFC 3339 time or UTC date, exclusive (default: the next full hour)')
    .requiredOption('--by <grouping>', 'namespace, workload or pod')
    .option('--csv', 'print CSV (the columns are in the README)')
    .option('--data-dir <dir>', stateHelp)
    .action(async (opts: UsageCommandOptions) => {
      code = await runUsage(opts, io);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
}
