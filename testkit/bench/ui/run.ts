/**
 * One run of the UI benchmark at one size: kube-sim (no simulation) with `pods` bulk-loaded, the
 * real backend in web mode (its own process, fresh data dir), Debian's Chromium on the app, the
 * cluster imported through the API as the import dialog does, then the measurements of
 * `probes.ts`. Everything started here is stopped here, also on failure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startBackend, type RunningBackend } from '../../../e2e/support/backend.ts';
import { CHROMIUM } from '../../../e2e/support/chromium.ts';
import { startKubeSim, type KubeSim } from '../../src/kube-sim/index.ts';
import { bulkLoadPods } from '../../src/kube-sim/scale/bulk-pods.ts';
import { driveUpdates } from '../../src/kube-sim/scale/update-driver.ts';
import { percentile, type Figures } from './goals.ts';
import { applyFilter, openPodsSection, overviewCounts, startFrames, stopFrames } from './probes.ts';

export interface RunOptions {
  repo: string;
  pods: number;
  ratePerSecond: number;
  streamMs: number;
  say: (line: string) => void;
}

const artifacts = (repo: string): string => join(repo, 'testkit/bench/ui/artifacts');

/** Resident set of a process, from /proc (bytes). */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) * 1024 : Number.NaN;
}

/** A tRPC call from inside the page: the page's session cookie authenticates it. */
async function trpc<T>(page: Page, kind: 'query' | 'mutation', path: string, input: unknown) {
  const r = await page.evaluate(
    `(async () => {
      const input = ${JSON.stringify(JSON.stringify(input))};
      const url = '/api/trpc/${path}' + (${JSON.stringify(kind)} === 'query' ? '?input=' + encodeURIComponent(input) : '');
      const res = await fetch(url, ${kind === 'query' ? "{ headers: { 'x-nodeless': '1' } }" : `{ method: 'POST', headers: { 'content-type': 'application/json', 'x-nodeless': '1' }, body: input }`});
      return { status: res.status, body: await res.text() };
    })()`,
  );
  const { status, body } = r as { status: number; body: string };
  if (status !== 200) throw new Error(`${path}: HTTP ${status}: ${body.slice(0, 500)}`);
  return (JSON.parse(body) as { result: { data: T } }).result.data;
}

export async function runAtSize(o: RunOptions): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'nodeless-bench-ui-'));
  let sim: KubeSim | undefined;
  let backend: RunningBackend | undefined;
  let browser: Browser | undefined;
  try {
    // A window big enough that a watch from the list's version survives the stream.
    sim = await startKubeSim({ sim: false, watchWindow: o.ratePerSecond * 120 });
    const loaded = await bulkLoadPods(sim.store, { count: o.pods });
    o.say(`  kube-sim: ${o.pods} pods bulk-loaded in ${Math.round(loaded.ms)} ms`);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
    backend = await startBackend({
      cwd: o.repo,
      command: process.execPath,
      // node itself (not the tsx wrapper), so the pid's RSS is the backend's.
      args: ['--import', 'tsx', 'backend/src/serve.ts'],
      env: { ...process.env, NODELESS_PORT: '0', NODELESS_DATA_DIR: join(dir, 'data') },
      timeoutMs: 90_000,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(backend.url);
    const cluster = await trpc<{ id: string }>(page, 'mutation', 'workspace.importKubeconfig', {
      path: kubeconfig,
      name: `bench-${o.pods}`,
      context: 'kube-sim',
    });
    // A hash change alone would keep the page's cluster list from before the import (the
    // workspace's cluster list is not pushed to windows): load the page afresh.
    await page.goto(`${backend.origin}/#/clusters/${cluster.id}/overview`);
    await page.reload();
    // The backend's caches are warm before the Pods section opens (the first rows measure the
    // feed and the table, not kube-sim's list of 100,000 pods).
    const t0 = Date.now();
    await page.evaluate(overviewCounts(cluster.id, o.pods));
    o.say(`  backend: ${o.pods} pods listed and watched in ${Date.now() - t0} ms`);

    // The cluster's page is up (its section links) before the clock starts.
    await page
      .getByRole('navigation', { name: 'Cluster sections' })
      .getByRole('link', { name: 'Pods' })
      .waitFor({ timeout: 120_000 })
      .catch(async (err: unknown) => {
        await page.screenshot({ path: join(artifacts(o.repo), `no-pods-link-${o.pods}.png`) });
        throw err;
      });
    const firstRowsMs = (await page.evaluate(openPodsSection)) as number;
    // The same page without updates: what frame times a quiet page gets on this machine.
    await page.evaluate(startFrames);
    await new Promise((r) => setTimeout(r, 3000));
    const idle = ((await page.evaluate(stopFrames)) as number[]).sort((a, b) => a - b);
    await page.evaluate(startFrames);
    const driven = await driveUpdates(sim.store, {
      keys: loaded.keys,
      ratePerSecond: o.ratePerSecond,
      durationMs: o.streamMs,
    });
    const frames = ((await page.evaluate(stopFrames)) as number[]).sort((a, b) => a - b);
    // A name unique to one pod (bulk names end in the zero-padded index).
    const probe = loaded.keys[Math.floor(o.pods / 2)]?.[1] ?? '';
    const filterMs = (await page.evaluate(applyFilter(probe))) as number;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const backendRssBytes = rssOf(backend.pid);
    await page.screenshot({
      path: join(artifacts(o.repo), `pods-${o.pods}.png`),
    });
    return {
      pods: o.pods,
      firstRowsMs,
      frameP95Ms: percentile(frames, 95),
      frameP99Ms: percentile(frames, 99),
      frames: frames.length,
      idleFrameP95Ms: percentile(idle, 95),
      updates: driven.updates,
      updateMs: driven.ms,
      filterMs,
      heapBytes: heap.usedSize,
      backendRssBytes,
    };
  } finally {
    await browser?.close();
    await backend?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
