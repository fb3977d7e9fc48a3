/**
 * `npm run testkit -- <command>`: the test substrate's CLI. This file only wires subcommands;
 * each lives in its own module.
 */
import { Command } from 'commander';

const program = new Command('testkit').description(
  'Nodeless test substrate: kube-sim, the real control plane, test hosts, stand-in bundle',
);

const registrations: Array<Promise<{ register(program: Command): void }>> = [
  import('./kube-sim-command.ts'),
  import('./demo-command.ts'),
  import('./hosts-command.ts'),
  import('./bundle-command.ts'),
  import('./control-plane-command.ts'),
];
for (const mod of await Promise.all(registrations)) mod.register(program);

await program.parseAsync(process.argv);
