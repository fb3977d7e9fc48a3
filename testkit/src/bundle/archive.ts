/**
 * Deterministic archives (sorted, root-owned, mtime 0) so the same sources give the same
 * sha256 in the manifest.
 *
 * @see https://www.gnu.org/software/tar/manual/html_section/Reproducibility.html
 */
import type { CommandRunner } from '../hosts/run.ts';

/** `tar` of `dir`'s content (entries prefixed `./`), compressed with `zstd` or `xz`. */
export async function tarDir(
  run: CommandRunner,
  dir: string,
  out: string,
  compress: 'zstd' | 'xz',
): Promise<void> {
  const tarFlags = '--sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu';
  const comp = compress === 'zstd' ? 'zstd -q -19 -T1' : 'xz -9 -T1';
  await run('sh', [
    '-c',
    `set -e; tar ${tarFlags} -C "$1" -cf - . | ${comp} > "$2"`,
    'tar',
    dir,
    out,
  ]);
}
