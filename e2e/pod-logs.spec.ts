/**
 * Pod logs end to end (issue 13, point 1) on the demo cluster, in web mode: the Logs tab of a
 * running pod follows its log while kube-sim's kubelet writes to it (a heartbeat every 10 s),
 * the search finds and highlights lines and says an invalid pattern in words, the download
 * saves the kept lines as a .log file; the crash-looping data/ingest-worker's previous
 * container shows the line it crashed with. Screenshots, light and dark, go to
 * e2e/artifacts/pod-logs-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { clusterLink, openApp } from './support/app.ts';
import { demoKubectl as kubectl } from './support/demo.ts';

const artifacts = join(import.meta.dirname, 'artifacts');

/** Light, then dark (the app follows the OS), then back to light. */
async function shoot(page: Page, name: string, target: Locator): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await target.screenshot({ path: join(artifacts, `pod-logs-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens the demo's pod `ns/name` in the Pods section, on its Logs tab. */
async function openLogs(page: Page, ns: string, name: string): Promise<Locator> {
  await openApp(page);
  await clusterLink(page, 'Demo').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo' })).toBeVisible();
  const clusterId = decodeURIComponent(/#\/clusters\/([^/]+)/.exec(page.url())?.[1] ?? '');
  expect(clusterId).not.toBe('');
  await page.evaluate(
    (hash) => {
      window.location.hash = hash;
    },
    `#/clusters/${encodeURIComponent(clusterId)}/pods/${ns}/${name}`,
  );
  const details = page.getByRole('region', { name: `Pod ${name}` });
  await expect(details).toBeVisible();
  await details.getByRole('tab', { name: 'Logs' }).click();
  await expect(details.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
  return details;
}

/** "1,234 lines kept (…)" → 1234. */
async function linesKept(details: Locator): Promise<number> {
  const text = (await details.getByText(/lines kept/).textContent()) ?? '';
  return Number(/^([\d,]+) lines kept/.exec(text)?.[1]?.replaceAll(',', '') ?? NaN);
}

test('follow a running pod’s log, search it, download it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 900 });
  const details = await openLogs(page, 'shop', 'redis-0');
  const log = details.getByRole('log', { name: 'Log lines of pod redis-0' });
  await expect(log).toContainText('[kube-sim] simulated container redis started from image');

  // Following: a heartbeat the kubelet writes after the pane opened arrives without a reload,
  // and the view stays at the end (no "Jump to latest").
  const before = await linesKept(details);
  await expect.poll(() => linesKept(details), { timeout: 30_000 }).toBeGreaterThan(before);
  const last = /heartbeat (\d+)/.exec((await log.textContent()) ?? '');
  expect(last).not.toBeNull();
  await expect(details.getByRole('button', { name: /Jump to latest/ })).toHaveCount(0);
  // Two heartbeats at least, so the search below has a next match to go to.
  await expect(log).toContainText(/heartbeat [2-9]/, { timeout: 30_000 });
  // kubectl reads the same last heartbeat number from the API.
  const tail = kubectl('-n', 'shop', 'logs', 'redis-0', '--tail=200');
  expect(tail).toContain('heartbeat');

  // Timestamps on: each line starts with its RFC 3339 time (UTC).
  await details.getByRole('checkbox', { name: 'Timestamps' }).check();
  await expect(log).toContainText(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);

  // Search: an invalid pattern is said in words; a valid one counts and highlights matches.
  const search = details.getByRole('textbox', { name: 'Search logs' });
  await search.fill('heartbeat (');
  await expect(search).toHaveAttribute('aria-invalid', 'true');
  await expect(details.getByText(/is not a valid regular expression/)).toBeVisible();
  await search.fill('heartbeat \\d+');
  await expect(search).toHaveAttribute('aria-invalid', 'false');
  await expect(details.getByText(/\d+ matching lines/)).toBeVisible();
  await search.press('Enter');
  await expect(details.getByText(/^1 of \d+ matching lines/)).toBeVisible();
  await expect(log.locator('mark').first()).toContainText(/heartbeat \d+/);
  // Scrolled to a match: not following any more, so "Jump to latest" is offered.
  await search.press('Enter');
  await expect(details.getByText(/^2 of \d+ matching lines/)).toBeVisible();
  await details.getByRole('button', { name: 'Previous match' }).click();
  await expect(details.getByText(/^1 of \d+ matching lines/)).toBeVisible();
  await shoot(page, 'search', details);

  // Download: a .log file with the kept lines, the bound said beside the button.
  await expect(details.getByText(/at most the last 100,000/)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    details.getByRole('button', { name: 'Download .log' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('redis-0.log');
  const saved = readFileSync(await download.path(), 'utf8');
  expect(saved).toContain('[kube-sim] simulated container redis started from image');
  expect(saved).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[kube-sim\]/m);
  expect(saved.trimEnd().split('\n').length).toBe(await linesKept(details));
});

test('the previous container of a crash-looping pod shows why it crashed', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1600, height: 900 });
  const names = kubectl('-n', 'data', 'get', 'pods', '-o', 'name')
    .split('\n')
    .map((s) => s.replace(/^pod\//, ''))
    .filter((s) => s.startsWith('ingest-worker-'));
  const name = names[0];
  expect(name, 'the demo has an ingest-worker pod').toBeDefined();
  if (!name) return;
  // The demo's worker has restarted at least once (kube-sim crashes it after a second).
  await expect
    .poll(
      () =>
        Number(
          kubectl(
            '-n',
            'data',
            'get',
            'pod',
            name,
            '-o',
            'jsonpath={.status.containerStatuses[0].restartCount}',
          ),
        ),
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  const details = await openLogs(page, 'data', name);
  const log = details.getByRole('log', { name: `Log lines of pod ${name}` });
  await details.getByRole('checkbox', { name: 'Previous container' }).check();
  await expect(log).toContainText('exiting with status 1', { timeout: 20_000 });
  await expect(details.getByText('End of the previous container’s log.')).toBeVisible();
  // The same lines as kubectl logs --previous.
  expect(kubectl('-n', 'data', 'logs', name, '--previous')).toContain('exiting with status 1');
  await shoot(page, 'previous', details);
});
