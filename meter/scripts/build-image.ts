/**
 * `npm run build:meter-image` (or `npm run -w meter build:image`): builds the meter's OCI image
 * archive and prints its path, size, sha256 and image digest.
 *
 *   tsx meter/scripts/build-image.ts [--out <dir>] [--cache <dir>] [--entry <main.ts>]
 *
 * SOURCE_DATE_EPOCH (whole seconds) sets every timestamp in the image; default 0.
 *
 * @see ./image/build.ts
 */
import { parseArgs } from 'node:util';
import { buildMeterImage } from './image/build.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      cache: { type: 'string' },
      entry: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: build-image [--out <dir>] [--cache <dir>] [--entry <meter main.ts>]\n',
    );
    return;
  }
  const started = Date.now();
  let stepStarted = started;
  const built = await buildMeterImage({
    ...(values.out ? { outDir: values.out } : {}),
    ...(values.cache ? { cacheRoot: values.cache } : {}),
    ...(values.entry ? { entry: values.entry } : {}),
    progress: (step, steps, what) => {
      const now = Date.now();
      const took = step > 1 ? ` (previous step ${((now - stepStarted) / 1000).toFixed(1)} s)` : '';
      stepStarted = now;
      process.stderr.write(`[meter-image] ${step}/${steps} ${what}${took}\n`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[meter-image] done in ${seconds} s\n`);
  process.stdout.write(
    [
      `archive ${built.archive}`,
      `size    ${built.size} bytes (${(built.size / 1024 / 1024).toFixed(1)} MiB)`,
      `sha256  ${built.archiveSha256}`,
      `image   ${built.ref}`,
      `digest  ${built.digest}`,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`[meter-image] failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
