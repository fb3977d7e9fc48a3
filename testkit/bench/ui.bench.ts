/**
 * `npm run bench:ui`: the Pods section at 10,000 and 100,000 pods, in real Chromium (Debian's)
 * on web mode against the real backend, the cluster a kube-sim with pods bulk-loaded and
 * imported through the API. For each size it prints: opening the Pods section → first rows
 * painted; p95 and p99 frame time (requestAnimationFrame deltas in the page) while 2,000 pod
 * updates per second stream for 30 s; typing a text filter → rows updated; the renderer's JS heap
 * (DevTools `Runtime.getHeapUsage` after a GC) and the backend's RSS. At 100,000 pods each figure
 * is printed beside its goal, `MISSED` where missed. Not part of `npm test`.
 *
 * Env: `BENCH_UI_SIZES=10000,100000`, `BENCH_UI_STREAM_S=30`, `BENCH_UI_RATE=2000`.
 * Screenshots of the end state: testkit/bench/ui/artifacts/pods-<n>.png.
 *
 * @see ../README.md and the root README ("UI benchmark")
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureChromium } from '../../e2e/support/chromium.ts';
import { report, type Figures } from './ui/goals.ts';
import { runAtSize } from './ui/run.ts';

const repo = resolve(import.meta.dirname, '..', '..');

function intList(name: string, fallback: number[]): number[] {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const out = raw.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`${name} must be positive integers separated by commas, got "${raw}"`);
  return out;
}

async function main(): Promise<void> {
  const sizes = intList('BENCH_UI_SIZES', [10_000, 100_000]);
  const [streamS = 30] = intList('BENCH_UI_STREAM_S', [30]);
  const [rate = 2000] = intList('BENCH_UI_RATE', [2000]);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  ensureChromium();
  say('building the renderer (web mode serves renderer/dist)…');
  execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', 'renderer', '--logLevel', 'warn'], {
    cwd: repo,
    stdio: 'inherit',
  });
  mkdirSync(join(repo, 'testkit/bench/ui/artifacts'), { recursive: true });
  const results: Figures[] = [];
  for (const pods of sizes) {
    say(`\n${pods} pods:`);
    results.push(
      await runAtSize({ repo, pods, ratePerSecond: rate, streamMs: streamS * 1000, say }),
    );
  }
  const lines = ['', `UI benchmark (${rate} pod updates/s for ${streamS} s)`];
  for (const f of results) lines.push(...report(f));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
