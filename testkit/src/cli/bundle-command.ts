/**
 * `npm run testkit -- bundle --out <dir>`: writes the airgap bundle of stand-ins. Only
 * wiring: the work is in `../bundle/`.
 */
import type { Command } from 'commander';

/** Registers `bundle`. */
export function register(program: Command): void {
  program
    .command('bundle')
    .description('write the airgap bundle (stand-in k3s and Kata) in the product layout')
    .requiredOption('--out <dir>', 'output directory')
    .action(async (opts: { out: string }) => {
      const { writeBundle } = await import('../bundle/index.ts');
      const manifest = await writeBundle({ outDir: opts.out });
      process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
    });
}
