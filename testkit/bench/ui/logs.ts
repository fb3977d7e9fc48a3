/**
 * The logs line of `npm run bench:ui` (issue 13: 100,000 log lines appended at 5,000 lines/s
 * keep p95 frame ≤ 16.7 ms). The real log viewer (renderer/src/logs) on its bench page
 * (renderer/logs-bench.html), built for production like the app, fed by the page's fake stream
 * (renderer/src/dev/fake-logs.ts: one `lines` message per 100 ms, as the backend batches), in
 * the same Chromium; frames are the page's requestAnimationFrame deltas (probes.ts) from the
 * first line to the last one painted. The backend's stream is not in this figure: the kubectl
 * comparison and the e2e cover it.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM } from '../../../e2e/support/chromium.ts';
import { percentile } from './goals.ts';
import { startFrames, stopFrames } from './probes.ts';

export interface LogsFigures {
  lines: number;
  rate: number;
  /** Lines the fake sent, and lines the viewer says it keeps at the end. */
  sent: number;
  kept: number;
  /** First line → last line painted (ms). */
  streamMs: number;
  frameP95Ms: number;
  frameP99Ms: number;
  frames: number;
  idleFrameP95Ms: number;
  /** The last line sent is in view at the end (the viewer followed the end). */
  followed: boolean;
  heapBytes: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

/** Serves `dir` on 127.0.0.1 (a built page needs http: for its module scripts). */
async function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// Page expressions as strings, as probes.ts writes them (no DOM types in this workspace).
const lastLine = (text: string): string =>
  `[...document.querySelectorAll('.log-text')].find((e) => e.textContent.includes(${JSON.stringify(text)}))`;

/** Whether the line containing `text` is rendered. */
const lastShown = (text: string): string => `${lastLine(text)} !== undefined`;

/** Whether the line containing `text` is inside the log box's visible area. */
const lastInView = (text: string): string => `(() => {
  const box = document.querySelector('[role="log"]');
  const line = ${lastLine(text)};
  if (!box || !line) return false;
  const b = box.getBoundingClientRect();
  const l = line.getBoundingClientRect();
  return l.top >= b.top && l.bottom <= b.bottom + 1;
})()`;

export async function runLogs(o: {
  repo: string;
  lines: number;
  rate: number;
  say: (line: string) => void;
  screenshot: string;
}): Promise<LogsFigures> {
  const out = mkdtempSync(join(tmpdir(), 'nodeless-bench-logs-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    o.say('  building the log viewer bench page (production)…');
    await build({
      root: join(o.repo, 'renderer'),
      configFile: join(o.repo, 'renderer/vite.config.ts'),
      logLevel: 'warn',
      build: {
        outDir: out,
        emptyOutDir: true,
        rollupOptions: { input: join(o.repo, 'renderer/logs-bench.html') },
      },
    });
    const s = await serve(out);
    server = s.server;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // A quiet page first: what frame times this machine gives with nothing streaming.
    await page.goto(`${s.origin}/logs-bench.html?total=1&rate=1`);
    await page.getByRole('log').waitFor();
    await page.evaluate(startFrames);
    await new Promise((r) => setTimeout(r, 3000));
    const idle = ((await page.evaluate(stopFrames)) as number[]).sort((a, b) => a - b);

    await page.goto(`${s.origin}/logs-bench.html?total=${o.lines}&rate=${o.rate}`);
    await page.getByRole('log').waitFor();
    await page.evaluate(startFrames);
    const t0 = Date.now();
    const last = `request ${o.lines - 1}:`;
    // Done when the viewer says the stream ended and the last line is on screen.
    await page.waitForFunction(lastShown(last), undefined, {
      timeout: Math.max(120_000, (o.lines / o.rate) * 3000),
      polling: 'raf',
    });
    const streamMs = Date.now() - t0;
    const frames = ((await page.evaluate(stopFrames)) as number[]).sort((a, b) => a - b);
    await page.getByText(/The stream ended/).waitFor();
    const sent = (await page.evaluate('window.__logsBench.sent()')) as number;
    const keptText = (await page.getByText(/lines kept/).textContent()) ?? '';
    const kept = Number(/^([\d,]+) lines kept/.exec(keptText)?.[1]?.replaceAll(',', '') ?? NaN);
    const followed = (await page.evaluate(lastInView(last))) as boolean;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await page.screenshot({ path: o.screenshot });
    return {
      lines: o.lines,
      rate: o.rate,
      sent,
      kept,
      streamMs,
      frameP95Ms: percentile(frames, 95),
      frameP99Ms: percentile(frames, 99),
      frames: frames.length,
      idleFrameP95Ms: percentile(idle, 95),
      followed,
      heapBytes: heap.usedSize,
    };
  } finally {
    await browser?.close();
    server?.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const num = (n: number): string =>
  Number.isFinite(n) ? (n < 100 ? n.toFixed(1) : Math.round(n).toString()) : 'n/a';

/** The logs block: each figure beside its goal, `MISSED` where missed. */
export function reportLogs(f: LogsFigures): string[] {
  // Same judging as the pods line (goals.ts): half a millisecond absorbs vsync jitter.
  const p95Missed = !Number.isFinite(f.frameP95Ms) || f.frameP95Ms > 16.7 + 0.5;
  const keptMissed = f.kept !== Math.min(f.sent, 100_000);
  return [
    `Log viewer — ${f.sent.toLocaleString('en')} lines at ${f.rate.toLocaleString('en')} lines/s ` +
      `in ${num(f.streamMs / 1000)} s, ${f.frames} frames measured (idle page: p95 ${num(f.idleFrameP95Ms)} ms)`,
    `  ${'frame p95 while appending'.padEnd(27)} ${`${num(f.frameP95Ms)} ms`.padStart(10)}   goal ≤ 16.7 ms (one 60 Hz frame)${p95Missed ? '  MISSED' : '  ok'}`,
    `  ${'frame p99 while appending'.padEnd(27)} ${`${num(f.frameP99Ms)} ms`.padStart(10)}`,
    `  ${'lines kept at the end'.padEnd(27)} ${f.kept.toLocaleString('en').padStart(10)}   goal = lines sent, at most 100,000${keptMissed ? '  MISSED' : '  ok'}`,
    `  ${'followed to the last line'.padEnd(27)} ${(f.followed ? 'yes' : 'no').padStart(10)}   goal yes${f.followed ? '  ok' : '  MISSED'}`,
    `  ${'renderer JS heap'.padEnd(27)} ${`${num(f.heapBytes / 1e6)} MB`.padStart(10)}`,
  ];
}
