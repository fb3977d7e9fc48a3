/**
 * `npm run bench:ui`: the Pods section at 10,000 and 100,000 pods, in real Chromium (Debian's)
 * on web mode against the real backend, the cluster a kube-sim with pods bulk-loaded and
 * imported through the API. For each size it prints: opening the Pods section → first rows
 * painted; p95 and p99 frame time (requestAnimationFrame deltas in the page) while 2,000 pod
 * updates per second stream for 30 s; typing a text filter → rows updated; the renderer's JS heap
 * (DevTools `Runtime.getHeapUsage` after a GC) and the backend's RSS. At 100,000 pods each figure
 * is printed beside its goal, `MISSED` where missed. Then the log viewer's line (ui/logs.ts):
 * 100,000 log lines appended at 5,000 lines/s, p95 frame beside its 16.7 ms goal. Not part of
 * `npm test`.
 *
 * Env: `BENCH_UI_SIZES=10000,100000`, `BENCH_UI_STREAM_S=30`, `BENCH_UI_RATE=2000`,
 * `BENCH_UI_LOG_LINES=100000`, `BENCH_UI_LOG_RATE=5000`, `BENCH_UI_PARTS=pods,logs` (which
 * parts run). Screenshots of the end state: testkit/bench/ui/artifacts/pods-<n>.png, logs.png.
 *
 * @see ../README.md and the root README ("UI benchmark")
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureChromium } from '../../e2e/support/chromium.ts';
import { report, type Figures } from './ui/goals.ts';
import { reportLogs, runLogs } from './ui/logs.ts';
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

function parts(): Set<string> {
  const raw = process.env.BENCH_UI_PARTS?.trim() || 'pods,logs';
  const out = new Set(raw.split(',').map((s) => s.trim()));
  for (const p of out)
    if (p !== 'pods' && p !== 'logs')
      throw new Error(`BENCH_UI_PARTS takes pods and/or logs separated by commas, got "${raw}"`);
  return out;
}

async function main(): Promise<void> {
  const run = parts();
  const sizes = run.has('pods') ? intList('BENCH_UI_SIZES', [10_000, 100_000]) : [];
  const [logLines = 100_000] = intList('BENCH_UI_LOG_LINES', [100_000]);
  const [logRate = 5000] = intList('BENCH_UI_LOG_RATE', [5000]);
  const [streamS = 30] = intList('BENCH_UI_STREAM_S', [30]);
  const [rate = 2000] = intList('BENCH_UI_RATE', [2000]);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  ensureChromium();
  if (sizes.length > 0) {
    say('building the renderer (web mode serves renderer/dist)…');
    execFileSync(
      join(repo, 'node_modules/.bin/vite'),
      ['build', 'renderer', '--logLevel', 'warn'],
      {
        cwd: repo,
        stdio: 'inherit',
      },
    );
  }
  mkdirSync(join(repo, 'testkit/bench/ui/artifacts'), { recursive: true });
  const results: Figures[] = [];
  for (const pods of sizes) {
    say(`\n${pods} pods:`);
    results.push(
      await runAtSize({ repo, pods, ratePerSecond: rate, streamMs: streamS * 1000, say }),
    );
  }
  const lines = [''];
  if (results.length > 0) lines.push(`UI benchmark (${rate} pod updates/s for ${streamS} s)`);
  for (const f of results) lines.push(...report(f));
  if (run.has('logs')) {
    say(`\nlog viewer: ${logLines} lines at ${logRate} lines/s:`);
    const f = await runLogs({
      repo,
      lines: logLines,
      rate: logRate,
      say,
      screenshot: join(repo, 'testkit/bench/ui/artifacts/logs.png'),
    });
    lines.push(...reportLogs(f));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
